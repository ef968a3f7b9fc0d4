"""The drill-down's reads (warehouse.query.children: children.sql for provinces, districts, Reds and MicroRedes;
children_facilities.sql for facilities) read each level from its own rows, not from the status view of every
level: on the small fixture warehouse they give exactly the rows of that view (mart_indicator_status_fast, and
mart_facility_network_status for facilities under their MicroRed), every level of both trees."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from warehouse import query

# The rows one level below a parent, from the status view of every level, named as the page names them.
EVERY_LEVEL = """
select s.indicator_code, s.territory_level, s.territory_code, s.region_code, s.parent_code, s.period, s.value,
    s.numerator, s.denominator, s.units_reporting, s.units_expected, s.target, s.status, s.light, s.stock_class,
    s.rule_label_es, s.rule_label_en, s.batch_id
from {view} as s
where s.indicator_code = ? and s.territory_level = ? and s.parent_code = ? and s.period = ?
order by s.value nulls first, s.territory_code
"""


def test_each_level_reads_the_rows_of_the_status_view_of_every_level(small_db: Path) -> None:
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        period = con.execute("select max(period) from mart_status_top where period_grain = 'M'").fetchone()[0]
        indicators = [
            r[0]
            for r in con.execute(
                "select distinct indicator_code from mart_indicator_agg where territory_level = 'distrito' "
                "order by 1"
            ).fetchall()
        ]
        compared = set()
        for tree, levels in (
            ("territorio", ("region", "provincia", "distrito")),
            ("red", ("region", "red", "microred")),
        ):
            for level in levels:
                child = query.child_level(level, tree)
                view = (
                    "mart_facility_network_status"
                    if (tree, child) == ("red", "eess")
                    else ("mart_indicator_status_fast")
                )
                parents = [
                    r[0]
                    for r in con.execute(
                        f"select distinct parent_code from {view} where territory_level = ? and period = ? "
                        "order by 1 limit 3",
                        [child, period],
                    ).fetchall()
                ]
                for parent in parents:
                    for code in indicators[:6]:
                        mine = query.children(con, code, parent, level, period, tree=tree)
                        theirs = con.execute(
                            EVERY_LEVEL.format(view=view), [code, child, parent, period]
                        ).df()
                        columns = list(theirs.columns)
                        pd.testing.assert_frame_equal(
                            mine[columns].reset_index(drop=True), theirs, check_dtype=False
                        )
                        if len(theirs):
                            compared.add((tree, child))
        assert compared >= {
            ("territorio", "provincia"),
            ("territorio", "distrito"),
            ("territorio", "eess"),
            ("red", "microred"),
            ("red", "eess"),
        }, compared
    finally:
        con.close()
