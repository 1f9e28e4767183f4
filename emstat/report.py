"""`emstat report`: accident figures for any region and date range against the same period last year.

Reads only the published copy, so a report never sees data that has not passed the checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from emstat.bulletin import Figure, IndustryLine, bulletin_sentence
from emstat.periods import same_period_last_year

CENT = Decimal("0.01")
TOTAL_METRICS = ("accidents", "deaths", "injuries", "serious_injuries")
INDUSTRY_METRICS = ("accidents", "deaths", "injuries")


class ReportError(Exception):
    """A report that cannot be made, said in one line."""


def pct_change(current: int, previous: int) -> Decimal | None:
    """Percent change rounded half-up (away from zero) to 2 decimals on whole numbers; None on a zero base.

    The same arithmetic as the dbt macro pct_change, so report and marts agree to the cent.
    """
    if previous == 0:
        return None
    change = current - previous
    hundredths = (abs(change) * 20_000 + previous) // (2 * previous)
    return (Decimal(hundredths) * CENT) * (1 if change >= 0 else -1)


@dataclass(frozen=True)
class Metric:
    value: int | Decimal
    previous: int | Decimal
    change: int | Decimal
    change_pct: Decimal | None

    @classmethod
    def of_counts(cls, value: int, previous: int) -> Metric:
        return cls(value, previous, value - previous, pct_change(value, previous))

    @classmethod
    def of_money(cls, value_yuan: Decimal, previous_yuan: Decimal) -> Metric:
        """In 万元 to 2 decimals as published; the percentage is of the exact amounts."""
        value = (value_yuan / 10_000).quantize(CENT, ROUND_HALF_UP)
        previous = (previous_yuan / 10_000).quantize(CENT, ROUND_HALF_UP)
        return cls(value, previous, value - previous, pct_change(int(value_yuan * 100), int(previous_yuan * 100)))

    def as_json(self) -> dict[str, object]:
        number = lambda x: float(x) if isinstance(x, Decimal) else x  # noqa: E731
        return {"value": number(self.value), "previous": number(self.previous), "change": number(self.change),
                "change_pct": None if self.change_pct is None else float(self.change_pct)}


@dataclass(frozen=True)
class AccidentReport:
    region_code: str
    region_name: str
    start: date
    end: date
    comparison_start: date
    comparison_end: date
    totals: dict[str, Metric]
    by_industry: dict[str, dict[str, Metric]]
    industry_labels: dict[str, str]
    text: str

    def as_json(self) -> dict[str, object]:
        return {
            "region": {"code": self.region_code, "name": self.region_name},
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "comparison_period": {"from": self.comparison_start.isoformat(), "to": self.comparison_end.isoformat()},
            "totals": {name: m.as_json() for name, m in self.totals.items()},
            "by_industry": {code: {name: m.as_json() for name, m in metrics.items()}
                            for code, metrics in self.by_industry.items()},
            "text": self.text,
        }


_SPAN_SUMS = """
    select
        case when f.occurred_on between $start and $end then 'current' else 'previous' end as span,
        f.industry_code,
        count(*) as accidents,
        sum(f.deaths) as deaths,
        sum(f.injuries) as injuries,
        sum(f.serious_injuries) as serious_injuries,
        sum(f.direct_loss_yuan) as direct_loss_yuan
    from marts.fct_accidents as f
    inner join marts.dim_region_ancestry as a on a.region_code = f.region_code
    where a.ancestor_code = $region
        and not f.is_written_off
        and (f.occurred_on between $start and $end or f.occurred_on between $cstart and $cend)
    group by all
"""


def accident_report(published: Path, region_code: str, start: date, end: date) -> AccidentReport:
    if not published.exists():
        raise ReportError(f"nothing is published yet under {published.parent.parent}: run `emstat build` first")
    if end < start:
        raise ReportError(f"--to {end} is before --from {start}")
    comparison_start, comparison_end = same_period_last_year(start, end)
    if comparison_end >= start:
        raise ReportError("a report covers at most one year, so that it can be compared with the same period last year")

    with duckdb.connect(str(published), read_only=True) as con:
        region = con.execute(
            "select region_name, collective_name_zh from marts.dim_region where region_code = ?", [region_code]
        ).fetchone()
        if region is None:
            raise ReportError(f"region {region_code} is not in the region reference")
        industries = con.execute(
            "select industry_code, industry_label_zh from marts.dim_industry order by sort_order"
        ).fetchall()
        rows = con.execute(_SPAN_SUMS, {"region": region_code, "start": start, "end": end,
                                        "cstart": comparison_start, "cend": comparison_end}).fetchall()

    sums: dict[tuple[str, str], dict[str, object]] = {}
    for span, industry, accidents, deaths, injuries, serious, loss in rows:
        sums[(span, industry)] = {"accidents": accidents, "deaths": deaths, "injuries": injuries,
                                  "serious_injuries": serious, "direct_loss_yuan": loss}

    def total(span: str, metric: str) -> int | Decimal:
        zero = Decimal(0) if metric == "direct_loss_yuan" else 0
        return sum((v[metric] for (s, _), v in sums.items() if s == span), zero)

    totals = {m: Metric.of_counts(total("current", m), total("previous", m)) for m in TOTAL_METRICS}
    totals["direct_loss_10k_yuan"] = Metric.of_money(total("current", "direct_loss_yuan"),
                                                     total("previous", "direct_loss_yuan"))
    labels = dict(industries)
    by_industry: dict[str, dict[str, Metric]] = {}
    for code, _ in industries:
        current, previous = sums.get(("current", code)), sums.get(("previous", code))
        if current is None and previous is None:
            continue
        by_industry[code] = {
            m: Metric.of_counts(int((current or {}).get(m, 0)), int((previous or {}).get(m, 0)))
            for m in INDUSTRY_METRICS
        }

    figures = {m: Figure(int(totals[m].value), int(totals[m].previous), totals[m].change_pct) for m in INDUSTRY_METRICS}
    lines = [IndustryLine(labels[code], *(int(by_industry[code][m].value) for m in INDUSTRY_METRICS))
             for code in by_industry]
    text = bulletin_sentence(region[1], start, end, figures, lines)
    return AccidentReport(region_code, region[0], start, end, comparison_start, comparison_end, totals, by_industry,
                          labels, text)
