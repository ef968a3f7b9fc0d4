"""What a callback request (``POST /_dash-update-component``) may look like: the shape of the bodies this app's
pages send. A body of any other shape comes from a script, and Dash or the callback would trip over it (a 500);
``dashboard.security`` answers it 400 with the reason, before Dash reads it."""

from __future__ import annotations

import flask

# What a browser sends for each property a callback reads (Dash's components, as this app uses them): anything
# else comes from a script and would reach the callback as a type it was never written for.
PROPERTY_TYPES: dict[str, tuple[type, ...]] = {
    "pathname": (str,),
    "search": (str,),
    "value": (str, int, float),  # single-choice dropdowns and inputs (a multi-choice one would add list)
    "n_clicks": (int,),
    "is_open": (bool,),
    "clickData": (dict,),
    "data": (str, int, float, bool, list, dict),  # dcc.Store: the app's own JSON
    "getRowsRequest": (dict,),  # a paged grid asking for rows (components.paged_grid)
}
MAX_DEPTH = 20  # of a value; the deepest a component of this app sends is a map click (≈ 5)


def _depth(value: object, limit: int) -> int:
    """How deep a JSON value nests, counting no further than ``limit``."""
    if limit <= 0 or not isinstance(value, dict | list):
        return 0
    items = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(v, limit - 1) for v in items), default=0)


def _declared(part: str) -> dict[str, str]:
    """An output as the body names it; an allow_duplicate output's property carries its hash ('search@9f…')."""
    ident, _, prop = part.rpartition(".")
    return {"id": ident, "property": prop}


def _of_type(value: object, kinds: tuple[type, ...]) -> bool:
    if isinstance(value, bool):  # a bool is an int to Python, not to a component
        return bool in kinds
    return isinstance(value, kinds)


def malformed_callback(req: flask.Request, callbacks: dict) -> str | None:
    """Why a ``/_dash-update-component`` body is not one this app's pages could send, or None: the callback it
    names, its outputs, inputs and state exactly as declared (ids and properties, in order), the changed
    properties among its inputs, and each value of the type its component sends, not nested without end.
    (The app has no pattern-matching callbacks, whose ids are dicts and whose inputs are lists: a body with
    those is refused until one is added here.)"""
    try:
        body = req.get_json(silent=True)
    except RecursionError:
        return "JSON anidado sin fin"
    if not isinstance(body, dict):
        return "el cuerpo no es un objeto JSON"
    output = body.get("output")
    spec = callbacks.get(output) if isinstance(output, str) else None
    if (
        spec is None or not isinstance(output, str) or "callback" not in spec
    ):  # a clientside one: the browser's
        return "la salida no es la de ninguna actualización de esta aplicación"
    multi = output.startswith("..")
    expected = [_declared(p) for p in (output[2:-2].split("...") if multi else [output])]
    outputs = body.get("outputs")
    shown = outputs if multi else [outputs]
    if not isinstance(shown, list) or len(shown) != len(expected):
        return "'outputs' no corresponde a la salida"
    for got, want in zip(shown, expected, strict=True):
        if (
            not isinstance(got, dict)
            or got.get("id") != want["id"]
            or got.get("property") != want["property"]
        ):
            return "'outputs' no corresponde a la salida"
    for part in ("inputs", "state"):
        items = body.get(part, [])
        declared = spec[part]
        if not isinstance(items, list) or len(items) != len(declared):
            return f"'{part}' no corresponde a la actualización"
        for got, want in zip(items, declared, strict=True):
            if (
                not isinstance(got, dict)
                or got.get("id") != want["id"]
                or got.get("property") != want["property"]
            ):
                return f"'{part}' no corresponde a la actualización"
            value = got.get("value")
            kinds = PROPERTY_TYPES.get(want["property"])
            if value is not None and kinds is not None and not _of_type(value, kinds):
                return f"valor de tipo {type(value).__name__} para {want['id']}.{want['property']}"
            if _depth(value, MAX_DEPTH + 1) > MAX_DEPTH:
                return f"valor anidado en exceso para {want['id']}.{want['property']}"
    changed = body.get("changedPropIds", [])
    names = {f"{i['id']}.{i['property']}" for i in spec["inputs"]}
    if not isinstance(changed, list) or not all(isinstance(c, str) and c in names for c in changed):
        return "'changedPropIds' nombra propiedades que no son entradas de la actualización"
    return None
