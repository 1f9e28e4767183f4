select
    period_key,
    period_type,
    period_label_zh,
    year,
    period_start,
    period_end,
    comparison_start,
    comparison_end,
    previous_start,
    previous_end
from {{ ref('int_periods') }}
