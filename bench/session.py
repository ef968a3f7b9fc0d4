"""A scripted dashboard session through the real Dash pipeline, as a browser drives it.

Each page is opened as the browser opens it (``/_dash-layout`` with the page as Referer), then its filters change
step by step: for every step the callbacks a browser fires when ``url.search`` changes are POSTed to
``/_dash-update-component`` with the Flask test client, with the inputs and states the page holds at that moment
(taken from the layout and updated from each response, like Dash's renderer). Navigating to the page from another
one (the router callback) is measured too. Callback ids, inputs and states come from ``/_dash-dependencies``.

Every call to a ``warehouse.query`` function made while a callback runs is recorded, then replayed on the same
cursor right after the callback: that is the raw DuckDB query time the callback is compared with.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from warehouse import access, query

REFERER = "http://localhost"
FIRST_PAGE = {"startRow": 0, "endRow": 50, "sortModel": [], "filterModel": {}}  # a paged grid's first request
QUERY_FUNCTIONS = (
    "snapshot",
    "series",
    "children",
    "stock",
    "budget_results",
    "periods",
    "budget_products",
    "budget_region_products",
    "budget_months",
    "budget_units",
    "budget_regions",
    "budget_change",
    "quality_completeness",
    "quality_missing",
    "quality_outliers",
    "quality_triangulation",
    "quality_batches",
    "quality_quarantine",
)


@dataclass(frozen=True)
class Step:
    label: str
    search: str
    drill: bool = False  # drills down to facilities (its own, looser target)


@dataclass(frozen=True)
class Page:
    key: str  # resumen | region | indicador | presupuesto | calidad | marco
    path: str
    steps: tuple[Step, ...]


@dataclass
class Call:
    """One POSTed callback."""

    page: str
    step: str
    callback: str  # the callback's output string (its id in Dash)
    ms: float
    kb: float
    status: int
    raw_ms: float | None  # replay of the warehouse.query calls it made; None when it made none
    query_ms: float  # time spent inside warehouse.query functions during the callback
    drill: bool = False
    parts_kb: dict[str, float] = field(default_factory=dict)  # size of each output in the response
    rows: bool = False  # a paged grid asking for its first page (after the step that drew it)


class Recorder:
    """Wraps the ``warehouse.query`` functions the pages call, to record calls and the time spent in them."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, tuple, dict]] = []
        self.seconds = 0.0
        self.log: list[tuple[str, tuple, dict]] = []  # every call of the session, without its cursor
        self.originals = {name: getattr(query, name) for name in QUERY_FUNCTIONS}
        self.declared = dict(access.DECLARED)

    def install(self) -> None:
        # The wrapper stands for the declared query (access is closed by default: an undeclared function is refused).
        for name, fn in self.originals.items():
            wrapped = self._wrap(fn)
            setattr(query, name, wrapped)
            access.DECLARED[name] = dataclasses.replace(access.DECLARED[name], fn=wrapped)

    def uninstall(self) -> None:
        for name, fn in self.originals.items():
            setattr(query, name, fn)
        access.DECLARED.clear()
        access.DECLARED.update(self.declared)

    def _wrap(self, fn):
        @functools.wraps(fn)
        def recorded(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls.append((fn, args, kwargs))
                self.log.append((fn.__name__, args[1:], kwargs))

        return recorded

    def reset(self) -> None:
        self.calls, self.seconds = [], 0.0

    def replay(self) -> float | None:
        """Seconds to run the recorded queries again, straight on DuckDB (same cursor, same arguments)."""
        if not self.calls:
            return None
        started = time.perf_counter()
        for fn, args, kwargs in self.calls:
            fn(*args, **kwargs)
        return time.perf_counter() - started


def outputs_of(output: str) -> list[dict[str, str]]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for p in parts:
        cid, _, prop = p.rpartition(".")
        out.append({"id": cid, "property": prop})
    return out


def _walk(node: Any, store: dict[tuple[str, str], Any]) -> None:
    """Every prop of every component with a string id, from a layout (or children) in Dash's JSON form."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, list):
            stack.extend(n)
        elif isinstance(n, dict):
            props = n.get("props")
            if isinstance(props, dict) and "type" in n:
                cid = props.get("id")
                if isinstance(cid, str):
                    for k, v in props.items():
                        store[(cid, k)] = v
                stack.extend(v for v in props.values() if isinstance(v, list | dict))


def _size(value: Any) -> float:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()) / 1000


class Browser:
    """Just enough of Dash's renderer to drive the callbacks as a browser does."""

    def __init__(self, client) -> None:
        self.client = client
        self.deps = client.get("/_dash-dependencies").get_json()
        self.store: dict[tuple[str, str], Any] = {}
        self.last_layout: dict | None = None

    def open(self, path: str, search: str) -> tuple[float, float]:
        """Load a page as the browser does (ms, kB of /_dash-layout); the page's props become the state."""
        started = time.perf_counter()
        r = self.client.get("/_dash-layout", headers={"Referer": f"{REFERER}{path}{search}"})
        ms = (time.perf_counter() - started) * 1000
        assert r.status_code == 200, r.status_code
        self.store = {}
        self.last_layout = r.get_json()
        _walk(self.last_layout, self.store)
        self.store[("url", "pathname")] = path
        self.store[("url", "search")] = search
        return ms, len(r.data) / 1000

    def _present(self, dep: dict) -> bool:
        ids = [d["id"] for d in dep["inputs"]] + [o["id"] for o in outputs_of(dep["output"])]
        return all(any(k[0] == i for k in self.store) for i in ids)

    def listening(self, component: str, prop: str) -> list[dict]:
        """The callbacks with this input whose components are all on the page (the ones the browser fires at the
        server: not those it runs itself)."""
        return [
            d
            for d in self.deps
            if any(i["id"] == component and i["property"] == prop for i in d["inputs"])
            and self._present(d)
            and not d.get("clientside_function")
        ]

    def grids(self) -> list[tuple[str, dict]]:
        """The paged grids on the page (components.paged_grid) with the server's callback that answers their rows
        (it listens to the grid's ask store: the first page comes with the page)."""
        out = []
        for d in self.deps:
            (first, *_) = d["inputs"]
            if first["id"].endswith("-ask") and self._present(d) and not d.get("clientside_function"):
                out.append((first["id"], d))
        return out

    def post(self, dep: dict, changed: str):
        outputs = outputs_of(dep["output"])
        body = {
            "output": dep["output"],
            "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": [{**i, "value": self.store.get((i["id"], i["property"]))} for i in dep["inputs"]],
            "state": [{**s, "value": self.store.get((s["id"], s["property"]))} for s in dep["state"]],
            "changedPropIds": [changed],
        }
        started = time.perf_counter()
        r = self.client.post("/_dash-update-component", json=body)
        ms = (time.perf_counter() - started) * 1000
        assert r.status_code in (200, 204), (dep["output"], r.status_code, r.data[:500])
        parts: dict[str, float] = {}
        if r.status_code == 200:
            for cid, props in r.get_json()["response"].items():
                for prop, value in props.items():
                    parts[f"{cid}.{prop}"] = _size(value)
                    if not (isinstance(value, dict) and "__dash_patch_update" in value):
                        self.store[(cid, prop)] = value
                        if prop == "children":  # the renderer holds the new children's props (a store's data)
                            _walk(value, self.store)
        return r, ms, parts


def run(app, pages: list[Page], repeats: int) -> dict[str, Any]:
    """The scripted session on a created app: every page's steps ``repeats`` times; raw records out."""
    recorder = Recorder()
    recorder.install()
    client = app.server.test_client()
    client.get("/")  # Dash sets itself up on the first request; a browser's first GET does the same
    browser = Browser(client)
    calls: list[Call] = []
    loads: list[dict[str, Any]] = []
    first_map_kb = None
    try:
        for rep in range(repeats):
            for page in pages:
                ms, kb = browser.open(page.path, page.steps[0].search)
                loads.append({"page": page.key, "ms": ms, "kb": kb})
                if page.key == "resumen" and first_map_kb is None:
                    fig = browser.store.get(("region-map", "figure"))
                    first_map_kb = _size(fig) if fig is not None else None
                for step in page.steps:
                    browser.store[("url", "search")] = step.search
                    for dep in browser.listening("url", "search"):
                        calls.append(_call(browser, recorder, dep, "url.search", page.key, step))
                    # then each paged grid's page of rows as the server answers it once the grid is sorted, filtered or
                    # turned (its first page comes with the page: the browser asks the server for none)
                    for grid, dep in browser.grids():
                        browser.store[(grid, "data")] = FIRST_PAGE
                        call = _call(browser, recorder, dep, f"{grid}.data", page.key, step)
                        calls.append(dataclasses.replace(call, rows=True))
                # Arriving from another page: the router renders this page's content in a callback.
                browser.store[("page-key", "data")] = "elsewhere:"
                browser.store[("url", "search")] = page.steps[0].search
                (route,) = [d for d in browser.listening("url", "pathname") if "page.children" in d["output"]]
                nav = Step("navegar a la página", page.steps[0].search)
                calls.append(_call(browser, recorder, route, "url.pathname", page.key, nav))
            del rep
    finally:
        recorder.uninstall()
    return {
        "calls": [c.__dict__ for c in calls],
        "loads": loads,
        "first_map_kb": first_map_kb,
        "queries": recorder.log,
    }


def _call(browser: Browser, recorder: Recorder, dep: dict, changed: str, page: str, step: Step) -> Call:
    recorder.reset()
    r, ms, parts = browser.post(dep, changed)
    inside = recorder.seconds
    raw = recorder.replay()
    return Call(
        page=page,
        step=step.label,
        callback=dep["output"],
        ms=ms,
        kb=len(r.data) / 1000,
        status=r.status_code,
        raw_ms=None if raw is None else raw * 1000,
        query_ms=inside * 1000,
        drill=step.drill,
        parts_kb=parts,
    )
