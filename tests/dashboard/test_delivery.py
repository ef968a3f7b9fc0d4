"""What reaches a slow link: compressed answers, library files cached for good under names that change with
their content, and the partial plotly.js — on the real app (``create_app``) over a small real warehouse."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil

import brotli
import pytest
from plotly.offline import get_plotlyjs_version

from dashboard import context, delivery
from dashboard.app import create_app

BR = {"Accept-Encoding": "gzip, deflate, br, zstd"}
GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture(scope="module")
def client(tmp_path_factory, territory_template):
    folder = tmp_path_factory.mktemp("compressed")
    saved = os.environ.get("SEMAFORO_CACHE_DIR")
    os.environ["SEMAFORO_CACHE_DIR"] = str(folder)
    db = tmp_path_factory.mktemp("delivery") / "warehouse.duckdb"
    shutil.copy(territory_template, db)
    previous = context._current  # the session's app (other test modules) gets its warehouse back afterwards
    app = create_app(db)
    yield app.server.test_client()
    if previous is not None:
        context.set_warehouse(previous)
    if saved is None:
        os.environ.pop("SEMAFORO_CACHE_DIR", None)
    else:
        os.environ["SEMAFORO_CACHE_DIR"] = saved


def decoded(resp) -> bytes:
    enc = resp.headers.get("Content-Encoding")
    if enc == "br":
        return brotli.decompress(resp.data)
    if enc == "gzip":
        return gzip.decompress(resp.data)
    assert enc is None, enc
    return resp.data


def page_files(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/[^"]+)"', html)


def test_pages_and_callbacks_are_compressed_by_the_app(client):
    c = client
    plain = c.get("/region/09")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    br = c.get("/region/09", headers=BR)
    assert br.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in br.headers["Vary"]
    # the same page (Dash's per-load token and CSP nonce aside): compare the script list
    assert page_files(decoded(br).decode()) == page_files(plain.data.decode())
    gz = c.get("/region/09", headers=GZIP)
    assert gz.headers["Content-Encoding"] == "gzip"
    layout_plain = c.get("/_dash-layout", headers={"Referer": "http://localhost/region/09"})
    layout = c.get("/_dash-layout", headers={"Referer": "http://localhost/region/09", **BR})
    assert layout.headers["Content-Encoding"] == "br"
    assert json.loads(decoded(layout)) == json.loads(layout_plain.data)
    assert len(layout.data) < len(layout_plain.data) / 3


def test_library_files_are_compressed_once_and_kept_by_the_browser_for_good(client):
    c = client
    html = c.get("/", headers=BR)
    files = page_files(decoded(html).decode())
    scripts = [f for f in files if f.endswith(".js") or ".js?" in f]
    assert any("dash_ag_grid" in f for f in scripts) and any("react-dom" in f for f in scripts)
    for url in files:
        if url.startswith("/theme/") or url.startswith("/_favicon"):
            continue  # made at run time from the settings; short-lived cache, checked below
        plain = c.get(url)
        resp = c.get(url, headers=BR)
        assert resp.status_code == 200, url
        assert (
            "immutable" in resp.headers["Cache-Control"]
            and "max-age=31536000" in resp.headers["Cache-Control"]
        )
        if len(plain.data) > 1000 and plain.mimetype in ("application/javascript", "text/css"):
            assert resp.headers.get("Content-Encoding") == "br", url
            assert decoded(resp) == plain.data, url
            assert len(resp.data) < len(plain.data) / 2, url
    # A URL without Dash's fingerprint may change content: never marked immutable.
    bare = c.get("/_dash-component-suites/plotly/package_data/plotly.min.js")
    assert "immutable" not in bare.headers.get("Cache-Control", "")


def test_charts_take_the_partial_plotly_bundle_from_this_server(client):
    c = client
    html = decoded(c.get("/", headers=BR)).decode()
    config = json.loads(
        re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html).group(1)
    )
    url = config["plotlyjs_url"]
    assert url == delivery.PLOTLY_ROUTE + delivery.PLOTLY_BUNDLE.name  # a path of this server, no CDN
    resp = c.get(url, headers=BR)
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "br"
    assert "immutable" in resp.headers["Cache-Control"]
    body = decoded(resp)
    assert body == delivery.PLOTLY_BUNDLE.read_bytes()
    assert len(resp.data) < 500_000  # the full bundle is 4.8 MB, 1.4 MB compressed
    # same major version as the plotly.js that plotly (and so dcc.Graph) is built for
    ours = delivery.bundle_version(delivery.PLOTLY_BUNDLE)
    assert ours.split(".")[0] == get_plotlyjs_version().split(".")[0]
    # the traces the app draws are in it
    for trace in ("scatter", "heatmap"):
        assert f'moduleType:"trace",name:"{trace}"' in body.decode(), trace


def test_a_mismatched_bundle_falls_back_to_the_full_plotly(tmp_path, monkeypatch, caplog):
    other = tmp_path / "plotly-cartesian-9.0.0.min.js"
    other.write_text("/**\n* plotly.js (cartesian - minified) v9.0.0\n*/\n", encoding="utf-8")
    monkeypatch.setattr(delivery, "PLOTLY_BUNDLE", other)
    assert delivery.plotly_bundle() is None
    assert "no corresponde" in caplog.text
    monkeypatch.setattr(delivery, "PLOTLY_BUNDLE", tmp_path / "absent.js")
    assert delivery.plotly_bundle() is None
    monkeypatch.setattr(delivery, "PLOTLY_BUNDLE", tmp_path / "none.js")
    (tmp_path / "none.js").write_text("var x;", encoding="utf-8")
    with pytest.raises(ValueError, match=r"no plotly\.js version"):
        delivery.bundle_version(tmp_path / "none.js")


@pytest.mark.slow
def test_the_best_compression_is_made_once_in_the_background_and_shared_through_the_disk(tmp_path):
    body = delivery.PLOTLY_BUNDLE.read_bytes()[:300_000]
    key = ("/vendor/plotly.js/x.js", "br")
    first = delivery.StaticCache(tmp_path)
    quick = first.compressed(key, body)
    assert brotli.decompress(quick) == body
    first.wait()
    (best,) = tmp_path.glob("*.br11")
    assert brotli.decompress(best.read_bytes()) == body
    assert len(best.read_bytes()) < len(quick)
    assert first.compressed(key, body) == best.read_bytes()  # this process now serves the best one
    other = delivery.StaticCache(tmp_path)  # another worker, or the next run: no compression at all
    other.pool.shutdown()
    assert other.compressed(key, body) == best.read_bytes()
    # gzip (a browser without Brotli) is made at once at level 9
    assert gzip.decompress(first.compressed((key[0], "gzip"), body)) == body


def test_an_unwritable_cache_keeps_serving_the_quick_compression(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = delivery.StaticCache(blocked / "sub")
    body = b"x = 1;" * 10_000
    quick = cache.compressed(("/a.js", "br"), body)
    cache.wait()
    assert cache.compressed(("/a.js", "br"), body) == quick
    assert brotli.decompress(quick) == body


def test_the_grid_words_travel_once_per_browser_not_with_every_grid(client):
    import pandas as pd

    from dashboard.components.table_grid import table_grid
    from dashboard.i18n import grid_locale
    from dashboard.views.quality import QUALITY_TRIANGULATION as view

    html = decoded(client.get("/", headers=BR)).decode()
    (url,) = [f for f in page_files(html) if f.startswith(delivery.GRID_LOCALE_ROUTE)]
    script = decoded(client.get(url, headers=BR)).decode()
    assert script.startswith("window.semaforoGridEs=")
    assert json.loads(script.removeprefix("window.semaforoGridEs=").rstrip().rstrip(";")) == grid_locale("es")
    # A Spanish grid asks the browser for its words (assets/dashAgGridFunctions.js); an English one needs none.
    row = {c.key: None for c in view.columns} | {"region_name": "Huancavelica", "year": 2025}
    es = table_grid("g", view, pd.DataFrame([row]), "es").dashGridOptions
    en = table_grid("g", view, pd.DataFrame([row]), "en").dashGridOptions
    assert "localeText" not in es and es["getLocaleText"] == {"function": "gridText(params)"}
    assert "localeText" not in en and "getLocaleText" not in en
    functions = (delivery.Path(__file__).parents[2] / "assets" / "dashAgGridFunctions.js").read_text()
    assert "dagfuncs.gridText = function (params)" in functions and "window.semaforoGridEs" in functions
    assert len(json.dumps(es)) < 2_000  # was 33 kB of locale in each grid
