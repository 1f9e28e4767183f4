-- Each region's accident figures broken down by the regions one level below it (a county by township):
-- `region_*` names the region a dashboard is filtered on, `subregion_*` the row.
{{ subregion_breakdown(ref('kpi_accident_yoy'), "industry_scope = 'all'", [
    'accidents', 'accidents_previous', 'accidents_change_pct',
    'deaths', 'deaths_previous', 'deaths_change_pct',
    'missing', 'missing_previous', 'missing_change_pct',
    'injuries', 'injuries_previous', 'injuries_change_pct',
    'larger_and_above_accidents', 'direct_loss_10k_yuan', 'direct_loss_10k_yuan_previous',
]) }}
