"""``SEMAFORO_PROFILE``: each request's CPU time and profile added to its kind's, written when the worker ends."""

from __future__ import annotations

import json
import pstats

import flask
from werkzeug.test import Client

from dashboard import profiling


def test_requests_are_profiled_by_kind_and_written_at_exit(tmp_path, monkeypatch):
    app = flask.Flask(__name__)
    app.add_url_rule("/_dash-layout", "layout", lambda: sum(i * i for i in range(200_000)).__str__())
    app.add_url_rule("/export/region/<r>.json", "export", lambda r: r)
    monkeypatch.setattr(profiling, "_active", [])
    assert profiling.wrap(app) is app  # off unless the variable names a folder
    monkeypatch.setenv(profiling.VARIABLE, str(tmp_path / "prof"))
    client = Client(profiling.wrap(app))
    for _ in range(3):
        assert client.get("/_dash-layout").status_code == 200
    assert client.get("/export/region/09.json").text == "09"
    profiling.finish()
    written = {p.name.split("-")[0] for p in (tmp_path / "prof").iterdir()}
    assert written == {"layout", "export", "cpu"}
    (cpu,) = (tmp_path / "prof").glob("cpu-*.json")
    totals = json.loads(cpu.read_text())
    assert totals["layout"]["requests"] == 3 and totals["export"]["requests"] == 1
    assert totals["layout"]["cpu_s"] > totals["export"]["cpu_s"] > 0 and totals["process_cpu_s"] > 0
    (layout,) = (tmp_path / "prof").glob("layout-*.prof")
    assert any("<genexpr>" in fn for _file, _line, fn in pstats.Stats(str(layout)).stats)
