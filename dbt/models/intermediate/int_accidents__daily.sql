{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ forget_touched_accident_days() }}"
) }}
{# The accidents of each day, township, industry and grade, each figure summed: what the KPI models count
   periods from, a few rows a day instead of one per accident. A build counts again only the days a load
   touched (the pre-hook forgets them first). Written-off accidents are kept apart, so that every accident a
   load revised is in some row that carries its load. #}
-- depends_on: {{ ref('fct_accident_revisions') }}
select
    accidents.occurred_on,
    accidents.region_code,
    accidents.industry_code,
    accidents.industry_group_code,
    accidents.grade_code,
    accidents.is_written_off,
    count(*) as accidents,
    sum(accidents.deaths) as deaths,
    sum(accidents.missing) as missing,
    sum(accidents.deaths_and_missing) as deaths_and_missing,
    sum(accidents.injuries) as injuries,
    sum(accidents.serious_injuries) as serious_injuries,
    sum(accidents.direct_loss_yuan) as direct_loss_yuan,
    max(accidents.newest_load_id) as newest_load_id
from {{ ref('fct_accidents') }} as accidents
{% if is_incremental() %}
where accidents.occurred_on in (select occurred_on from accident_touched_days)
{% endif %}
group by 1, 2, 3, 4, 5, 6
