{{ config(post_hook="{{ create_report_span(this.schema) }}") }}

select
    period_key,
    period_type,
    period_label_zh,
    year,
    period_start,
    period_end,
    calendar_end,
    is_in_progress,
    data_through,
    comparison_start,
    comparison_end,
    previous_start,
    previous_end
from {{ ref('int_periods') }}
