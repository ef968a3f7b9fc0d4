"""Each source the ETL loads: the table its rows land in and how a row's period reads as text — the one place for
both, used by ``semaforo status``, the loaders and the dashboard's "datos al" dates — and which sources report
monthly per facility or district (the feeds whose completeness is watched and that go below the region)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    name: str
    table: str
    period: str | None  # SQL over the table: a row's period as text, 'YYYY-MM' (a month) or 'YYYY' (a year)


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source("admin", "raw_admin", "strftime(period, '%Y-%m')"),
        Source("stock", "raw_stock", "strftime(period, '%Y-%m')"),
        Source("budget", "raw_budget", "year || '-' || lpad(month::varchar, 2, '0')"),
        Source("survey", "raw_survey", "year::varchar"),
        Source("population", "raw_population", "year::varchar"),
        Source("territory", "core_district", None),
        Source("facilities", "core_facility", None),
        Source("red", "core_network", None),
        Source("targets", "core_target", "year::varchar"),
    )
}

# The feeds reported every month per facility (or district): the only ones below the region level, the ones whose
# reports are expected, received and on time (quality_completeness), and the region drill-down's.
MONTHLY_FEEDS: tuple[str, ...] = ("admin", "stock")


def table(source: str) -> str:
    return SOURCES[source].table
