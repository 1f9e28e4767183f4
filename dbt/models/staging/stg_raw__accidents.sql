-- The current revision of each accident.
select * from {{ ref('stg_raw__accident_revisions') }}
where is_current
