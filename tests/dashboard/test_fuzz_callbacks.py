"""Malformed callback bodies, as a script (not a browser) could send them to ``/_dash-update-component``: every
one is answered 4xx (or, when it is a well-formed call with odd values, 2xx) — never a 5xx, never a traceback.
Bodies are generated from the app's real callbacks (``/_dash-dependencies``), each mutated one way, seeded."""

from __future__ import annotations

import copy
import json
import random

import pytest

from tests.dashboard.clients import client_for

pytestmark = pytest.mark.slow  # hundreds of generated requests

ODD_VALUES = [
    None,
    0,
    -1,
    2**63,
    1e308,
    float("nan"),
    True,
    "",
    "ñandú ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e\u0000",
    "x" * 200_000,
    "/region/../../etc/passwd",
    "?periodo=9999-99&programa=%00&provincia=' or 1=1 --",
    "/region/09?provincia=0901&distrito=090101",
    [],
    [1, "a", None],
    ["0001"] * 5000,
    {},
    {"a": {"b": {"c": [1, 2, {"d": None}]}}},
    {"id": "url", "property": "search"},
]


def nested(depth: int) -> object:
    value: object = "hoja"
    for _ in range(depth):
        value = {"n": [value]}
    return value


def base_bodies(deps: list[dict]) -> list[dict]:
    """A well-formed body per callback the server runs: its own output, inputs and state, values None."""
    out = []
    for dep in deps:
        if dep.get("clientside_function"):
            continue
        multi = dep["output"].startswith("..")
        parts = dep["output"][2:-2].split("...") if multi else [dep["output"]]
        outs = [{"id": p.rpartition(".")[0], "property": p.rpartition(".")[2]} for p in parts]
        out.append(
            {
                "output": dep["output"],
                "outputs": outs if multi else outs[0],
                "inputs": [{"id": i["id"], "property": i["property"], "value": None} for i in dep["inputs"]],
                "state": [{"id": s["id"], "property": s["property"], "value": None} for s in dep["state"]],
                "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
            }
        )
    return out


def mutations(rng: random.Random, body: dict) -> dict | list | str | int | None:
    """One body changed one way: its shape, a type, an id, an output, a value."""
    b = copy.deepcopy(body)
    kind = rng.randrange(24)
    if kind == 0:
        return rng.choice([[], [b], "texto", 12, None, True])
    if kind == 1:
        del b[rng.choice(["output", "outputs", "inputs", "state", "changedPropIds"])]
    elif kind == 2:
        b["output"] = rng.choice(["no-existe.children", "", "..a.b...c.d..", 5, None, ["x"], "." * 5000])
    elif kind == 3:
        b["outputs"] = rng.choice([None, "x", [], [{"id": 1}], {"id": "page", "property": 5}, {}])
    elif kind == 4:
        b["inputs"] = rng.choice([None, "x", {}, [None], [1, 2], [{"id": "url"}], [[]]])
    elif kind == 5:
        b["state"] = rng.choice([None, "x", {}, [None], [{"property": "x"}]])
    elif kind == 6:
        b["changedPropIds"] = rng.choice([None, "url.search", [1], [None], ["no.existe"], [["a"]]])
    elif kind in (7, 8, 9, 10, 11, 12) and (b["inputs"] or b["state"]):
        part = rng.choice([p for p in ("inputs", "state") if b[p]])
        item = rng.choice(b[part])
        item["value"] = rng.choice([*ODD_VALUES, nested(rng.choice([50, 300]))])
    elif kind == 13 and b["inputs"]:
        b["inputs"][0]["id"] = rng.choice([1, None, {"type": "x", "index": 1}, "", "ñ" * 300, ["url"]])
    elif kind == 14 and b["inputs"]:
        b["inputs"][0]["property"] = rng.choice([None, 3, "no_existe", "__class__", ""])
    elif kind == 15 and b["inputs"]:
        b["inputs"] = b["inputs"][:-1]  # one input short
    elif kind == 16:
        b["inputs"] = [*b["inputs"], {"id": "url", "property": "pathname", "value": "/"}]  # one too many
    elif kind == 17:
        b["output"] = b["output"] + ".extra"
    elif kind == 18:
        b = {**b, "extra": nested(20), "__proto__": {}}
    elif kind == 19:
        for item in b["inputs"] + b["state"]:
            item["value"] = rng.choice(ODD_VALUES)
    elif kind == 20 and isinstance(b["outputs"], list):
        b["outputs"] = b["outputs"][:1]  # fewer outputs than the callback returns
    elif kind == 21:
        b["outputs"] = {"id": "page", "property": "children"}  # another callback's output
    elif kind == 22:
        b["inputs"] = [{**i, "id": {"type": "drill", "index": "x"}} for i in b["inputs"]]
    else:
        for item in b["inputs"] + b["state"]:
            item["value"] = rng.choice(
                ["/region/09", "/presupuesto/10", "?periodo=2026-09", "0001", "2026-09", "region", 1, None]
            )
    return b


@pytest.mark.parametrize("user", ["mef", None])
def test_malformed_callback_bodies_never_answer_5xx(secured, user):
    c = client_for(secured, user)
    deps = c.get("/_dash-dependencies").get_json()
    bodies = base_bodies([d for d in deps if not d.get("clientside_function")])  # those a browser POSTs
    # the well-formed bodies, as a browser sends them, all pass the checks (a callback may still refuse them:
    # a region the user may not see is a 403)
    for body in bodies:
        r = c.post("/_dash-update-component", json=body)
        assert r.status_code in (200, 204, 403), (
            body["output"],
            r.status_code,
            r.get_data(as_text=True)[:300],
        )
    # a callback that runs in the browser (Calidad's grids emptied on a filter change) has nothing to run here
    for body in base_bodies([d for d in deps if d.get("clientside_function")]):
        assert c.post("/_dash-update-component", json=body).status_code == 400, body["output"]
    rng = random.Random(18 if user else 81)
    sent, bad = [], []
    for k in range(300):
        body = mutations(rng, rng.choice(bodies))
        data = json.dumps(body, allow_nan=True)
        r = c.post("/_dash-update-component", data=data, content_type="application/json")
        sent.append(r.status_code)
        if r.status_code >= 500 or "Traceback" in r.get_data(as_text=True):
            bad.append((k, r.status_code, data[:400]))
    assert not bad, f"{len(bad)} of {len(sent)}:\n" + "\n".join(map(str, bad[:15]))
    # Raw bodies that are not JSON, or not UTF-8, or not even the right content type
    for raw, ctype in (
        (b"{", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"null", "application/json"),
        (b'{"output": "page.children"}', "text/plain"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ):
        r = c.post("/_dash-update-component", data=raw, content_type=ctype)
        assert 400 <= r.status_code < 500, (raw[:40], r.status_code)
    assert any(400 <= code < 500 for code in sent)  # the malformed ones were refused, not all answered


ODD_PARAMS = ["", "abcd", "2026-13", "2026-00", "0000", "9999", "2026-9", "20266", "-1", "1e5", "ñandú", "%00",
              "x" * 3000, "2026-09-01", "09", "LM", "PE", "0901", "090101", "99", "9999-99", "2026-", " 2026",
              "None", "[]", "{}", "' or '1'='1"]  # fmt: skip
PARAM_NAMES = [
    "periodo",
    "programa",
    "provincia",
    "distrito",
    "producto",
    "desde",
    "nivel",
    "indicador",
    "lang",
]
PAGES = ["/", "/region/09", "/region/XX", "/indicador/PAN_DCI", "/indicador", "/presupuesto", "/presupuesto/09",
         "/calidad", "/calidad/09", "/marco-logico"]  # fmt: skip
DOWNLOADS = ["/export/resumen.csv", "/export/region/09.xlsx", "/export/indicador/PAN_DCI.json", "/api/resumen.json",
             "/imprimir", "/export/presupuesto-productos.csv", "/export/calidad-completitud/09.csv",
             "/export/presupuesto-unidades/09.json", "/export/calidad-atipicos.csv"]  # fmt: skip


@pytest.mark.parametrize("user", ["mef", None])
def test_odd_filters_in_pages_and_downloads_never_answer_5xx(secured, user):
    """Filters no link of the app would carry, in a page's URL (its layout, as the browser asks for it) and in
    every kind of download: an answer, a 404 or a refusal — never a 5xx."""
    c = client_for(secured, user)
    rng = random.Random(7 if user else 70)
    bad = []
    for _ in range(150):
        q = "&".join(f"{rng.choice(PARAM_NAMES)}={rng.choice(ODD_PARAMS)}" for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.5:
            page = rng.choice(PAGES)
            r = c.get("/_dash-layout", headers={"Referer": f"http://localhost{page}?{q}"})
        else:
            page = rng.choice(DOWNLOADS)
            r = c.get(f"{page}?{q}")
        if r.status_code >= 500 or b"Traceback" in r.data:  # (an Excel download is bytes)
            bad.append((page, q[:200], r.status_code))
    assert not bad, bad[:10]


def test_a_body_for_a_callback_the_browser_runs_is_refused_not_a_500(secured):
    """The callbacks run in the browser (the language's, the region charts') are declared to Dash but have no
    server function: a script that posts one gets the 400 of any callback this server does not run."""
    c = client_for(secured, None)
    deps = [d for d in c.get("/_dash-dependencies").get_json() if d.get("clientside_function")]
    assert len(deps) >= 2
    for body in base_bodies([{**d, "clientside_function": None} for d in deps]):
        r = c.post("/_dash-update-component", json=body)
        assert r.status_code == 400 and "ninguna actualización" in r.get_data(as_text=True), body["output"]
