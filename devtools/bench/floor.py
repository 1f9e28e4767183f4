"""The floor: what DuckDB alone does with the benchmark files. One script loads every CSV, keeps the latest row
of each record, rolls townships up the region tree and computes the four year-over-year marts (accidents by
industry scope, enforcement, relief, disasters) for every month, quarter, half-year, year and year-to-date,
with no orchestration, no lineage and no checks. `python -m devtools.bench.floor FILES OUT.duckdb`"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from ingest.codes import INDUSTRIES

# (source, key, date column, measures as SQL over the typed rows)
SUBJECTS = {
    "accidents": (
        "accident_id",
        "cast(occurred_at as date)",
        {
            "accidents": "count(*)",
            "deaths": "sum(deaths)",
            "injuries": "sum(injuries)",
            "direct_loss_yuan": "sum(direct_loss)",
        },
    ),
    "inspections": ("inspection_id", "inspected_on", {"inspections": "count(*)", "hazards": "sum(hazards_found)"}),
    "penalties": ("penalty_id", "decided_on", {"penalties": "count(*)", "fines_yuan": "sum(fine_amount)"}),
    "relief": (
        "disbursement_id",
        "disbursed_on",
        {"disbursements": "count(*)", "persons": "sum(persons)", "amount_yuan": "sum(amount)"},
    ),
    "disasters": (
        "disaster_id",
        "started_on",
        {"disasters": "count(*)", "affected": "sum(affected_people)", "direct_loss_yuan": "sum(direct_loss)"},
    ),
}

PERIODS = """
create table periods as
with months as (
    select cast(m as date) as month_start
    from range((select date_trunc('year', min(first_on)) from bounds),
               (select max(last_on) from bounds) + interval 1 day, interval 1 month) as t(m)
),
spans as (
    select 'month' as period_type, strftime(month_start, '%Y-%m') as period_key, month_start as period_start,
           month_start + interval 1 month - interval 1 day as period_end, month_start as anchor
    from months
    union all
    select 'quarter', strftime(month_start, '%Y') || '-Q' || quarter(month_start), month_start,
           month_start + interval 3 month - interval 1 day, month_start
    from months where month(month_start) in (1, 4, 7, 10)
    union all
    select 'half_year', strftime(month_start, '%Y') || '-H' || (case when month(month_start) = 1 then 1 else 2 end),
           month_start, month_start + interval 6 month - interval 1 day, month_start
    from months where month(month_start) in (1, 7)
    union all
    select 'year', strftime(month_start, '%Y'), month_start, month_start + interval 12 month - interval 1 day,
           month_start
    from months where month(month_start) = 1
    union all
    select 'ytd', strftime(month_start, '%Y') || '-YTD' || strftime(month_start, '%m'),
           date_trunc('year', month_start), month_start + interval 1 month - interval 1 day, month_start
    from months
)
select period_type, period_key, cast(period_start as date) as period_start, cast(period_end as date) as period_end,
       cast(period_start - interval 1 year as date) as comparison_start,
       cast(last_day(period_end - interval 1 year) as date) as comparison_end
from spans
where anchor <= (select max(last_on) from bounds)
"""


def load(con: duckdb.DuckDBPyConnection, files: Path) -> None:
    con.execute(f"create table regions as select * from read_csv('{files}/regions.csv', all_varchar = true)")
    con.execute("""
        create table ancestry as
        with recursive up(region_code, ancestor_code) as (
            select region_code, region_code from regions
            union all
            select up.region_code, regions.parent_code from up
            inner join regions on regions.region_code = up.ancestor_code
            where regions.parent_code is not null
        )
        select * from up""")
    groups = ", ".join(f"('{c.code}', '{c.group}')" for c in INDUSTRIES.codes)
    con.execute(f"create table industry_groups as select * from (values {groups}) as t(industry, industry_group)")
    for source, (key, _, _) in SUBJECTS.items():
        # The latest file's row of each record stands: a re-sent month revises the earlier one.
        con.execute(f"""
            create table {source} as
            select * exclude (filename) from read_csv('{files}/{source}_*.csv', filename = true,
                                                       types = {{'region_code': 'VARCHAR'}})
            qualify row_number() over (partition by {key} order by filename desc) = 1""")
    con.execute(
        "create table bounds as "
        + " union all ".join(
            f"select min({day}) as first_on, max({day}) as last_on from {source}"
            for source, (_, day, _) in SUBJECTS.items()
        )
    )
    con.execute(PERIODS)


def yoy(con: duckdb.DuckDBPyConnection, source: str) -> None:
    _, day, measures = SUBJECTS[source]
    scopes = [("'all'", "'all'")]
    if source == "accidents":
        scopes += [("'industry_group'", "industry_group"), ("'industry'", "industry")]
    groups = "left join industry_groups using (industry)" if source == "accidents" else ""
    leaf = " union all ".join(
        f"select region_code, {scope} as scope, {key} as scope_key, date_trunc('month', {day}) as month_start, "
        + ", ".join(f"{sql} as {name}" for name, sql in measures.items())
        + f" from {source} {groups} group by all"
        for scope, key in scopes
    )
    sums = ", ".join(f"sum({m}) as {m}" for m in measures)
    figures = ",\n".join(
        f"coalesce(sum(case when m.month_start between p.period_start and p.period_end then m.{m} end), 0) as {m}, "
        f"coalesce(sum(case when m.month_start between p.comparison_start and p.comparison_end then m.{m} end), 0) "
        f"as {m}_previous"
        for m in measures
    )
    changes = ", ".join(
        f"{m} - {m}_previous as {m}_change, case when {m}_previous <> 0 then "
        f"round(cast({m} - {m}_previous as decimal(38, 6)) * 100 / {m}_previous, 2) end as {m}_change_pct"
        for m in measures
    )
    con.execute(f"""
        create table yoy_{source} as
        with leaf as ({leaf}),
        monthly as (
            select ancestry.ancestor_code as region_code, scope, scope_key, month_start, {sums}
            from leaf inner join ancestry using (region_code) group by all
        ),
        summed as (
            select p.period_key, m.region_code, m.scope, m.scope_key, {figures}
            from periods as p
            inner join monthly as m
                on m.month_start between p.period_start and p.period_end
                or m.month_start between p.comparison_start and p.comparison_end
            group by all
        )
        select *, {changes} from summed""")


def main(files: Path, out: Path) -> None:
    out.unlink(missing_ok=True)
    with duckdb.connect(str(out)) as con:
        load(con, files)
        for source in SUBJECTS:
            yoy(con, source)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
