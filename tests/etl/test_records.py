"""Indicators from nominal records: hand-worked values, validation with locations, privacy, atomic output, the
admin loader reading the output, and the dashboard's figures equal to those of the same monthly aggregates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.records.compute import PROBLEMS, SUMMARY, compute
from etl.records.definitions import load_definitions
from warehouse.catalogue_model import CatalogueError

from .records_fixtures import EXPECTED, F1, HEADER, hand_records, write_csv


def output(folder: Path) -> dict[tuple[str, str, str], tuple[int, int]]:
    rows = duckdb.sql(
        f"select periodo, cod_ipress, indicador, numerador, denominador from read_parquet('{folder}/**/*.parquet')"
    ).fetchall()
    return {(p, f, i): (n, d) for p, f, i, n, d in rows}


def test_hand_worked_values(tmp_path):
    rec = write_csv(tmp_path / "his.csv", hand_records())
    r = compute(rec, tmp_path / "out")
    assert r.status == "computed", r.lines()
    assert output(tmp_path / "out") == EXPECTED
    assert r.found == ["his.csv: registros en el formato del proyecto (CSV)"]  # not HIS exports
    # Cohort months before the records hold their history are named, not computed.
    assert r.skipped["PAN_P_CRED"][0] == "2024-01" and r.skipped["PAN_P_CRED"][-1] == "2024-12"
    summary = json.loads((tmp_path / "out" / SUMMARY).read_text(encoding="utf-8"))
    assert summary["ajustes"] == {
        "PAN_ANEMIA_HIS_CDC": "cdc_formula",
        "PAN_ANEMIA_HIS_OMS": "oms_bandas",
        "PAN_ANEMIA_HIS_NTS": "nts_213_2024",
    }
    assert "cada una 28 a 31 días después de la anterior" in summary["definiciones_texto"]["PAN_P_CRED"]
    assert summary["fuentes"]["PAN_P_CRED"].startswith("OGEI/MINSA, DL 1153")
    # Year partitions, and every anemia row says which adjustment made it.
    assert sorted(p.name for p in (tmp_path / "out").glob("anio=*")) == ["anio=2024", "anio=2025"]
    adj = duckdb.sql(
        f"select indicador, list(distinct ajuste) from read_parquet('{tmp_path}/out/**/*.parquet') "
        "where indicador like 'PAN_ANEMIA%' group by 1 order by 1"
    ).fetchall()
    assert adj == [
        ("PAN_ANEMIA_HIS_CDC", ["cdc_formula"]),
        ("PAN_ANEMIA_HIS_NTS", ["nts_213_2024"]),
        ("PAN_ANEMIA_HIS_OMS", ["oms_bandas"]),
    ]


def test_csv_and_parquet_give_the_same(tmp_path):
    rec = write_csv(tmp_path / "his.csv", hand_records())
    pq = tmp_path / "pq"
    pq.mkdir()
    duckdb.sql(
        f"copy (select *, year(fecha_atencion::date) as anio from read_csv('{rec}', all_varchar = true)) "
        f"to '{pq}' (format parquet, partition_by (anio))"
    )
    assert compute(pq, tmp_path / "out").status == "computed"
    assert output(tmp_path / "out") == EXPECTED


def test_every_problem_located_and_quarantined(tmp_path):
    good = hand_records()
    bad = [
        ["2025-03-40", F1, "080101", "NX1", "2024-05-01", "F", "Z001", "", ""],  # line 2: date
        ["2025-03-10", "ABC", "080101", "NX2", "2024-05-01", "F", "Z001", "", ""],  # 3: IPRESS
        ["2025-03-10", F1, "080101", "45678912", "2024-05-01", "F", "Z001", "", ""],  # 4: a DNI
        ["2025-03-10", F1, "080101", "NX3", "2025-04-01", "F", "Z001", "", ""],  # 5: born after
        ["2025-03-10", F1, "080101", "NX4", "2024-05-01", "F", "85018", "", "3000"],  # 6: no Hb value
        ["2025-03-10", F1, "080101", "NX5", "2024-05-01", "F", "85018", "31", "3000"],  # 7: implausible Hb
        ["2025-03-10", F1, "080101", "NX6", "2024-05-01", "F", "85018", "11.2", ""],  # 8: no altitude
        ["2025-03-10", F1, "080101", "NX7", "2024-05-01", "X", "Z001", "", ""],  # 9: sex
    ]
    rec = write_csv(tmp_path / "his.csv", bad + good + good[:2])  # the first two good rows twice
    r = compute(rec, tmp_path / "out")
    assert r.status == "partial"
    found = {(p.row, p.column) for p in r.problems}
    assert found == {
        (2, "fecha_atencion"),
        (3, "cod_ipress"),
        (4, "id_nino"),
        (5, "fecha_nacimiento"),
        (6, "valor"),
        (7, "valor"),
        (8, "altitud"),
        (9, "sexo"),
    }
    assert all(p.file == "his.csv" for p in r.problems)
    # Rows repeated whole change no figure: said, with an example, not quarantined.
    (repeated,) = [w for w in r.warnings if "repetidos" in w]
    assert repeated.startswith("2 registros repetidos") and "his.csv, fila 10, id_nino NA" in repeated
    # Rows 2–5 are quarantined; 6–8 keep their attention but not their measurement, 9 only has a bad sexo.
    assert r.rows_rejected == 4
    assert {p.row for p in r.problems if "la atención cuenta" in p.reason} == {6, 7, 8, 9}
    dni = next(p for p in r.problems if p.row == 4)
    assert "seudonimizado" in dni.reason and dni.value == "********"
    # The good rows give what they give alone, plus the four kept attentions (10 months old in March 2025: iron
    # denominators; their haemoglobin is not read); the problems file lists all eight.
    expected = {**EXPECTED, ("2025-03", F1, "PAN_P_HIERRO"): (0, 7)}
    assert output(tmp_path / "out") == expected
    listed = duckdb.sql(f"select count(distinct _fila) from read_csv('{tmp_path}/out/{PROBLEMS}')").fetchall()
    assert listed == [(len(bad),)]
    shown = duckdb.sql(
        f"select valor, id_nino from read_csv('{tmp_path}/out/{PROBLEMS}') where _fila = 4"
    ).fetchall()
    assert shown == [("********", "********")]  # a document number is never copied


def test_personal_columns_refused_and_strict_leaves_output_untouched(tmp_path):
    rec = write_csv(tmp_path / "his.csv", hand_records())
    assert compute(rec, tmp_path / "out").status == "computed"
    before = output(tmp_path / "out")
    named = write_csv(
        tmp_path / "con_nombres.csv",
        [[*r, "ANA PEREZ", "45678912"] for r in hand_records()],
        [*HEADER, "Nombres", "DNI"],
    )
    r = compute(named, tmp_path / "out")
    assert r.status == "refused" and {p.column for p in r.problems} == {"Nombres", "DNI"}
    bad = write_csv(tmp_path / "malo.csv", [["2025-13-01", *hand_records()[0][1:]], *hand_records()])
    r = compute(bad, tmp_path / "out", strict=True)
    assert r.status == "refused" and r.problems[0].row == 2
    assert output(tmp_path / "out") == before  # nothing replaced
    assert not list(tmp_path.glob("out.*"))  # no scratch left behind
    # A folder that is not a compute output is never overwritten.
    other = tmp_path / "mis_documentos"
    other.mkdir()
    r = compute(rec, other)
    assert r.status == "error" and "no se reemplaza" in r.message
    # Nor is an output written among the records it would be read with next time.
    r = compute(tmp_path, tmp_path / "salida")
    assert r.status == "error" and "dentro de los registros" in r.message


def test_definitions_are_validated(tmp_path, catalogue):
    good = (Path(__file__).parents[2] / "warehouse/catalogue/registros/pan_0001.yaml").read_text(
        encoding="utf-8"
    )
    for wrong, says in (
        (good.replace('power(altitud * 0.0032808, 2)"', 'exp(altitud)"'), "solo puede usar altitud"),
        (good.replace("desde_m: 1500,", "desde_m: 900,"), "de menor a mayor"),
        (good.replace("indicator: PAN_P_HIERRO", "indicator: PAN_NO_EXISTE"), "no está en el catálogo"),
        (good.replace("kind: mes", "kind: semana"), "kind desconocido"),
        (good.replace("ajuste: oms_bandas", "ajuste: otro"), "ajuste desconocido"),
    ):
        (tmp_path / "pan.yaml").write_text(wrong, encoding="utf-8")
        with pytest.raises(CatalogueError, match=says):
            load_definitions(catalogue, tmp_path)


def test_cli_compute_then_load_admin(tmp_path, territory_db):
    rec = write_csv(tmp_path / "his.csv", hand_records())
    out = tmp_path / "indicadores"
    res = CliRunner().invoke(main, ["compute", "--records", str(rec), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "filas de indicadores" in res.output
    res = CliRunner().invoke(main, ["load", "--db", str(territory_db), "admin", str(out)])
    assert res.exit_code == 0, res.output
    got = (
        duckdb.connect(str(territory_db), read_only=True)
        .execute(
            "select strftime(period, '%Y-%m'), cod_ipress, indicator_code, numerator, denominator from raw_admin "
            "where batch_id = (select max(batch_id) from etl_batch)"
        )
        .fetchall()
    )
    assert {(p, f, i): (int(n), int(d)) for p, f, i, n, d in got} == EXPECTED


def test_dashboard_shows_records_exactly_as_monthly_aggregates(tmp_path, territory_db):
    """The same figures reach the warehouse either as a monthly aggregate CSV (what a DIRESA sends) or computed
    from the nominal records: every mart row and the indicator page's ranking are the same."""
    import shutil

    import plotly.graph_objects as go

    from dashboard import context
    from dashboard.app import create_app
    from dashboard.pages import indicador
    from tests.dashboard.test_callbacks import _walk

    rec = write_csv(tmp_path / "his.csv", hand_records())
    assert compute(rec, tmp_path / "indicadores").status == "computed"
    aggregate = tmp_path / "his_agregado.csv"
    aggregate.write_text(
        "periodo,cod_ipress,indicador,numerador,denominador\n"
        + "".join(f"{p},{f},{i},{n},{d}\n" for (p, f, i), (n, d) in sorted(EXPECTED.items())),
        encoding="utf-8",
    )
    from_records, from_csv = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    shutil.copy(territory_db, from_records)
    shutil.copy(territory_db, from_csv)
    assert (
        CliRunner()
        .invoke(main, ["load", "--db", str(from_records), "admin", str(tmp_path / "indicadores")])
        .exit_code
        == 0
    )
    assert CliRunner().invoke(main, ["load", "--db", str(from_csv), "admin", str(aggregate)]).exit_code == 0

    def mart(db: Path) -> list[tuple]:
        con = duckdb.connect(str(db), read_only=True)
        cols = "* exclude (batch_id)"
        got = con.execute(f"select {cols} from mart_indicator_top order by all").fetchall()
        got += con.execute(f"select {cols} from mart_indicator_agg order by all").fetchall()
        con.close()
        return got

    assert mart(from_records) == mart(from_csv) and len(mart(from_csv)) > len(EXPECTED)

    def ranking(db: Path) -> tuple:
        previous = context._current
        try:
            create_app(db)
            body = indicador.update("?periodo=2025-03", "/indicador/PAN_ANEMIA_HIS_CDC")
            fig = next(c for c in _walk(body) if getattr(c, "id", None) == "indicator-ranking").figure
            trace = go.Figure(fig).data[0]
            return tuple(trace.y), tuple(trace.x)
        finally:
            context._current = previous

    shown = ranking(from_records)
    assert shown == ranking(from_csv) and 50.0 in shown[1]  # Cusco: 1 of 2 tested children anemic


def test_a_month_the_records_only_partly_cover_is_left_out_and_named(tmp_path):
    cut = [r for r in hand_records() if r[0] != "2025-03-30"]  # the extract now ends on 2025-03-17
    rec = write_csv(tmp_path / "his.csv", cut)
    r = compute(rec, tmp_path / "out")
    assert r.months == ("2024-01", "2025-02")
    (said,) = [w for w in r.warnings if "mes incompleto" in w]
    assert said.startswith("2025-03: los registros terminan el 2025-03-17")
    assert not [k for k in output(tmp_path / "out") if k[0] == "2025-03"]
    # Declared whole (--hasta), March is computed as before.
    r = compute(rec, tmp_path / "out", until=dt.date(2025, 3, 31))
    assert r.months == ("2024-01", "2025-03") and output(tmp_path / "out") == EXPECTED


def test_many_problems_are_summed_up_by_kind(tmp_path):
    rows = hand_records() + [["05/03/2025", *hand_records()[0][1:]] for _ in range(250)]
    r = compute(write_csv(tmp_path / "his.csv", rows), tmp_path / "out")
    assert r.problems_total == 250 and len(r.problems) == 200
    assert r.problem_kinds == {"fecha_atencion: fecha no válida (use AAAA-MM-DD)": 250}
    assert any("250 × fecha_atencion" in line for line in r.lines())
