"""WCAG 2.1 A/AA over every page, in both languages, with axe-core (shipped by axe-selenium-python: nothing
downloads). The real app on the demo warehouse, signed in as an administrator so that every page shows all it can
(Calidad's load history, the upload page); the login page is checked signed out. A critical or serious violation
fails the test, each listed with its rule, its elements and axe's reason."""

from __future__ import annotations

import pytest
from axe_selenium_python import Axe

from dashboard import context
from dashboard.app import create_app
from dashboard.auth import upsert_user
from dashboard.config import load_config

from .conftest import save

pytestmark = pytest.mark.browser
PASSWORD = "clave-de-prueba-1"
# axe-core 3.1 (what axe-selenium-python ships) tags WCAG 2.1 A rules wcag2a too; it has no wcag21a tag.
WCAG = ["wcag2a", "wcag2aa", "wcag21aa"]
BLOCKING = ("critical", "serious")
# Every page a person can open, each with what shows it is drawn (the page's own content, not the skeleton).
PAGES = [
    ("/?periodo=2026-09", "#scorecard .ag-row"),
    ("/region/09?periodo=2026-09", "#box-PAN_DCI"),
    ("/indicador/PAN_P_CRED?periodo=2026-09", "#page .light"),
    ("/indicador/PAN_P_CRED?periodo=2026-09&region=09", "#indicator-provinces .ag-row"),
    ("/presupuesto?periodo=2026", "#page .light"),
    ("/presupuesto/09?periodo=2026", "#page .light"),
    ("/calidad?periodo=2026-09", "#quality-page .heatmap"),
    ("/calidad/09?periodo=2026-09", "#quality-page .heatmap"),
    ("/marco-logico", "#page .light"),
    ("/marco-logico?region=09", "#page .light"),
    ("/imprimir?periodo=2026-09", "table"),
    ("/admin/cargar", "#archivo"),
]


# AG Grid keeps empty containers for rows it may pin or stick (role rowgroup or row, owning nothing until then).
# axe-core 3.1 calls an empty one a missing required child; axe-core 4 reports empty containers for review, not as
# violations. Only such empty nodes are set aside: a container with any owned element is still checked.
EMPTY_OWNERS = """
const done = arguments[arguments.length - 1];
axe.run(document, arguments[0]).then(r => {
  for (const v of r.violations) {
    if (v.id !== "aria-required-children") continue;
    v.nodes = v.nodes.filter(n => {
      const el = document.querySelector(n.target[0]);
      if (!el || !el.className.includes("ag-")) return true;
      const roles = [...el.querySelectorAll("[role]")].map(c => c.getAttribute("role"));
      return roles.some(r => r !== "presentation" && r !== "none");
    });
  }
  done({violations: r.violations.filter(v => v.nodes.length)});
}, e => done({error: String(e)}));
"""


def violations(driver) -> list[dict]:
    """axe's critical and serious WCAG 2.1 A/AA violations of the page in the browser."""
    Axe(driver).inject()
    driver.set_script_timeout(300)  # a page of a thousand cells takes axe a while on a loaded machine
    results = driver.execute_async_script(
        EMPTY_OWNERS, {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    )
    assert "error" not in results, results
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for page, items in found.items():
        for v in items:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"]]
            reason = next((c["message"] for n in v["nodes"] for c in n["any"] + n["all"] + n["none"]), "")
            lines.append(
                f"{page}: {v['id']} ({v['impact']}, {len(targets)} elementos) {v['help']} — {reason} — "
                + ", ".join(targets[:5])
            )
    return "\n".join(lines)


@pytest.fixture
def admin_duo(dash_duo, demo_db, tmp_path):
    users = tmp_path / "usuarios.yaml"
    upsert_user(users, "admin", "admin", [], "Administración", PASSWORD)
    previous = context._current
    app = create_app(config=load_config(env={}, db=demo_db, users_file=users, anonymous="publico"))
    # axe-core compiles its messages with new Function, which the app's Content-Security-Policy forbids (no
    # 'unsafe-eval'): the test's browser lets it, as a checker's extension would; the pages' own scripts are
    # held to the policy by the other browser tests.
    dash_duo.driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
    dash_duo.start_server(app)
    yield dash_duo
    if previous is not None:
        context.set_warehouse(previous)


def sign_in(duo, lang: str) -> None:
    duo.driver.get(f"{duo.server_url}/ingresar?lang={lang}")  # a plain page: no Dash to wait for
    duo.wait_for_element("#usuario", timeout=20).send_keys("admin")
    duo.find_element("#clave").send_keys(PASSWORD)
    duo.find_element("#login-submit").click()
    duo.wait_for_element("#nav-user", timeout=30)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_serious_wcag_violation_on_any_page(admin_duo, lang):
    duo = admin_duo
    found: dict[str, list[dict]] = {}
    duo.driver.get(f"{duo.server_url}/ingresar?lang={lang}")
    duo.wait_for_element("#usuario", timeout=20)
    found["/ingresar"] = violations(duo.driver)
    sign_in(duo, lang)
    for path, ready in PAGES:
        duo.driver.get(f"{duo.server_url}{path}{'&' if '?' in path else '?'}lang={lang}")
        duo.wait_for_element(ready, timeout=60)
        assert duo.driver.find_element("css selector", "html").get_attribute("lang") == lang, path
        found[path] = violations(duo.driver)
    save(duo, f"a11y_upload_{lang}")
    found = {page: items for page, items in found.items() if items}
    assert not found, "axe-core (WCAG 2.1 A/AA), violaciones críticas o graves:\n" + report(found)
