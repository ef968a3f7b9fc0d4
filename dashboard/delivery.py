"""How the app's bytes reach a 2 Mbit/s provincial link: compressed by the app itself (no proxy needed), a
plotly.js holding only the traces the app draws, and files whose names change with their content kept by the
browser for a year without asking again.

- **Compression** (Flask-Compress): Brotli when the browser accepts it, else gzip. Responses made per request
  (callbacks, layouts, pages, exports' JSON) at a fast level; the library files, which never change for a given
  URL, at a high level, kept in memory, and at the highest one once per installation (``StaticCache``).
- **plotly.js**: the official *cartesian* partial bundle (``dashboard/vendor/``, MIT; scatter and heatmap are the
  only traces the app draws: lines, markers and the tile map) instead of the full 4.8 MB one. Dash's renderer
  fetches plotly.js only when a page shows a chart, from the ``plotlyjs_url`` of its config; the partial bundle
  is used only while its major version is the one ``plotly`` ships (else the full one, with a warning).
- **The grid's Spanish words** (AG Grid's locale, 33 kB) travel once per browser, as a script kept for a year
  (``GRID_LOCALE_ROUTE``), instead of inside every grid of every layout and callback (six grids on a page made
  a 200 kB answer); each Spanish grid asks for them through ``getLocaleText`` (``components.grid_text``).
- **Cache**: Dash's fingerprinted component files, ``/assets`` files (``?m=`` their modification time), the
  plotly bundle and Bootstrap (the package's version in the path: ``/vendor/2.6.0/…``) are ``immutable`` for
  a year: a repeat visit asks only for the page, its layout and its callbacks.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import json
import logging
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import dash
import flask
from dash.fingerprint import check_fingerprint
from flask_compress import Compress

from .i18n import GRID_LOCALE_FILE, grid_locale

log = logging.getLogger("semaforo.web")

VENDOR = Path(__file__).parent / "vendor"
PLOTLY_BUNDLE = VENDOR / "plotly-cartesian-4.1.1.min.js"
PLOTLY_ROUTE = "/vendor/plotly.js/"  # under /vendor/: served before sign-in, like Bootstrap
SUITES = "/_dash-component-suites/"
IMMUTABLE = "public, max-age=31536000, immutable"
GRID_LOCALE_ROUTE = "/vendor/ag-grid-locale/"  # + the vendored file's name, which carries its version
# Bootstrap under its package's version (/vendor/2.6.0/css/…), the plotly bundle and the grid's words under theirs.
VERSIONED = re.compile(r"^/vendor/(\d+(\.\d+)+|plotly\.js|ag-grid-locale)/")
ENCODINGS = ("br", "gzip")  # in the server's order of preference
DYNAMIC_BR_LEVEL = 5  # a 300 kB callback answer in ~10 ms on one core
DYNAMIC_GZIP_LEVEL = 6
MIN_SIZE = 500  # smaller answers travel as they are
STATIC_BR_LEVEL = 9  # ~1 s for plotly.js: what the first visitor of a new installation gets
BEST_BR_LEVEL = 11  # ~20 s for plotly.js, 8 % smaller: computed once, in the background, kept on disk
STATIC_GZIP_LEVEL = 9


def bundle_version(path: Path) -> str:
    """The plotly.js version in a bundle's header comment (``plotly.js (cartesian - minified) v4.1.1``)."""
    head = path.read_bytes()[:300].decode("ascii", "replace")
    m = re.search(r"plotly\.js \([^)]*\) v(\d+\.\d+\.\d+)", head)
    if not m:
        raise ValueError(f"{path}: no plotly.js version in its header")
    return m.group(1)


def plotly_bundle() -> Path | None:
    """The partial bundle if it matches the plotly.js major version that ``plotly`` ships, else None."""
    from plotly.offline import get_plotlyjs_version

    if not PLOTLY_BUNDLE.is_file():  # an install without the package data
        log.warning("falta %s; se sirve plotly.js completo", PLOTLY_BUNDLE)
        return None
    shipped, ours = get_plotlyjs_version(), bundle_version(PLOTLY_BUNDLE)
    if shipped.split(".")[0] != ours.split(".")[0]:
        log.warning(
            "plotly.js parcial %s no corresponde a la versión %s que trae plotly; se sirve la completa",
            ours,
            shipped,
        )
        return None
    return PLOTLY_BUNDLE


def negotiated(req: flask.Request) -> str | None:
    """The encoding to answer ``req`` in (its ``Accept-Encoding``, q-values included), None for none."""
    return req.accept_encodings.best_match(ENCODINGS)


def compressed_answer(body: bytes, encoding: str | None) -> bytes:
    """``body`` compressed as an answer made per request is (``Compression``'s levels): for a cache that keeps
    answers as sent (``dashboard.response_cache``), so that a hit is not compressed again."""
    if encoding == "br":
        return brotli.compress(body, quality=DYNAMIC_BR_LEVEL)
    if encoding == "gzip":
        return gzip.compress(body, DYNAMIC_GZIP_LEVEL, mtime=0)
    return body


def is_immutable(req: flask.Request) -> bool:
    """Whether the URL names one version of a file for ever (its content never changes at that URL)."""
    path = req.path
    return (
        # Dash's cache-busting names: react@18.v4_4_1m1733.3.1.min.js (its version and the file's mtime)
        (path.startswith(SUITES) and check_fingerprint(path.rsplit("/", 1)[-1])[1])
        or bool(VERSIONED.match(path))
        or (path.startswith("/assets/") and "m" in req.args)
    )


def cache_root() -> Path:
    """Where the server keeps what its workers share on disk: ``SEMAFORO_CACHE_DIR``, else ~/.cache/semaforo."""
    given = os.environ.get("SEMAFORO_CACHE_DIR")
    return (
        Path(given)
        if given
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "semaforo"
    )


def cache_dir() -> Path:
    """Where library files compressed at the highest level are kept between runs and shared by workers."""
    return cache_root() / "compressed"


class StaticCache:
    """Library files compressed for the wire, {(path, encoding): (bytes, best)}. The first request gets a quick
    Brotli (level 9, ~1 s for plotly.js); a background thread at the lowest CPU priority then compresses the
    file at level 11 (~20 s, 8–10 % smaller) into ``cache_dir()``, named by the content's hash, where every
    worker and every later run finds it. Bounded by the set of files the app serves (a few MB)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or cache_dir()
        self.data: dict[tuple[str, str], tuple[bytes, Path | None]] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="semaforo-brotli")

    def compressed(self, key: tuple[str, str], body: bytes) -> bytes:
        with self.lock:
            hit = self.data.get(key)
        if hit is not None:
            data, pending = hit
            if pending is None or not pending.exists():
                return data
            return self._store(key, pending.read_bytes(), None)  # the best version has been written meanwhile
        if key[1] == "gzip":
            return self._store(key, gzip.compress(body, STATIC_GZIP_LEVEL, mtime=0), None)
        best = self.folder / f"{hashlib.sha256(body).hexdigest()[:40]}.br{BEST_BR_LEVEL}"
        if best.exists():
            return self._store(key, best.read_bytes(), None)
        quick = self._store(key, brotli.compress(body, quality=STATIC_BR_LEVEL), best)
        self.pool.submit(self._compress_best, key, body, best)
        return quick

    def _store(self, key: tuple[str, str], data: bytes, pending: Path | None) -> bytes:
        with self.lock:
            self.data[key] = (data, pending)
        return data

    def _compress_best(self, key: tuple[str, str], body: bytes, best: Path) -> None:
        with contextlib.suppress(OSError, AttributeError):  # Linux: this thread alone at the lowest priority
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = open(best.with_suffix(".lock"), "a+b")  # noqa: SIM115 — closed below
        except OSError as e:
            log.info(
                "sin caché de compresión en %s (%s): se sirve Brotli nivel %d",
                self.folder,
                e,
                STATIC_BR_LEVEL,
            )
            return
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # another worker is compressing it; its file is picked up on a later request
            if best.exists():
                return
            data = brotli.compress(body, quality=BEST_BR_LEVEL)
            tmp = best.with_name(f"{best.name}.tmp-{os.getpid()}")
            tmp.write_bytes(data)
            os.replace(tmp, best)
        self._store(key, data, None)

    def wait(self) -> None:
        """Let the background compressions finish (tests, shutdown)."""
        self.pool.submit(lambda: None).result()


class Compression(Compress):
    """Flask-Compress, with immutable files served from ``StaticCache`` at a high level."""

    def __init__(self, app: flask.Flask) -> None:
        app.config.update(
            COMPRESS_ALGORITHM=["br", "gzip"],
            COMPRESS_ALGORITHM_STREAMING=["br"],
            COMPRESS_BR_LEVEL=DYNAMIC_BR_LEVEL,
            COMPRESS_LEVEL=DYNAMIC_GZIP_LEVEL,
            COMPRESS_MIN_SIZE=MIN_SIZE,
        )
        self.static = StaticCache()
        super().__init__(app)
        self.compress_mimetypes_set |= {"text/csv", "application/geo+json"}

    def after_request(self, response: flask.Response | None) -> flask.Response:
        req = flask.request
        if response is None or not (is_immutable(req) and response.status_code == 200):
            return super().after_request(response)
        response.headers["Cache-Control"] = IMMUTABLE
        response.headers.add("Vary", "Accept-Encoding")
        if "Content-Encoding" in response.headers or response.mimetype not in self.compress_mimetypes_set:
            return response
        encoding = negotiated(req)
        if encoding is None:
            return response
        response.direct_passthrough = False
        body = self.static.compressed((req.path, encoding), response.get_data())
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}:{encoding}", weak=bool(weak))
        return response


def grid_locale_script() -> str:
    """The grid's Spanish words as a script: ``window.semaforoGridEs``, read by ``dagfuncs.gridText``."""
    words = json.dumps(grid_locale("es"), ensure_ascii=False, separators=(",", ":"))
    return f"window.semaforoGridEs={words};\n"


def install(app: dash.Dash) -> None:
    """Compression, immutable caching, the grid's words once per browser and the partial plotly.js, on the app's
    Flask server."""
    server = app.server
    Compression(server)
    locale_url = GRID_LOCALE_ROUTE + GRID_LOCALE_FILE.with_suffix(".js").name
    script = grid_locale_script().encode()

    @server.route(locale_url)
    def grid_locale_js():
        return flask.Response(script, mimetype="application/javascript", headers={"Cache-Control": IMMUTABLE})

    # Before the renderer: the grids find their words when they first draw.
    app.config.external_scripts = [*app.config.external_scripts, locale_url]
    bundle = plotly_bundle()
    if bundle is None:
        return

    @server.route(PLOTLY_ROUTE + bundle.name)
    def plotly_js():
        return flask.send_file(bundle, mimetype="application/javascript", max_age=31536000, etag=True)

    base_config = app._config  # the renderer's config, written into every page

    def config() -> dict:
        # The renderer takes plotly.js from plotlyjs_url when serve_locally is off; serve_locally has no other
        # use in the renderer (Dash ≥ 3): every other file is still this server's.
        return {**base_config(), "serve_locally": False, "plotlyjs_url": PLOTLY_ROUTE + bundle.name}

    app._config = config
