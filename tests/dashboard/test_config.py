"""Server settings are coerced through their declared types (pydantic), from TOML, environment and command line."""

from __future__ import annotations

from pathlib import Path
from typing import get_type_hints

import pytest
from pydantic import TypeAdapter

from dashboard.config import ConfigError, ServeConfig, load_config


def toml(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "semaforo.toml"
    f.write_text("[serve]\n" + body, encoding="utf-8")
    return f


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("workers = 2.5\n", "workers"),  # an int silently cut to 2 by int() before
        ("https = 'quizás'\n", "https"),
        ("port = 'ocho mil'\n", "port"),
        ("log_level = 5\n", "log_level"),  # text expected, not a number
    ],
)
def test_a_value_that_is_not_of_the_declared_type_stops_the_server(tmp_path, body, key):
    with pytest.raises(ConfigError) as e:
        load_config(toml(tmp_path, body), env={})
    assert f"semaforo.toml [serve] {key}: valor inválido para {key}" in str(e.value)


def test_every_setting_comes_out_of_the_declared_type(tmp_path):
    env = {
        "SEMAFORO_PORT": "8060",
        "SEMAFORO_HTTPS": "sí",
        "SEMAFORO_REGIONS": "09, lm",
        "SEMAFORO_TRUSTED_PROXIES": "10.0.0.1,10.0.0.2",
        "SEMAFORO_UPLOAD_DIR": "cargas",
        "SEMAFORO_GEOJSON": "",
        "SEMAFORO_CACHE_MB": "32",
    }
    cfg = load_config(None, env=env)
    assert (cfg.port, cfg.https, cfg.regions) == (8060, True, frozenset({"09", "LM"}))
    assert cfg.trusted_proxies == ("10.0.0.1", "10.0.0.2") and cfg.upload_dir == Path("cargas")
    assert cfg.geojson is None
    for name, kind in get_type_hints(ServeConfig).items():
        value = getattr(cfg, name)
        assert TypeAdapter(kind).validate_python(value, strict=True) == value, name


def test_duckdb_threads_per_query_are_the_servers_setting(tmp_path, small_db):
    """Each version's database runs a query on ``duckdb_threads`` threads (by default DuckDB's, one per core);
    a negative count is refused at start."""
    import os
    import shutil

    from dashboard import context
    from dashboard.app import create_app

    db = tmp_path / "w.duckdb"
    shutil.copy2(small_db, db)
    previous = context._current
    try:
        cores = len(os.sched_getaffinity(0))
        for env, threads in (
            ({}, cores),
            ({"SEMAFORO_DUCKDB_THREADS": "1"}, 1),
            ({"SEMAFORO_DUCKDB_THREADS": "3"}, 3),
        ):
            create_app(config=load_config(env=env, db=db))
            wh = context.warehouse()
            assert wh.cursor.execute("select current_setting('threads')").fetchone() == (threads,)
    finally:
        if previous is not None:
            context.set_warehouse(previous)
    with pytest.raises(ConfigError, match="duckdb_threads"):
        load_config(env={"SEMAFORO_DUCKDB_THREADS": "-1"}, db=db)
