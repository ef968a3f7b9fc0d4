"""The cold start of ``semaforo serve``: launch to the first answer and to the first page, against a bare Flask
app started alike."""

from __future__ import annotations

import json
import sys
import time
import urllib.request
from pathlib import Path

from .report import Figure
from .server import free_port, get, launch, stop, wait_listening
from .session import outputs_of

BARE_FLASK = (
    "import sys, flask; app = flask.Flask('bare'); app.route('/')(lambda: 'ok'); "
    "app.run(host='127.0.0.1', port=int(sys.argv[1]))"
)


def cold_start(db: Path, env: dict[str, str]) -> list[Figure]:
    """``semaforo serve`` started anew: time to the first answered GET / and to the first page (GET /, its
    layout, the callbacks list and the router's first callback); a bare Flask app started alike is the
    baseline."""
    semaforo = Path(sys.executable).with_name("semaforo")
    base_cmd = [str(semaforo)] if semaforo.exists() else [sys.executable, "-m", "semaforo"]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = launch([*base_cmd, "serve", "--db", str(db), "--port", str(port)], env)
    try:
        wait_listening(url + "/", proc)
        listening = time.perf_counter() - started
        get(url + "/_dash-layout", referer=url + "/")
        _first_callback(url, json.loads(get(url + "/_dash-dependencies")))
        first_page = time.perf_counter() - started
        again = time.perf_counter()
        get(url + "/")
        get(url + "/_dash-layout", referer=url + "/")
        warm = time.perf_counter() - again
    finally:
        stop(proc)
    port = free_port()
    started = time.perf_counter()
    bare = launch([sys.executable, "-c", BARE_FLASK, str(port)], {})
    try:
        wait_listening(f"http://127.0.0.1:{port}/", bare)
        bare_s = time.perf_counter() - started
    finally:
        stop(bare)
    return [
        Figure(
            "start",
            "semaforo serve: launch → first GET / answered",
            listening,
            "s",
            bare_s,
            "bare Flask app",
            target="(information)",
        ),
        Figure(
            "start",
            "semaforo serve: launch → first page served (GET /, layout, first callback)",
            first_page,
            "s",
            bare_s,
            "bare Flask app",
            [("value", "<=", 2.0)],
            "< 2 s",
            extra={"same_page_again_s": warm},
        ),
    ]


def _first_callback(url: str, deps: list[dict]) -> None:
    """The router callback a browser fires on first load (it answers 204: the page came with the layout)."""
    (route,) = [d for d in deps if d["output"].startswith("..page.children")]
    values = {("url", "pathname"): "/", ("url", "search"): "", ("page-key", "data"): "resumen:"}
    body = {
        "output": route["output"],
        "outputs": outputs_of(route["output"]),
        "inputs": [{**i, "value": values.get((i["id"], i["property"]))} for i in route["inputs"]],
        "state": [{**x, "value": values.get((x["id"], x["property"]))} for x in route["state"]],
        "changedPropIds": ["url.pathname"],
    }
    req = urllib.request.Request(
        url + "/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
