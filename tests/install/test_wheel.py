"""The program as a user installs it: the wheel built from this checkout, installed (with constraints.txt) into a
fresh virtualenv outside the checkout, runs ``semaforo demo``, a load and an export; the version from git is
what ``--version``, the load batches and the Excel *Contexto* sheet show.

Slow (a virtualenv and the packages, then the demo): marked ``install`` (``pytest -m install`` runs it alone).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.install
# Neither this checkout nor a chosen catalogue or warehouse may leak into the installed program.
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SEMAFORO_CATALOGUE", "SEMAFORO_DB")}
PACKAGES = ("etl", "warehouse", "dashboard", "semaforo")


def run(*args: object, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, (
        f"{args}: exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # setuptools builds in the checkout's build/ and never removes a file from it: a file deleted or moved since
    # an earlier build would still ship.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT, cwd=dist)
    (built,) = dist.glob("semaforo_ppr-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("usuario")
    run(sys.executable, "-m", "venv", home / "venv", cwd=home)
    run(home / "venv/bin/pip", "install", "-q", "-c", ROOT / "constraints.txt", wheel, cwd=home)
    return home / "venv"


def test_the_wheel_holds_every_file_the_packages_track(wheel):
    tracked = subprocess.run(
        ["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in tracked if f not in names]
    assert not missing, f"files the installed program needs but the wheel lacks: {missing}"
    assert "warehouse/marts/status_top.sql" in names and "dashboard/assets/semaforo.css" in names


def test_the_version_comes_from_git(wheel, venv):
    version = wheel.name.split("-")[1]
    assert version != "0.1.0" and re.fullmatch(
        r"\d+(\.\d+)*(\.dev\d+)?(\+g[0-9a-f]{7,}(\.d\d{8})?)?", version
    )
    git = {"cwd": ROOT, "capture_output": True, "text": True}
    tag = subprocess.run(["git", "describe", "--tags", "--exact-match"], **git)
    if tag.returncode == 0:  # a release: its tag (v1.2.0 → 1.2.0)
        assert version == tag.stdout.strip().removeprefix("v")
    else:  # between releases, the build names its commit
        commit = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], check=True, **git).stdout.strip()
        assert f"+g{commit}" in version
    out = run(venv / "bin/semaforo", "--version", cwd=venv).stdout
    assert out.strip() == f"semaforo, version {version}"


def test_installed_outside_the_checkout_it_builds_the_demo_loads_and_exports(wheel, venv):
    home = venv.parent
    where = run(venv / "bin/python", "-c", "import warehouse, dashboard; print(warehouse.__file__)", cwd=home)
    assert where.stdout.startswith(str(venv)), "the checkout, not the installed package, was imported"
    semaforo = venv / "bin/semaforo"
    db = home / "demo.duckdb"
    run(semaforo, "demo", "--db", db, "--sources", home / "fuentes", cwd=home)
    # A load of a file saved by Excel on Windows (Windows-1252), as a regional office would send it.
    lines = (home / "fuentes/renipress.csv").read_text(encoding="utf-8-sig").splitlines()
    f = home / "renipress_excel.csv"
    f.write_text("\r\n".join(lines[:1] + [x.replace(",", ",“", 1) for x in lines[1:30]]) + "\r\n", "cp1252")
    loaded = run(semaforo, "load", "--db", db, "facilities", f, cwd=home)
    assert "Windows-1252" in loaded.stderr
    xlsx = home / "ancash.xlsx"
    run(semaforo, "export", "--db", db, "--region", "09", "--format", "xlsx", "-o", xlsx, cwd=home)

    version = wheel.name.split("-")[1]
    con = duckdb.connect(str(db), read_only=True)
    try:
        stamped = {v for (v,) in con.execute("select distinct program_version from etl_batch").fetchall()}
        last = con.execute(
            "select file_name, status from etl_batch order by batch_id desc limit 1"
        ).fetchone()
    finally:
        con.close()
    assert stamped == {version}
    assert last == (f.name, "loaded")
    book = openpyxl.load_workbook(xlsx, read_only=True)
    context = [
        tuple(r)
        for ws in book.worksheets
        if ws.title.startswith("Contexto")
        for r in ws.iter_rows(values_only=True)
    ]
    assert ("Versión de Semáforo PpR", version) in [r[:2] for r in context]
