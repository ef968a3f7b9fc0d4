"""Access control on the server side: logins (rate-limited, CSRF-checked), roles enforced on pages, callbacks,
exports and endpoints whatever the request looks like, the trusted single-sign-on header, the public view.

The app here has a users file and lets anonymous visitors in as *publico*; it serves a copy of the demo
warehouse, because the admin upload test writes to it."""

from __future__ import annotations

import json

import duckdb
import pytest

from dashboard import context
from dashboard.app import create_app
from dashboard.auth import UsersFileError, read_users, upsert_user
from dashboard.config import load_config
from tests.dashboard.clients import PASSWORD, PERIOD, client_for, crafted, layout, leaked, login

# On the demo warehouse: a leak can only be seen where every view has rows (suspect values need months of history).
pytestmark = pytest.mark.demo


@pytest.fixture(scope="module")
def facilities(secured):
    """Facility codes and names by region, from the warehouse the app serves."""
    con = duckdb.connect(str(context.warehouse().path), read_only=True)
    rows = con.execute(
        "select f.cod_ipress, f.name, d.region_code from core_facility f "
        "join core_district_region d on d.ubigeo = f.ubigeo"
    ).fetchall()
    con.close()
    by_region: dict[str, set[str]] = {}
    for code, name, region in rows:
        by_region.setdefault(region, set()).update({code, name})
    return by_region


# --- signing in --------------------------------------------------------------------------------------------


def test_login_gives_the_users_role_and_a_wrong_password_is_refused(secured):
    c = client_for(secured)
    r = login(c, "huanca", "otra-clave-equivocada")
    assert r.status_code == 401
    assert "Usuario o contraseña incorrectos" in r.get_data(as_text=True)
    r = login(c, "huanca", PASSWORD, siguiente="/region/09?periodo=2026-09")
    assert r.status_code == 302 and r.headers["Location"] == "/region/09?periodo=2026-09"
    text = layout(c, "/region/09")
    assert "Gerencia Huancavelica" in text and "Regional" in text and '"href": "/salir"' in text
    c.get("/salir")
    assert "Gerencia Huancavelica" not in layout(c, "/region/09")


def test_login_failures_are_rate_limited_per_address_and_per_user(secured):
    c = client_for(secured)
    codes = [login(c, f"nadie{k}", "mala-clave-123").status_code for k in range(6)]
    assert codes[:4] == [401] * 4 and codes[4:] == [429, 429]
    # the right password does not get through either while the address is limited
    assert login(c, "mef", PASSWORD).status_code == 429
    # from many addresses, one user name is limited too (a guess spread over a botnet): once the name has failed
    # the limit's count, every address that failed for it is refused …
    guessers = [client_for(secured) for _ in range(5)]
    codes = [login(g, "mef", "mala-clave-123").status_code for g in guessers]
    assert codes == [401] * 5
    assert {login(g, "mef", "mala-clave-123").status_code for g in guessers} == {429}
    assert login(guessers[0], "mef", PASSWORD).status_code == 429
    # … but the stranger has not locked the user out: from an address that never failed, the user signs in
    assert login(client_for(secured), "mef", PASSWORD).status_code == 302


def test_login_refuses_a_form_without_its_token_and_never_redirects_off_site(secured):
    c = client_for(secured)
    r = c.post("/ingresar", data={"usuario": "huanca", "clave": PASSWORD})
    assert r.status_code == 400
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        r = login(client_for(secured), "adm", PASSWORD, siguiente=target)
        assert r.status_code == 302 and r.headers["Location"] == "/", target


# --- a regional user ---------------------------------------------------------------------------------------


def test_a_regional_user_gets_no_other_region_by_any_request(secured, facilities):
    c = client_for(secured, "huanca")
    own = {"09"}
    bodies = []
    # pages, as the browser asks for them (the layout of a URL), including another region's
    for path in ("/", "/region/09", "/region/10", "/presupuesto/10", "/calidad/10", "/indicador/PAN_DCI"):
        bodies.append(layout(c, path))
    # exports and endpoints naming another region are refused
    for path in (
        "/export/region/10.csv",
        "/export/presupuesto-unidades/10.csv",
        "/export/calidad-sin-reporte/10.csv",
        "/export/calidad-atipicos/10.json",
    ):
        r = c.get(path)
        assert r.status_code in (403, 404) or "Huánuco" not in r.get_data(as_text=True), path
        bodies.append(r.get_data(as_text=True))
    # the print view is the scorecard: every region's published figures (as the public's), no detail
    bodies.append(c.get(f"/imprimir?region=10&periodo={PERIOD}").get_data(as_text=True))
    # the scorecard holds every region's published figures, as the public's does (issue 22, part 4)
    doc = c.get(f"/api/resumen.json?periodo={PERIOD}").get_json()
    assert {r["territorio_codigo"] for r in doc} == {"PE", *context.warehouse().snapshot.regions.region_code}
    for table in ("calidad-sin-reporte", "calidad-atipicos", "presupuesto-unidades", "presupuesto-regiones"):
        r = c.get(f"/export/{table}.json?periodo={PERIOD}")
        assert r.status_code == 200, table
        bodies.append(r.get_data(as_text=True))
    assert c.get("/export/calidad-cargas.csv").status_code == 404  # administrators only
    # callbacks forged for another region: the drill-down to facilities, the region page, the quality lists
    for output, values in (
        (
            "region-drill",
            {("url", "search"): "?periodo=2026-09&provincia=1001", ("url", "pathname"): "/region/10"},
        ),
        ("quality-page", {("url", "search"): "?periodo=2026-09", ("url", "pathname"): "/calidad/10"}),
        ("budget-page", {("url", "search"): "?periodo=2026-09", ("url", "pathname"): "/presupuesto/10"}),
        *(  # the quality grids' pages of rows, asked for another region's page
            (
                f"{grid}.getRowsResponse",
                {
                    (f"{grid}-ask", "data"): {"startRow": 0, "endRow": 500},
                    ("url", "search"): "?periodo=2026-09",
                    ("url", "pathname"): "/calidad/10",
                },
            )
            for grid in ("quality-missing", "quality-outliers")
        ),
    ):
        r = crafted(c, output, values)
        assert r.status_code in (200, 204, 403), (output, r.status_code)
        bodies.append(
            json.dumps(r.get_json(), ensure_ascii=False) if r.status_code == 200 else r.get_data(as_text=True)
        )
    found = set().union(*(leaked(b, facilities, own) for b in bodies))
    assert not found, sorted(found)[:10]
    # … while its own region's facilities are there: the check can fail
    mine = c.get(f"/export/calidad-atipicos.json?periodo={PERIOD}").get_data(as_text=True)
    assert leaked(json.dumps(json.loads(mine), ensure_ascii=False), facilities, set(facilities) - own)


def test_sso_header_is_trusted_from_the_proxy_only(secured):
    proxy = client_for(secured, address="127.0.0.1")
    r = proxy.get("/export/region/08.csv", headers={"X-Remote-User": "sso-cusco"})
    assert r.status_code == 200
    assert proxy.get("/export/region/09.csv", headers={"X-Remote-User": "sso-cusco"}).status_code == 404
    assert proxy.get("/", headers={"X-Remote-User": "desconocido"}).status_code == 403
    # the same header from anywhere else is ignored: a public visitor, who sees no facility lists
    outsider = client_for(secured, address="192.0.2.7")
    r = outsider.get("/export/calidad-sin-reporte.csv", headers={"X-Remote-User": "sso-cusco"})
    assert r.status_code == 403


# --- the public view ---------------------------------------------------------------------------------------


def test_the_public_sees_region_level_figures_and_nothing_below(secured, facilities):
    c = client_for(secured)
    everyone = set()
    home = layout(c, "/")
    assert "Huancavelica" in home  # region-level figures are public
    region = layout(c, "/region/09?provincia=0901")
    assert "La vista pública muestra las cifras publicadas por región" in region
    assert "Ingresar" in region
    calidad = layout(c, "/calidad")
    assert "La vista pública" in calidad
    budget = layout(c, "/presupuesto/09")
    assert leaked(home + region + calidad + budget, facilities, everyone) == set()
    r = crafted(c, "region-drill", {("url", "search"): "?provincia=0901", ("url", "pathname"): "/region/09"})
    text = json.dumps(r.get_json(), ensure_ascii=False)
    assert r.status_code == 200 and "vista pública" in text
    assert leaked(text, facilities, everyone) == set()
    for path in (
        "/export/presupuesto-unidades.csv",
        "/export/calidad-sin-reporte.csv",
        "/export/calidad-atipicos.csv",
        "/export/calidad-completitud/09.csv",
        "/export/calidad-completitud.csv",  # region-level, but from a page the public view does not have
        "/export/calidad-triangulacion.json",
    ):
        assert c.get(path).status_code == 403, path
    assert c.get(f"/export/region/09.csv?periodo={PERIOD}").status_code == 200
    assert c.get("/admin/cargar").status_code == 403


def test_signing_in_is_required_when_there_is_no_anonymous_access(app, demo_db, tmp_path):
    users = tmp_path / "usuarios.yaml"
    upsert_user(users, "mef", "nacional", [], None, PASSWORD)
    previous = context.warehouse()
    try:
        app = create_app(config=load_config(env={}, db=demo_db, users_file=users))
        c = app.server.test_client()
        r = c.get("/region/09")
        assert r.status_code == 302 and r.headers["Location"].startswith("/ingresar?siguiente=/region/09")
        assert c.get("/export/resumen.csv").status_code == 401
        assert c.post("/_dash-update-component", json={}).status_code == 401
        assert c.get("/healthz").status_code == 200  # the proxy's check needs no login
        assert login(c, "mef", PASSWORD).status_code == 302
        assert c.get(f"/export/resumen.csv?periodo={PERIOD}").status_code == 200
    finally:
        context.set_warehouse(previous)


# --- security headers ----------------------------------------------------------------------------------------


def test_every_response_carries_the_security_headers(secured):
    c = client_for(secured)
    for path in ("/", "/ingresar", f"/export/region/09.csv?periodo={PERIOD}", "/healthz"):
        h = c.get(path).headers
        csp = h["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp and "http" not in csp
        assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
    cookie = client_for(secured, "adm").get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_a_forged_callback_body_is_a_refusal_not_a_crash(secured):
    c = client_for(secured, "huanca")
    for body in (
        b"{not json",
        b"{}",
        b"[]",
        json.dumps({"output": 3}).encode(),
        json.dumps({"output": "x.y", "inputs": 1}).encode(),
    ):
        r = c.post("/_dash-update-component", data=body, content_type="application/json")
        assert r.status_code == 400, body


def test_refusals_are_logged_without_secrets_and_health_says_what_is_served(secured, caplog):
    c = client_for(secured, "huanca")
    caplog.set_level("INFO")
    assert c.get("/export/calidad-cargas.csv").status_code == 404
    assert client_for(secured).get("/export/presupuesto-unidades.csv").status_code == 403
    assert "rechazado" in caplog.text and "publico" in caplog.text
    assert "$argon2" not in caplog.text and PASSWORD not in caplog.text
    health = c.get("/healthz").get_json()
    assert health["estado"] == "ok" and health["ultimo_lote"] > 0
    assert health["archivo"].endswith("-05:00") and health["ultima_carga"].endswith("-05:00")  # Lima time


def test_the_users_file_refuses_what_the_server_could_not_use(tmp_path):
    users = tmp_path / "usuarios.yaml"
    with pytest.raises(UsersFileError, match="regiones desconocidas 99"):
        upsert_user(users, "x", "regional", ["99"], None, PASSWORD)
    with pytest.raises(UsersFileError, match="solo se usa con el rol regional"):
        upsert_user(users, "x", "nacional", ["09"], None, PASSWORD)
    with pytest.raises(UsersFileError, match="al menos 10"):
        upsert_user(users, "x", "admin", [], None, "corta")
    assert not users.exists()  # nothing written
    upsert_user(users, "x", "regional", ["9"], None, PASSWORD)
    assert read_users(users)["x"].regions == frozenset({"09"})
