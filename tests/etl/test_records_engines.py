"""Two engines, one definition: every definition run on DuckDB and on Spark (PySpark, local mode) over the same
records gives identical rows — the counts are integers, so identical means equal, not close. CI installs PySpark
(Java 17 is on the machine) and runs this; nothing here is skipped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.demo.records import generate_records, write_records
from etl.records.compute import PROBLEMS, compute
from etl.records.engines import spark_session

from .records_fixtures import EXPECTED, HEADER, hand_records, write_csv
from .test_records import output


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    session = spark_session("local[2]", "1g", tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    """Two years of synthetic records at 24 facilities whose altitudes straddle every WHO band edge, plus the
    hand-written children and a few broken rows, as year-partitioned Parquet."""
    folder = tmp_path_factory.mktemp("records")
    altitudes = [0, 999, 1000, 1499, 1500, 2499, 2500, 2999, 3000, 3499, 3500, 3999, 4000, 4499, 4500, 4800]
    n = 24
    fac = pd.DataFrame(
        {
            "cod_ipress": [f"{k:08d}" for k in range(1, n + 1)],
            "ubigeo": [f"{8 + k % 3:02d}0101" for k in range(n)],
            "altitude": [altitudes[k % len(altitudes)] for k in range(n)],
            "region": [f"{8 + k % 3:02d}" for k in range(n)],
        }
    )
    table = generate_records(fac, 4_000, dt.date(2024, 1, 1), dt.date(2025, 12, 31), 11, np.ones(n))
    write_records(table, folder / "pq")
    hand = write_csv(folder / "hand.csv", [*hand_records(), ["2025-02-30", *hand_records()[0][1:]]])
    duckdb.sql(
        f"copy (select * replace (nullif(valor, '')::double as valor, nullif(altitud, '')::double as altitud), "
        f"2025 as anio from read_csv('{hand}', all_varchar = true)) to '{folder / 'pq'}' "
        "(format parquet, partition_by (anio), overwrite_or_ignore true, filename_pattern 'hand_{i}')"
    )
    return folder / "pq"


def table(folder: Path) -> list[tuple]:
    return duckdb.sql(
        f"select periodo, cod_ipress, ubigeo, indicador, numerador, denominador, ajuste, anio "
        f"from read_parquet('{folder}/**/*.parquet', hive_partitioning = true) order by all"
    ).fetchall()


def test_every_definition_identical_on_duckdb_and_spark(spark, records, tmp_path):
    on_duckdb = compute(records, tmp_path / "duckdb", "duckdb")
    on_spark = compute(records, tmp_path / "spark", "spark")
    assert on_duckdb.status == on_spark.status == "partial"  # the broken hand row
    a, b = table(tmp_path / "duckdb"), table(tmp_path / "spark")
    assert len(a) > 2_000
    assert a == b
    assert on_duckdb.rows_out == on_spark.rows_out and all(on_duckdb.rows_out.values())
    # Both engines locate the broken row in the same Parquet file and row.
    assert [(p.file, p.row, p.column) for p in on_duckdb.problems] == [
        (p.file, p.row, p.column) for p in on_spark.problems
    ]
    assert on_duckdb.problems[0].file.startswith("anio=2025/hand_")
    # The two adjustments disagree somewhere (different figures), each engine agreeing with the other on it.
    cdc = {r[:3]: r[4] for r in a if r[3] == "PAN_ANEMIA_HIS_CDC"}
    who = {r[:3]: r[4] for r in a if r[3] == "PAN_ANEMIA_HIS_OMS"}
    assert cdc.keys() == who.keys() and cdc != who


def test_csv_records_on_spark(spark, tmp_path):
    hand = hand_records()
    rec = write_csv(tmp_path / "his.csv", [["2025-02-30", *hand[0][1:]], *hand, hand[3]])  # and one row twice
    on_duckdb = compute(rec, tmp_path / "duckdb", "duckdb")
    on_spark = compute(rec, tmp_path / "spark", "spark")
    assert table(tmp_path / "duckdb") == table(tmp_path / "spark")
    # Spark cannot number a CSV row (it splits files among workers): it names the child and the date instead.
    (d,), (s,) = on_duckdb.problems, on_spark.problems
    assert d.row == 2 and s.row is None and "fecha 2025-02-30" in s.reason
    assert (tmp_path / "spark" / PROBLEMS).exists()
    assert [w for w in on_spark.warnings if "1 registros repetidos" in w]
    assert [w for w in on_duckdb.warnings if "1 registros repetidos" in w]


def test_a_folder_of_csv_files_each_with_its_own_delimiter_and_encoding(spark, tmp_path):
    """A DIRESA's folder: one file UTF-8 with commas, another Latin-1 with semicolons and decimal commas."""
    hand = hand_records()
    folder = tmp_path / "registros"
    folder.mkdir()
    write_csv(folder / "a.csv", hand[: len(hand) // 2])
    lines = [";".join(HEADER)] + [";".join(r).replace("12.5", "12,5") for r in hand[len(hand) // 2 :]]
    (folder / "b.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    for engine in ("duckdb", "spark"):
        r = compute(folder, tmp_path / engine, engine)
        assert r.status == "computed", r.lines()
    assert table(tmp_path / "duckdb") == table(tmp_path / "spark")
    assert output(tmp_path / "spark") == EXPECTED


def test_his_exports_identical_on_duckdb_and_spark(spark, tmp_path):
    """The same attentions as a 48-column UTF-8 CSV export on DuckDB and as 40-column Windows-1252 ZIPs on Spark."""
    from .test_records_his import EXPECTED as HIS_EXPECTED
    from .test_records_his import export, run

    a = run(export().write(tmp_path / "csv48"), tmp_path / "duckdb", engine="duckdb")
    b = run(
        export().write(tmp_path / "zip40", width=40, encoding="cp1252", zipped=True),
        tmp_path / "spark",
        engine="spark",
    )
    assert a.status == b.status == "partial", (a.lines(), b.lines())
    assert table(tmp_path / "duckdb") == table(tmp_path / "spark")
    assert output(tmp_path / "spark") == HIS_EXPECTED
    # The converted records keep the trama's file and line, so Spark locates problems as DuckDB does.
    assert sorted((p.row, p.column, p.value) for p in a.problems) == sorted(
        (p.row, p.column, p.value) for p in b.problems
    )


def test_padron_denominators_identical_on_duckdb_and_spark(spark, tmp_path):
    from .test_records_his import PADRON_EXPECTED, dosaje, padron_export

    folder = padron_export().write(tmp_path / "his", zipped=True)
    assert dosaje(folder, tmp_path / "duckdb") == PADRON_EXPECTED
    assert dosaje(folder, tmp_path / "spark", "spark") == PADRON_EXPECTED
    assert table(tmp_path / "duckdb") == table(tmp_path / "spark")
