"""Requests as browsers and scripts make them, for the access and hostile-input tests: a client per address,
signed in through the real login form, a page's layout as the browser asks for it, a forged callback."""

from __future__ import annotations

import json
import re

PASSWORD = "clave-de-prueba-1"
PERIOD = "2026-09"


_addresses = iter(range(1, 250))


def client_for(app, user: str | None = None, address: str | None = None):
    """A test client from its own address (the login limit counts per address), signed in as ``user``."""
    c = app.server.test_client()
    c.environ_base["REMOTE_ADDR"] = address or f"10.0.0.{next(_addresses)}"
    if user:
        r = login(c, user, PASSWORD)
        assert r.status_code == 302, r.data[:300]
    return c


def login(c, user: str, password: str, **args):
    page = c.get("/ingresar", query_string=args)
    token = re.search(rb'name="csrf" value="([^"]+)"', page.data).group(1).decode()
    return c.post("/ingresar", data={"usuario": user, "clave": password, "csrf": token}, query_string=args)


def layout(c, path: str) -> str:
    r = c.get("/_dash-layout", headers={"Referer": f"http://localhost{path}"})
    assert r.status_code == 200, (path, r.status_code)
    return json.dumps(r.get_json(), ensure_ascii=False)  # Dash escapes '/' and accents


def crafted(c, output_part: str, values: dict[tuple[str, str], object]):
    """A callback request as a script would forge it: the callback whose output names ``output_part``, with
    chosen input and state values (the rest None)."""
    deps = c.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if output_part in d["output"])
    outs = [
        {"id": p.rpartition(".")[0], "property": p.rpartition(".")[2]}
        for p in (dep["output"][2:-2].split("...") if dep["output"].startswith("..") else [dep["output"]])
    ]
    body = {
        "output": dep["output"],
        "outputs": outs if dep["output"].startswith("..") else outs[0],
        "inputs": [{**i, "value": values.get((i["id"], i["property"]))} for i in dep["inputs"]],
        "state": [{**s, "value": values.get((s["id"], s["property"]))} for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }
    return c.post("/_dash-update-component", json=body)


def leaked(text: str, facilities: dict[str, set[str]], own: set[str]) -> set[str]:
    """Facility codes or names of regions other than ``own`` found in a response (names that a facility of
    ``own`` also bears, 'CENTRO DE SALUD SAN JUAN', prove nothing)."""
    mine = set().union(*(xs for region, xs in facilities.items() if region in own))
    # whole JSON strings: 'CENTRO DE SALUD CCOLLPA' is not leaked by 'CENTRO DE SALUD CCOLLPA SAN NICOLAS'
    return {
        x for region, xs in facilities.items() if region not in own for x in xs - mine if f'"{x}"' in text
    }
