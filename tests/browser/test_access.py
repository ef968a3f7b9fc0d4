"""Signing in, in a real browser, under the Content-Security-Policy: the public view, the login form, a regional
manager's drill-down. A script, style or font the policy blocked would show in the console."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from dashboard import context
from dashboard.app import create_app
from dashboard.auth import upsert_user
from dashboard.config import load_config

from .conftest import console_errors, save

pytestmark = pytest.mark.browser
PASSWORD = "clave-de-prueba-1"


@pytest.fixture
def secured_duo(dash_duo, demo_db, tmp_path):
    users = tmp_path / "usuarios.yaml"
    upsert_user(users, "huanca", "regional", ["09"], "Gerencia Regional de Salud Huancavelica", PASSWORD)
    previous = context._current
    app = create_app(config=load_config(env={}, db=demo_db, users_file=users, anonymous="publico"))
    dash_duo.start_server(app)
    yield dash_duo
    if previous is not None:
        context.set_warehouse(previous)


def test_public_view_then_signing_in_as_a_regional_manager(secured_duo):
    duo = secured_duo
    path = "/region/09?periodo=2026-09&provincia=0901"
    duo.wait_for_page(url=duo.server_url + path, timeout=30)
    duo.wait_for_element("#box-PAN_DCI", timeout=30)
    assert (
        "La vista pública muestra las cifras publicadas por región" in duo.find_element("#region-drill").text
    )
    assert duo.find_element("#nav-public").text == "Vista pública"
    assert not duo.driver.find_elements(By.CSS_SELECTOR, "#drill-grid")
    save(duo, "access_public")

    duo.find_element("#nav-login").click()
    duo.wait_for_element("#usuario", timeout=20).send_keys("huanca")
    duo.find_element("#clave").send_keys(PASSWORD)
    duo.find_element("#login-submit").click()
    duo.wait_for_element("#nav-user", timeout=30)
    assert "Gerencia Regional de Salud Huancavelica · Regional" in duo.find_element("#nav-user").text

    duo.wait_for_page(url=duo.server_url + path, timeout=30)
    duo.wait_for_element("#drill-grid .ag-row", timeout=30)
    assert "vista pública" not in duo.find_element("#region-drill").text
    assert console_errors(duo) == []
    # the region chooser offers only the user's region (and the country)
    duo.wait_for_element("#f-region", timeout=30).click()
    duo.wait_for_element(".dash-dropdown-options", timeout=30)
    options = " ".join(e.text for e in duo.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"))
    assert "Huancavelica" in options and "Huánuco" not in options and "Cusco" not in options
    save(duo, "access_regional")
