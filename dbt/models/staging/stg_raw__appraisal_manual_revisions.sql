-- Every revision of each manual appraisal item the assessment team scored, dated by the day its file was received.
with source as (
    select * from {{ source('raw', 'appraisal_manual') }}
),

renamed as (
    select
        region_code,
        cast(year as integer) as year,
        item,
        cast(score as decimal(18, 4)) as score,
        note,
        _load_id as load_id,
        _file_name as file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source
)

{{ revision_history('renamed', ['region_code', 'year', 'item']) }}
