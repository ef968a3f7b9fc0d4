"""Hand-edited YAML checked against a declared pydantic schema, with problems an analyst can act on.

Every mapping of a schema forbids unknown keys, so a misspelled key (``headlin:``) stops the load instead of
silently dropping what it meant. Each problem names the file, the line, the key and, for an unknown key, the
closest valid one.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

# libyaml's loader when PyYAML was built with it (10× faster than the pure-Python one); same safe subset.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Strict(BaseModel):
    """A mapping of a hand-edited file: unknown keys forbidden; numbers allowed where text is (codes)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


# pydantic's error types in the analyst's words (anything else: pydantic's own message).
_REASONS = {
    "missing": "falta esta clave",
    "int_parsing": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "int_type": "debe ser un número entero",
    "float_parsing": "debe ser un número",
    "float_type": "debe ser un número",
    "bool_parsing": "debe ser true o false",
    "bool_type": "debe ser true o false",
    "string_type": "debe ser un texto",
    "list_type": "debe ser una lista",
    "dict_type": "debe ser un mapa de claves",
    "model_type": "debe ser un mapa de claves",
    "model_attributes_type": "debe ser un mapa de claves",
    "literal_error": "valor no permitido",
}


def validate(model: type[BaseModel], text: str, file: str) -> tuple[dict[str, Any], list[str]]:
    """The document of ``text`` checked against ``model``: (its values coerced to the declared types, problems).

    The values come back as plain data (what the parsers downstream read), only the keys the file sets."""
    try:
        node = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError as e:
        return {}, [f"{file}: YAML ilegible: {e}"]
    data = yaml.load(text, Loader=YAML_LOADER) or {}
    try:
        checked = model.model_validate(data)
    except ValidationError as e:
        return {}, [_problem(model, node, file, err) for err in e.errors()]
    return checked.model_dump(exclude_unset=True), []


def _problem(model: type[BaseModel], root: yaml.Node | None, file: str, err: Any) -> str:
    loc = tuple(err["loc"])
    # pydantic names the member of a union it tried (``list[str]``, ``str``): not part of the file's path.
    path = tuple(p for p in loc if isinstance(p, int) or not _is_member_name(p))
    key_node, value_node, shown = _locate(root, path)
    if err["type"] == "extra_forbidden":
        key = str(path[-1])
        valid = sorted(_fields(_model_at(model, path[:-1])))
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
        hint = f"; ¿quiso decir {close[0]!r}?" if close else ""
        return (
            f"{file}, línea {_line(key_node)}: clave desconocida {key!r} en {shown}{hint} "
            f"(claves válidas: {', '.join(valid)})"
        )
    line = _line(value_node or key_node)
    reason = _REASONS.get(err["type"], err["msg"])
    value = "" if err["type"] == "missing" else f" ({err['input']!r})"
    return f"{file}, línea {line}, {shown}: {reason}{value}"


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _locate(root: yaml.Node | None, path: tuple[Any, ...]) -> tuple[yaml.Node | None, yaml.Node | None, str]:
    """The key node and the value node at ``path`` (as far as the file has it), and the path as the analyst
    reads it: list items by their code (``indicators[PAN_DCI].endes``), else by their position from 1."""
    key: yaml.Node | None = None
    node = root
    shown = ""
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if match is None:
                break
            key, node = match
            shown += f".{part}" if shown else str(part)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            key = node = node.value[part]
            shown += f"[{_item_name(node) or part + 1}]"
        else:
            break
    return key, node, shown or "(documento)"


def _item_name(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value in ("code", "indicator") and isinstance(v, yaml.ScalarNode):
                return str(v.value)
    return None


def _fields(model: type[BaseModel] | None) -> set[str]:
    return set(model.model_fields) if model else set()


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation may hold, through Optional, unions, lists and dicts."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin is None:
        return []
    args = typing.get_args(annotation)
    if origin is dict:
        args = args[1:]
    if origin in (typing.Union, types.UnionType, list, tuple, dict):
        return [m for a in args for m in _models_in(a)]
    return []


def _model_at(model: type[BaseModel], path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model of the mapping at ``path`` (list indexes and dict keys walked through)."""
    current: type[BaseModel] | None = model
    pending: list[type[BaseModel]] = []  # inside a dict or list: the next part is a key or an index
    for part in path:
        if isinstance(part, int):
            continue
        if current is not None and part in current.model_fields:
            inner = current.model_fields[part].annotation
            origin = typing.get_origin(_strip_optional(inner))
            models = _models_in(inner)
            if origin is dict:
                pending, current = models, None
            else:
                current = models[0] if models else None
        elif pending:  # a free key of a dict (a band set's code, a source's code…)
            current, pending = pending[0], []
        else:
            return None
    return current


def _strip_optional(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def _is_member_name(part: str) -> bool:
    """pydantic's names of union members in ``loc`` (``str``, ``list[str]``, ``literal['all']``); schemas here
    keep models out of unions, so no model name appears there."""
    return part in {"str", "int", "float", "bool"} or "[" in part or part.startswith("function-")
