"""The type check's baseline only shrinks: a new error fails, a fixed one must be taken out of the list."""

from __future__ import annotations

from collections import Counter

import pytest

from tools import typecheck

KNOWN = "etl/x.py: [arg-type] Argument 1 has incompatible type"


@pytest.fixture
def baseline(tmp_path, monkeypatch):
    f = tmp_path / "mypy-baseline.txt"
    f.write_text(f"# known\n{KNOWN}\n{KNOWN}\n", encoding="utf-8")
    monkeypatch.setattr(typecheck, "BASELINE", f)
    return f


def errors(monkeypatch, *entries: str) -> None:
    output = "".join(f"{e.split(':')[0]}:7: error: {e.split('] ', 1)[1]}  [code]\n" for e in entries)
    monkeypatch.setattr(typecheck, "current", lambda: (Counter(entries), output))


def test_the_known_errors_pass(baseline, monkeypatch, capsys):
    errors(monkeypatch, KNOWN, KNOWN)
    assert typecheck.main([]) == 0


def test_a_new_error_fails_naming_its_line(baseline, monkeypatch, capsys):
    errors(monkeypatch, KNOWN, KNOWN, "etl/y.py: [return-value] Incompatible return value")
    assert typecheck.main([]) == 1
    assert "error nuevo de tipos: etl/y.py:7: error: Incompatible return value" in capsys.readouterr().out


def test_a_fixed_error_must_leave_the_baseline(baseline, monkeypatch, capsys):
    errors(monkeypatch, KNOWN)
    assert typecheck.main([]) == 1
    assert "corregido" in capsys.readouterr().out
    assert typecheck.main(["--update"]) == 0
    assert baseline.read_text(encoding="utf-8").splitlines()[1:] == [KNOWN]


def test_warehouse_is_strict_with_no_baseline(baseline, monkeypatch):
    baseline.write_text("warehouse/db.py: [index] Value is not indexable\n", encoding="utf-8")
    errors(monkeypatch, "warehouse/db.py: [index] Value is not indexable")
    assert typecheck.main([]) == 1


def test_the_shipped_baseline_has_nothing_under_warehouse():
    assert not [e for e in typecheck.baseline() if e.startswith("warehouse/")]
