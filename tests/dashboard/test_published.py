"""A regional user sees at least what the public sees (issue 22, part 4): every region's published region-level
figures in the map, the scorecard and their downloads, plus the figures below the region of their own regions
only. Real logins and requests on the small fixture warehouse."""

from __future__ import annotations

import datetime as dt

from dashboard import context
from tests.dashboard.clients import PERIOD, client_for, crafted
from warehouse import access, query


def test_the_region_level_is_published_to_a_regional_user_and_below_it_only_their_own():
    period = dt.date(2026, 9, 1)
    huanca = access.regional(frozenset({"09"}))
    # a read of region rows runs with no region filter, as the public's; below the region, with the user's
    assert access.permit(query.snapshot, huanca, "0001", ["PE", "09", "10"], period) == {"allowed": None}
    assert access.permit(query.snapshot, huanca, "0001", ["0901", "1001"], period) == {
        "allowed": frozenset({"09"})
    }
    assert access.permit(query.children, huanca, "PAN_P_CRED", "10", "region", period) == {
        "allowed": frozenset({"09"})
    }
    # a regional server publishes its regions only, to everyone
    server = access.Asker(
        regions=frozenset({"09"}), below_region=True, admin=False, published=frozenset({"09"})
    )
    assert access.permit(query.snapshot, server, "0001", ["PE", "10"], period) == {
        "allowed": frozenset({"09"})
    }


def test_a_regional_users_map_and_scorecard_show_every_region_as_the_publics_do(secured):
    regions = set(context.warehouse().snapshot.regions.region_code)
    public = client_for(secured)
    huanca = client_for(secured, "huanca")
    docs = [c.get(f"/api/resumen.json?periodo={PERIOD}").get_json() for c in (public, huanca)]
    assert {r["territorio_codigo"] for r in docs[0]} == {"PE", *regions}
    assert docs[1] == docs[0]  # the same published figures, row for row
    # the map draws the same rows (the browser test counts its tiles: tests/browser/test_region_top.py)
    # … while the detail of another region stays refused, by download and by a forged callback
    assert huanca.get(f"/export/region-detalle/10.csv?periodo={PERIOD}").status_code in (403, 404)
    assert huanca.get(f"/export/region-detalle/09.csv?periodo={PERIOD}").status_code == 200
    r = crafted(
        huanca,
        "region-drill",
        {("url", "search"): f"?periodo={PERIOD}&provincia=1001", ("url", "pathname"): "/region/10"},
    )
    assert r.status_code in (204, 403) or '"drill-grid"' not in r.get_data(as_text=True)
