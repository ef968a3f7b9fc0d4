"""Exports' context sheets (Contexto, Lotes) and the print view name only files of the territories the user may
see: after a late report of Cusco's DIRESA is loaded (the newest administrative batch), a Huancavelica user and a
Huancavelica server's public visitors are told of the national file their figures come from, never of Cusco's
file — its name, hash or scope; a national user is told of it."""

from __future__ import annotations

import io

import openpyxl
import pytest

from dashboard import context
from dashboard.app import create_app
from dashboard.auth import upsert_user
from dashboard.config import load_config
from etl.load import file_sha256, load_file
from tests.conftest import copy_warehouse
from tests.dashboard.clients import PASSWORD, PERIOD, client_for

CUSCO_FILE = "his_2026_09_diresa_cusco.csv"


@pytest.fixture(scope="module")
def late_cusco(small_app, small_db, tmp_path_factory):
    """A copy of the fixture warehouse where Cusco's DIRESA re-sent its September (the newest admin batch), and
    the file's SHA-256."""
    folder = tmp_path_factory.mktemp("contexto")
    db = folder / "warehouse.duckdb"
    copy_warehouse(small_db, db)
    lines = (small_db.parent / "sources" / "his_2026_09.csv").read_text(encoding="utf-8").splitlines()
    cusco = folder / CUSCO_FILE
    cusco.write_text(
        "\n".join([lines[0], *(x for x in lines[1:] if x.split(",")[1].startswith("08"))]) + "\n"
    )
    report = load_file(db, "admin", cusco)
    assert report.status == "loaded", report.problems
    users = folder / "usuarios.yaml"
    upsert_user(users, "huanca", "regional", ["09"], "Gerencia Huancavelica", PASSWORD)
    upsert_user(users, "mef", "nacional", [], "Analista MEF", PASSWORD)
    return db, users, file_sha256(cusco)


@pytest.fixture
def serve(app, late_cusco):
    made = []

    def make(**cfg):
        db, users, _sha = late_cusco
        made.append(create_app(config=load_config(env={}, db=db, users_file=users, **cfg)))
        return made[-1]

    previous = context.warehouse()
    yield make
    context.set_warehouse(previous)


def workbook_text(data: bytes) -> dict[str, str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        ws.title: "\n".join(
            " ".join(str(v) for v in row if v is not None) for row in ws.iter_rows(values_only=True)
        )
        for ws in book.worksheets
    }


def told(c, sha: str) -> dict[str, bool]:
    """Whether Cusco's file (by name, hash or scope) appears in each place a user reads about files."""
    sheets = workbook_text(c.get(f"/export/region/09.xlsx?periodo={PERIOD}").data)
    summary = workbook_text(c.get(f"/export/resumen.xlsx?periodo={PERIOD}").data)
    printed = c.get(f"/imprimir?periodo={PERIOD}").get_data(as_text=True)
    places = {
        "región: Contexto": sheets["Contexto"],
        "región: Lotes": sheets["Lotes"],
        "resumen: Contexto": summary["Contexto"],
        "resumen: Lotes": summary["Lotes"],
        "imprimir": printed,
    }
    return {where: CUSCO_FILE in text or sha in text for where, text in places.items()}


def test_a_regional_user_is_not_told_of_another_regions_file(serve, late_cusco):
    _db, _users, sha = late_cusco
    app = serve(anonymous="publico")
    huanca = client_for(app, "huanca")
    assert not any(told(huanca, sha).values()), told(huanca, sha)
    # … and is still told where their own figures come from: the national file of the month
    sheets = workbook_text(huanca.get(f"/export/region/09.xlsx?periodo={PERIOD}").data)
    assert "his_2026_09.csv" in sheets["Contexto"] and "his_2026_09.csv" in sheets["Lotes"]
    assert "his_2026_09.csv" in huanca.get(f"/imprimir?periodo={PERIOD}").get_data(as_text=True)
    # a national user is told of Cusco's file, the newest administrative batch
    mef = client_for(app, "mef")
    shown = told(mef, sha)
    assert shown["región: Contexto"] and shown["resumen: Lotes"] and shown["imprimir"], shown


def test_a_regional_servers_public_visitors_are_not_told_of_another_regions_file(serve, late_cusco):
    _db, _users, sha = late_cusco
    app = serve(anonymous="publico", regions="09")
    visitor = client_for(app)
    assert not any(told(visitor, sha).values()), told(visitor, sha)
