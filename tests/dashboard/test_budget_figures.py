"""The budget's figures as pure functions, with no warehouse: a scatter names only its farthest points (every one
on hover), and a chart carries its title, source and data date into its PNG."""

from __future__ import annotations

import pandas as pd

from dashboard import figures, theme
from dashboard.figures.budget import SCATTER_LABELS, labelled_points


def _regions(n: int = 26) -> pd.DataFrame:
    codes = [f"{k:02d}" for k in range(1, n + 1)]
    return pd.DataFrame(
        {
            "territory_code": codes,
            "name": [f"Región {c}" for c in codes],
            "pim_per_child_change": [10.0 * (k % 5) - 20 for k in range(n)],
            "coverage_change": [float(k % 7) - 3 for k in range(n)],
        }
    ).assign(pim_per_child_change=lambda d: d.pim_per_child_change.mask(d.territory_code == "07", 400.0))


def test_a_scatter_names_its_farthest_points_and_the_pages_region_only():
    theme.register()
    d = _regions()
    named = labelled_points(d, "pim_per_child_change", "coverage_change", highlight="09")
    assert len(named) == SCATTER_LABELS + 1 and "07" in named and "09" in named  # the outlier, the page's own
    fig = figures.budget_change(
        d, {c: f"R{c}" for c in d.territory_code}, "coverage_change", "Δ", "es", False, "09"
    )
    trace = fig["data"][0]
    shown = [text for text in trace["text"] if text]
    assert sorted(shown) == sorted(f"R{c}" for c in named)
    assert [c[0] for c in trace["customdata"]] == list(d.name)  # every region named on hover


def test_a_stamped_chart_carries_title_source_and_date():
    theme.register()
    fig = figures.stamped(
        figures.budget_change(_regions(), {}, "coverage_change", "Δ", "es", False),
        "PAN · Huancavelica · 2026",
        "Fuente: presupuesto (MEF–SIAF) · datos de enero a setiembre 2026",
    )
    title = fig["layout"]["title"]["text"]
    head, line = title.split("<br>")
    assert head == "PAN · Huancavelica · 2026"  # in the title block: drawn into the PNG, over no axis
    assert "Fuente: presupuesto (MEF–SIAF) · datos de enero a setiembre 2026" in line
    kept = figures.stamped({"layout": {"title": {"text": "Ya titulado"}, "margin": {"b": 30}}}, "Otro", "F")
    assert (
        kept["layout"]["title"]["text"].startswith("Ya titulado<br>") and kept["layout"]["margin"]["t"] == 44
    )


def test_a_held_target_is_drawn_by_the_ends_of_its_runs():
    from dashboard.figures.common import run_ends

    months = [f"2026-{m:02d}" for m in range(1, 10)]
    assert run_ends(months, [50.0] * 9) == (["2026-01", "2026-09"], [50.0, 50.0])
    # a target raised in April: each run's ends, so the segment between March and April is drawn as before
    x, y = run_ends(months, [50.0, 50.0, 50.0, 60.0, 60.0, 60.0, 60.0, None, None])
    assert x == ["2026-01", "2026-03", "2026-04", "2026-07", "2026-08", "2026-09"]
    assert y == [50.0, 50.0, 60.0, 60.0, None, None]
    values = [1.0, 2.0, 3.0]
    assert run_ends(months[:3], values) == (months[:3], values)  # nothing held: every point
