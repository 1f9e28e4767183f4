{# Each scored region's year: section subtotals, total, vetoes, grade and rank. A region ranks among its siblings
   (a county's townships); every township also ranks among all townships, the view of a bureau that appraises
   its whole jurisdiction at once. Vetoed regions rank after all others, by total among themselves; equal totals
   share a rank (1, 1, 3). #}
with lines as (
    select * from {{ ref('fct_appraisal_lines') }}
),

totals as (
    select scheme, year, region_code, sum(points) as total
    from lines
    group by all
),

vetoes as (
    select scheme, year, region_code, list(reason_zh order by ordinal) as vetoes
    from {{ ref('int_appraisal__vetoes') }}
    group by all
),

graded as (
    select
        totals.*,
        regions.region_name,
        regions.parent_code,
        regions.level_code,
        coalesce(vetoes.vetoes, []) as vetoes,
        vetoes.vetoes is not null as is_vetoed,
        case when vetoes.vetoes is not null then schemes.grade_on_veto
             else (select grades.name from {{ source('appraisal_rules', 'grades') }} as grades
                   where grades.scheme = totals.scheme
                       and (grades.min_total is null or totals.total >= grades.min_total)
                       and (grades.below_total is null or totals.total < grades.below_total)
                   order by grades.ordinal limit 1)
        end as grade
    from totals
    inner join {{ ref('dim_region') }} as regions on regions.region_code = totals.region_code
    inner join {{ source('appraisal_rules', 'schemes') }} as schemes on schemes.scheme = totals.scheme
    left join vetoes
        on vetoes.scheme = totals.scheme and vetoes.year = totals.year and vetoes.region_code = totals.region_code
)

select
    *,
    rank() over (partition by scheme, year, parent_code order by is_vetoed, total desc) as rank_among_siblings,
    case when level_code = 'township'
        then rank() over (partition by scheme, year, level_code = 'township' order by is_vetoed, total desc)
    end as rank_among_townships
from graded
