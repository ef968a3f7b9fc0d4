"""A session ends for every copy of its cookie: signing out ends all the user's sessions (other browsers and a copied
cookie included), and so does removing the user from the users file or changing their role, regions or password.
(Across gunicorn workers, with the real server: tests/serving/test_shared_state.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dashboard import context
from dashboard.auth import remove_user, upsert_user
from tests.dashboard.clients import PASSWORD, PERIOD, client_for

# Facilities of Huancavelica that did not report: a list only a signed-in regional (or national) user gets.
FACILITY_LIST = f"/export/calidad-sin-reporte/09.csv?periodo={PERIOD}"


@pytest.fixture
def users_file(secured):
    return (
        context.warehouse().path.parent / "usuarios.yaml"
    )  # beside the warehouse (tests/dashboard/conftest.py)


def rename(path: Path, username: str, name: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["usuarios"]:
        if entry["usuario"] == username:
            entry["nombre"] = name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def copy_of(c, secured):
    """Another client (another address) carrying a copy of ``c``'s session cookie, as a thief would."""
    thief = client_for(secured)
    thief.set_cookie("session", c.get_cookie("session").value)
    return thief


def test_signing_out_ends_every_copy_of_the_session(secured):
    c = client_for(secured, "huanca")
    other_browser = client_for(secured, "huanca")
    thief = copy_of(c, secured)
    assert thief.get(FACILITY_LIST).status_code == 200  # the copy works while the session lives …
    assert other_browser.get(FACILITY_LIST).status_code == 200
    c.get("/salir")
    for client in (c, thief, other_browser):  # … and no longer once its user signed out anywhere
        r = client.get(FACILITY_LIST)
        assert r.status_code == 403, r.status_code  # an anonymous visitor is public here: no facilities
    # signing in again gives a new, working session
    again = client_for(secured, "huanca")
    assert again.get(FACILITY_LIST).status_code == 200
    assert thief.get(FACILITY_LIST).status_code == 403


def test_a_link_on_another_site_signs_out_one_browser_only(secured):
    c = client_for(secured, "huanca")
    other_browser = client_for(secured, "huanca")
    c.get("/salir", headers={"Sec-Fetch-Site": "cross-site"})  # as a browser follows a link from elsewhere
    assert c.get(FACILITY_LIST).status_code == 403
    assert other_browser.get(FACILITY_LIST).status_code == 200


@pytest.mark.parametrize(
    ("change", "still_regional"),
    [
        (lambda path: remove_user(path, "temporal"), False),
        (lambda path: upsert_user(path, "temporal", "publico", [], "Temporal", PASSWORD), False),
        (lambda path: upsert_user(path, "temporal", "regional", ["08"], "Temporal", PASSWORD), False),
        (lambda path: upsert_user(path, "temporal", "regional", ["09"], "Temporal", PASSWORD + "x"), False),
        (lambda path: rename(path, "temporal", "Otro nombre"), True),  # what it may see is unchanged
    ],
    ids=["removed", "demoted", "other-regions", "new-password", "renamed-only"],
)
def test_removing_or_demoting_a_user_ends_their_sessions(secured, users_file, change, still_regional):
    upsert_user(users_file, "temporal", "regional", ["09"], "Temporal", PASSWORD)
    c = client_for(secured, "temporal")
    thief = copy_of(c, secured)
    assert c.get(FACILITY_LIST).status_code == 200
    change(users_file)
    expected = 200 if still_regional else 403
    assert c.get(FACILITY_LIST).status_code == expected
    assert thief.get(FACILITY_LIST).status_code == expected
    remove_user(users_file, "temporal")
