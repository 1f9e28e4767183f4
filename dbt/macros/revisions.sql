{# Every kept revision of a record with when it became known. A later file repeating a record's key is a
   revision (补报); the file's received_on dates it, so a report can be rebuilt "as known on date D" from
   the revision with known_from <= D and (known_until is null or known_until > D).
   `renamed` is a CTE carrying load_id and source_row_number; `key` lists the record's key columns. #}
{% macro revision_history(renamed, key) -%}
{%- set partition = key | join(', ') -%}
{%- set columns = ['files.received_on', renamed ~ '.load_id', renamed ~ '.source_row_number'] -%}
{%- set oldest_first = columns | join(', ') -%}
{%- set newest_first = columns | join(' desc, ') ~ ' desc' -%}
select
    {{ renamed }}.*,
    files.received_on as known_from,
    lead(files.received_on) over (partition by {{ partition }} order by {{ oldest_first }}) as known_until,
    row_number() over (partition by {{ partition }} order by {{ oldest_first }}) as revision_number,
    row_number() over (partition by {{ partition }} order by {{ newest_first }}) = 1 as is_current
from {{ renamed }}
inner join {{ source('raw', 'files') }} as files on files.load_id = {{ renamed }}.load_id
{%- endmacro %}
