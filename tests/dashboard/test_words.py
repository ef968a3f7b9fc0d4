"""The one words mechanism (dashboard/words.yaml read by dashboard.i18n): every entry in both languages with the same
shape and placeholders, and every key the code or the templates use is there."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from dashboard import i18n
from dashboard.state import TREES
from warehouse.catalogue_model import LEVELS

DASHBOARD = Path(i18n.__file__).parent


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _same_shape(es: object, en: object) -> bool:
    if isinstance(es, str):
        return (
            isinstance(en, str)
            and bool(es.strip())
            and bool(en.strip())
            and _placeholders(es) == _placeholders(en)
        )
    if isinstance(es, list):
        return isinstance(en, list) and len(es) == len(en) and all(map(_same_shape, es, en))
    if isinstance(es, dict):
        return isinstance(en, dict) and es.keys() == en.keys() and all(_same_shape(es[k], en[k]) for k in es)
    return False


def test_every_entry_has_spanish_then_english_of_the_same_shape():
    for name, entries in i18n.entries().items():
        for key, entry in entries.items():
            assert list(entry) == ["es", "en"], (name, key)
            assert _same_shape(entry["es"], entry["en"]), (name, key)


def _keys_of(node: ast.expr) -> list[str]:
    """The literal keys an argument can be: a string, either side of a conditional, the prefix of an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys_of(node.body) + _keys_of(node.orelse)
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        return [f"{node.values[0].value}*"]
    return []


def _calls(name: str) -> list[tuple[str, str]]:
    found = []
    for path in DASHBOARD.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name and node.args:
                found += [(path.name, key) for key in _keys_of(node.args[0])]
    return found


def test_every_key_the_code_uses_exists_in_both_languages():
    app = i18n.entries()["app"]
    used = _calls("t")
    assert len(used) > 200  # the check reads the code (it would pass on nothing otherwise)
    for where, key in used:
        if key.endswith("*"):  # t(f"level_{level}"): the expansions below, and at least one here
            assert any(k.startswith(key[:-1]) for k in app), (where, key)
        else:
            assert key in app, (where, key)
    for key in (
        [f"level_{x}" for x in LEVELS] + [f"tree_{x}" for x in TREES] + ["direction_up", "direction_down"]
    ):
        assert key in app, key
    for where, name in _calls("section"):
        assert name in i18n.entries(), (where, name)


def test_every_word_a_download_or_a_template_reads_exists():
    export = i18n.entries()["export"]
    for path in (DASHBOARD / "export").glob("*.py"):
        for key in re.findall(r'\bw\["(\w+)"\]', path.read_text(encoding="utf-8")):
            assert key in export, (path.name, key)
    templates = {
        "scorecard_print.html": ("words", "print"),
        "region_print.html": ("words", "print"),
        "login.html": ("w", "login"),
    }
    for template, (var, name) in templates.items():
        text = (DASHBOARD / "templates" / template).read_text(encoding="utf-8")
        keys = set(re.findall(rf"\b{var}\.(\w+)", text))
        assert keys and keys <= set(i18n.entries()[name]), (template, keys - set(i18n.entries()[name]))


def test_the_grid_speaks_its_own_spanish_locale():
    es = i18n.grid_locale("es")
    assert len(es) > 500 and es["page"] == "Página" and es["of"] == "de"
    assert i18n.grid_locale("en") == {}  # the grid's default


def test_the_views_words_are_in_words_yaml_in_both_languages():
    views = i18n.entries()["views"]
    used = _calls("words")
    assert len(used) > 200  # the views' titles, notes, labels and help
    for where, key in used:
        assert key in views, (where, key)
        assert i18n.words(key).get("es") == views[key]["es"] and i18n.words(key).get("en") == views[key]["en"]
    for path in (DASHBOARD / "views").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        literal = [
            n.lineno
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and getattr(n.func, "id", "") in ("T", "Text")
        ]
        assert literal == [], (path.name, literal)
