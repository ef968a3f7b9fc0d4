"""The Presupuesto page as the MEF analyst reads it at laptop widths: the executing-unit table's amounts, and those
of the products and the ranked bottlenecks, inside their panels without scrolling sideways (the other columns are
in the downloads). Screenshots saved for a person to look at."""

from __future__ import annotations

import pytest

from dashboard.app import create_app

from .conftest import console_errors, save

pytestmark = pytest.mark.browser

AMOUNTS = {
    "budget-units": ("ejecutora_name", "pim", "devengado", "execution_pct", "pace_status"),
    "budget-products": ("product_name", "pim", "devengado", "execution_pct", "coverage_value"),
    "budget-bottlenecks-grid": ("bottleneck_rank", "region", "element", "execution_pct", "coverage_value"),
}

# Where each column's header sits, against its grid's box (px), after the grid has sized its columns.
OUTSIDE = """
const grid = document.getElementById(arguments[0]);
const box = grid.getBoundingClientRect();
return arguments[1].filter(c => {
  const h = grid.querySelector(`.ag-header-cell[col-id="${c}"]`);
  if (!h) return true;
  const r = h.getBoundingClientRect();
  return r.width < 40 || r.left < box.left - 1 || r.right > box.right + 1;
});
"""


@pytest.fixture
def duo(dash_duo, demo_db):
    dash_duo.start_server(create_app(demo_db))
    return dash_duo


@pytest.mark.parametrize("width", [1366, 1024])
def test_budget_amounts_fit_their_panels(duo, width):
    duo.driver.set_window_size(width, 900)
    duo.wait_for_page(url=duo.server_url + "/presupuesto/09?periodo=2026-09", timeout=30)
    for grid_id in AMOUNTS:
        duo.wait_for_element(f"#{grid_id} .ag-row", timeout=30)
    duo.driver.execute_script("window.dispatchEvent(new Event('resize'))")
    for grid_id, columns in AMOUNTS.items():
        outside = duo.driver.execute_script(OUTSIDE, grid_id, list(columns))
        assert outside == [], (width, grid_id, outside)
    assert console_errors(duo) == []
    save(duo, f"presupuesto_{width}")


def test_the_money_across_years_is_drawn_once_scrolled_to(duo):
    duo.driver.set_window_size(1366, 900)
    duo.wait_for_page(url=duo.server_url + "/presupuesto/09?periodo=2026-09", timeout=30)
    duo.wait_for_element("#budget-products .ag-row", timeout=30)
    # (whether it is drawn before the scroll depends on how tall the grids above are by then: the page's own
    # answer never holds it, tests/dashboard/test_budget_page.py)
    duo.driver.execute_script("document.getElementById('budget-change-panel').scrollIntoView()")
    duo.wait_for_element("#budget-change .ag-row", timeout=30)
    duo.wait_for_element("#budget-change-result .main-svg", timeout=30)
    assert not duo.driver.find_elements(
        "css selector", "#budget-change-coverage"
    )  # the whole program's: no coverage
    # Once drawn, another product in the URL (as the chooser above writes it) redraws it in place, with that
    # product's coverage.
    duo.driver.execute_script(
        "window.dash_clientside.set_props('url', {search: '?periodo=2026-09&producto=PAN_P_CRED'})"
    )
    duo.wait_for_element("#budget-change-coverage .main-svg", timeout=30)
    assert console_errors(duo) == []
