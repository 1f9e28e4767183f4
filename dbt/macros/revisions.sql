{# Every kept revision of a record with when it became known. A later file repeating a record's key is a
   revision (补报); the file's received_on dates it, so a report can be rebuilt "as known on date D" from
   the revision with known_from <= D and (known_until is null or known_until > D).
   `renamed` is a CTE carrying load_id and source_row_number; `key` lists the record's key columns. #}
{% macro revision_history(renamed, key) -%}
{%- set partition = key | join(', ') -%}
{%- set oldest_first = ['files.received_on', renamed ~ '.load_id', renamed ~ '.source_row_number'] | join(', ') -%}
{#- The current revision is the last one: the one no later revision follows (every file has a received_on).
    One ordering for all three, so the records are sorted once. -#}
select
    {{ renamed }}.*,
    files.received_on as known_from,
    lead(files.received_on) over (partition by {{ partition }} order by {{ oldest_first }}) as known_until,
    row_number() over (partition by {{ partition }} order by {{ oldest_first }}) as revision_number,
    lead(files.received_on) over (partition by {{ partition }} order by {{ oldest_first }}) is null as is_current
from {{ renamed }}
inner join {{ source('raw', 'files') }} as files on files.load_id = {{ renamed }}.load_id
{%- endmacro %}

{# In an incremental build, the records with a revision in `revisions` (carrying load_id) that came with a load
   newer than any `this` holds in `loaded_column`: the records the loads since the last build revised. #}
{% macro revised_since_last_build(key, revisions, loaded_column='load_id') -%}
{{ key }} in (
        select {{ key }} from {{ revisions }}
        where load_id > (select coalesce(max({{ loaded_column }}), 0) from {{ this }})
    )
{%- endmacro %}
