"""The bench's dashboard tasks: the scripted session through the real app, and the replay of its raw queries."""

from __future__ import annotations

import pickle
import time
from typing import Any

from .memory import rss_mb


def session(args: dict[str, Any]) -> dict[str, Any]:
    """The scripted session on a new app, as one serving worker; its memory after the session."""
    from dashboard import context
    from dashboard.app import create_app
    from dashboard.config import load_config

    from .session import run
    from .session_script import script

    # No query cache: each measured callback repeats the same request, which a cache would answer from memory;
    # the cache's effect is measured by the load test (bench/load.py), where many users repeat popular views.
    app = create_app(config=load_config(env={}, db=args["db"], cache_mb=0))
    pages = script(context.warehouse())
    out = run(app, pages, args["repeats"])
    with open(args["queries"], "wb") as f:
        pickle.dump(out.pop("queries"), f)
    out["rss_mb"] = rss_mb()
    return out


def replay(args: dict[str, Any]) -> dict[str, Any]:
    """The session's raw queries alone on a read-only connection: the serving worker's memory baseline."""
    from warehouse import query
    from warehouse.db import connect_readonly, reader_cursor

    with open(args["queries"], "rb") as f:
        calls = pickle.load(f)
    con = connect_readonly(args["db"])
    cur = reader_cursor(con)
    started = time.perf_counter()
    for name, a, kw in calls:
        getattr(query, name)(cur, *a, **kw)
    return {"seconds": time.perf_counter() - started, "queries": len(calls), "rss_mb": rss_mb()}
