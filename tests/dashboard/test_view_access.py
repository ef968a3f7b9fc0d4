"""Access to the views is decided in one place (dashboard.access) and holds for every view: the public never gets
a view below the region level nor the administrator's, a regional user gets no other region's, by download, JSON
API or the warehouse read behind them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.data import Access, Forbidden, Warehouse
from dashboard.views import VIEWS
from tests.dashboard.clients import PERIOD, client_for, leaked
from tests.dashboard.test_access import facilities  # noqa: F401 — the fixture
from warehouse import access, query

ARGS = {"region": "09", "indicator": "PAN_DCI", "none": None}


def _paths(key: str, arg: str | None) -> list[str]:
    tail = f"/{arg}" if arg else ""
    return [f"/export/{key}{tail}.csv?periodo={PERIOD}", f"/api/{key}{tail}?periodo={PERIOD}"]


def test_the_public_gets_no_view_below_the_region_and_no_administrators_view(secured):
    c = client_for(secured)
    for view in VIEWS.values():
        for path in _paths(view.key, ARGS[view.arg]):
            status = c.get(path).status_code
            if view.scope == "region":
                assert status == 200, path
            else:
                assert status == (403 if view.scope == "below_region" else 404), path


def test_a_regional_user_gets_only_its_regions_rows_of_every_view(secured, facilities):  # noqa: F811
    c = client_for(secured, "huanca")
    for view in VIEWS.values():
        if view.arg == "region":  # another region, named in the path: refused
            assert all(c.get(p).status_code == 404 for p in _paths(view.key, "10")), view.key
        for path in _paths(view.key, ARGS[view.arg]):
            r = c.get(path)
            if view.scope == "admin":
                assert r.status_code == 404, path
                continue
            assert r.status_code == 200, (path, r.data[:200])
            text = r.get_data(as_text=True)
            if path.startswith("/api/"):
                text = json.dumps(json.loads(text), ensure_ascii=False)
            assert not leaked(text, facilities, {"09"}), path
    own = c.get(f"/api/region-detalle/09?periodo={PERIOD}&provincia=0901").get_json()
    assert own and {r["Código"][:4] for r in own} == {"0901"}  # the check can fail: its rows are there


def facility_list(con, region: str) -> pd.DataFrame:
    """A read returning facilities that cannot filter by the user's regions (it takes no ``allowed``)."""
    return con.execute("select cod_ipress from core_facility limit 3").df()


def test_a_read_below_the_region_that_cannot_filter_by_region_is_refused_to_a_regional_user(
    demo_db, monkeypatch
):
    monkeypatch.setattr(query, "facility_list", facility_list, raising=False)
    wh = Warehouse(demo_db)
    with pytest.raises(Forbidden, match="no declarada"):  # closed by default: undeclared, refused to everyone
        wh.read("facility_list", "09")
    monkeypatch.setattr(access, "DECLARED", dict(access.DECLARED))
    access.declare(access.Scope.BELOW_REGION, regions=False)(facility_list)
    assert len(wh.read("facility_list", "09")) == 3  # a national user: every region
    wh.access = lambda: Access(regions=frozenset({"09"}))
    with pytest.raises(Forbidden, match="no filtra por región"):
        wh.read("facility_list", "09")
    wh.access = lambda: Access(below_region=False, admin=False)
    with pytest.raises(Forbidden, match="por debajo del nivel regional"):
        wh.read("facility_list", "09")
    with pytest.raises(KeyError, match="no_existe"):
        wh.read("no_existe")
