"""The catalogue and the record definitions against their declared schema: a misspelled key stops the load,
naming the file, the line, the key and the closest valid key; wrong types are named the same way."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from etl.records.definitions import RECORDS_DIR, load_definitions
from tests.conftest import ROOT, write
from warehouse.catalogue_model import CatalogueError, CatalogueFile
from warehouse.catalogue_read import CATALOGUE_DIR, load_catalogue, parse_catalogue

PAN = "program_0001_pan.yaml"


def shipped() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in CATALOGUE_DIR.glob("*.yaml")}


def typo(text: str, old: str, new: str) -> tuple[str, int]:
    """``text`` with the first line holding ``old`` changed to ``new``, and that line's number."""
    lines = text.splitlines(keepends=True)
    k = next(k for k, line in enumerate(lines) if old in line)
    lines[k] = lines[k].replace(old, new, 1)
    return "".join(lines), k + 1


def problems(**texts: str) -> list[str]:
    files = {**shipped(), **texts}
    with pytest.raises(CatalogueError) as e:
        parse_catalogue(CatalogueFile(n, t) for n, t in sorted(files.items()))
    return e.value.problems


@pytest.mark.parametrize(
    ("name", "old", "new", "where", "closest"),
    [
        (PAN, "    headline: 1", "    headlin: 1", "indicators[PAN_DCI]", "headline"),
        (PAN, "title_none:", "title_nones:", "indicators[PAN_DCI].endes", "title_none"),
        (PAN, "    key: true", "    kye: true", "indicators[PAN_ANEMIA]", "key"),
        (PAN, "  mef_name:", "  mef_nombre:", "program", "mef_name"),
        (
            PAN,
            "    contributes_to: PAN_RF",
            "    contribute_to: PAN_RF",
            "elements[PAN_RI_ANEMIA]",
            "contributes_to",
        ),
        ("settings.yaml", "  at_risk_gap:", "  at_risk_gaps:", "budget_pace", "at_risk_gap"),
        ("settings.yaml", "    feed: admin", "    fed: admin", "sources.HIS", "feed"),
        ("settings.yaml", "  jump_points:", "  jump_point:", "data_quality", "jump_points"),
    ],
)
def test_a_misspelled_key_names_file_line_key_and_the_closest_valid_one(name, old, new, where, closest):
    text, line = typo(shipped()[name], old, new)
    key = new.strip().split(":")[0]
    (problem,) = problems(**{name: text})
    assert problem.startswith(f"{name}, línea {line}: clave desconocida {key!r} en {where}.{key}"), problem
    assert f"¿quiso decir {closest!r}?" in problem


def test_every_typo_is_listed_at_once():
    text, _ = typo(shipped()[PAN], "    headline: 1", "    headlin: 1")
    text, _ = typo(text, "title_none:", "title_nones:")
    settings, _ = typo(shipped()["settings.yaml"], "  critical_gap:", "  critical_gapp:")
    found = problems(**{PAN: text, "settings.yaml": settings})
    assert len(found) == 3 and {re.search(r"'(\w+)'", p)[1] for p in found} == {
        "headlin",
        "title_nones",
        "critical_gapp",
    }


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("    headline: 1", "    headline: primero", "debe ser un número entero ('primero')"),
        ('  code: "0001"', '  code: ["0001"]', "debe ser un texto"),
        ("    key: true", "    key: quizás", "debe ser true o false ('quizás')"),
    ],
)
def test_a_value_of_the_wrong_type_names_file_line_and_key(old, new, reason):
    text, line = typo(shipped()[PAN], old, new)
    (problem,) = problems(**{PAN: text})
    assert problem.startswith(f"{PAN}, línea {line}, ") and reason in problem, problem


def test_values_are_coerced_to_their_declared_types():
    text, _ = typo(shipped()[PAN], "    headline: 1", "    headline: '1'")
    files = {**shipped(), PAN: text}
    cat = parse_catalogue(CatalogueFile(n, t) for n, t in sorted(files.items()))
    assert cat.indicators["PAN_DCI"].headline == 1  # an int, as the KPI cards sort them


def test_cross_checks_still_speak_spanish_after_the_schema():
    text, _ = typo(shipped()[PAN], "rule: {kind: bands, set: who_stunting}", "rule: {kind: vibes}")
    (problem,) = problems(**{PAN: text})
    assert "regla desconocida 'vibes'" in problem


def test_a_typo_in_a_record_definition_names_file_line_and_key(tmp_path):
    folder = tmp_path / "registros"
    shutil.copytree(RECORDS_DIR, folder)
    f = folder / "pan_0001.yaml"
    text, line = typo(f.read_text(encoding="utf-8"), "separacion_min_dias: 28", "separacion_minima: 28")
    f.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as e:
        load_definitions(load_catalogue(), folder)
    (problem,) = e.value.problems
    assert problem.startswith(f"pan_0001.yaml, línea {line}: clave desconocida 'separacion_minima' en "
                              "definitions[PAN_P_CRED].requisitos[1].separacion_minima")  # fmt: skip
    assert "¿quiso decir 'separacion_min_dias'?" in problem


def test_semaforo_load_stops_on_a_catalogue_typo_before_touching_the_warehouse(tmp_path):
    folder = tmp_path / "catalogo"
    shutil.copytree(CATALOGUE_DIR, folder)
    text, line = typo((folder / PAN).read_text(encoding="utf-8"), "    headline: 1", "    headlin: 1")
    (folder / PAN).write_text(text, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    f = write(tmp_path / "renipress.csv", "COD_IPRESS,NOMBRE,UBIGEO\n00099999,P.S. NUEVO,010101\n")
    proc = subprocess.run(
        [sys.executable, "-m", "etl.cli", "load", "--db", str(db), "facilities", str(f)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "SEMAFORO_CATALOGUE": str(folder)},
    )  # fmt: skip
    assert proc.returncode == 4, proc.stderr
    assert f"{PAN}, línea {line}: clave desconocida 'headlin'" in proc.stderr
    assert "Traceback" not in proc.stderr and not db.exists()
