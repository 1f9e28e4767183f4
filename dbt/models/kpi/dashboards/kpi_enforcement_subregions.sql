-- Each region's enforcement figures broken down by the regions one level below it (a county by township).
{{ subregion_breakdown(ref('kpi_enforcement_yoy'), 'true', [
    'inspections', 'inspections_previous', 'inspections_change_pct',
    'hazards_found', 'hazards_rectified', 'rectification_rate_pct', 'overdue_hazards',
    'cases_filed', 'penalty_decisions', 'fines_10k_yuan',
]) }}
