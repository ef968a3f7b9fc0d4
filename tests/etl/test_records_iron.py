"""Iron at 4 months (PAN_P_HIERRO_4M, the Convenio de Gestión 2025 scheme as shipped in pan_0001.yaml), worked out
by hand: one child per facility, each decided by one rule — a window, a LAB weight, an anaemia code in the same
attention, an exclusion — and the same rows on DuckDB and on Spark."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.records.compute import compute

from .records_fixtures import write_csv
from .test_records import output
from .test_records_engines import table
from .test_records_official import HEADER, Records

BORN = dt.date(2024, 7, 10)  # every child turns 6 months in 2025-01
SPAN = {"since": dt.date(2024, 7, 1), "until": dt.date(2025, 1, 31)}
IRON = "99199.17"

# child → (its rows as (day, code, LAB), numerator) for the 2025-01 cohort; each child has one facility.
CHILDREN: dict[str, tuple[list[tuple[int, str, str]], int]] = {
    "F1": ([(115, IRON, "SF1"), (145, IRON, "SF2")], 1),  # two drops deliveries, one per window: 1 + 1
    "F2": ([(115, IRON, "1")], 1),  # a numeric LAB weighs 2: one delivery is enough
    "F3": ([(115, IRON, "SF1")], 0),  # one drops delivery weighs 1 of 2
    "F4": ([(105, IRON, "SF1"), (145, IRON, "SF2")], 0),  # day 105: before the first window (110–130)
    "F5": ([(115, IRON, "SF1"), (145, IRON, "SF2"), (185, IRON, "SF3")], 1),  # a third, later: still met
    "F6": ([(115, IRON, "SF1"), (185, IRON, "SF2")], 0),  # day 185: after the second window (131–179)
    "F7": ([(115, IRON, "TA"), (145, IRON, "SF1")], 0),  # LAB TA weighs nothing: the first window is empty
    "F8": ([(115, IRON, "SF1"), (115, "D509", "LEV"), (145, IRON, "SF2")], 0),  # anaemia in that attention
    "F9": ([(115, IRON, "SF1"), (116, "D509", "LEV"), (145, IRON, "SF2")], 1),  # anaemia the next day
    "F10": ([(115, IRON, "SF1"), (145, IRON, "P01")], 0),  # polimaltosado P01 (2021) does not count
    "F11": ([(115, IRON, "SF1"), (145, IRON, "SF2"), (0, "P0712", "")], -1),  # premature: out
}


def records(tmp_path):
    r = Records(born=BORN)
    for child, (rows, _met) in CHILDREN.items():
        for day, code, lab in rows:
            r.add(child, day, code, lab=lab)
    return r, r.write(tmp_path / "registros.csv")


def run(tmp_path, engine: str = "duckdb"):
    r, rec = records(tmp_path)
    out = tmp_path / engine
    report = compute(rec, out, engine, indicators=["PAN_P_HIERRO_4M"], **SPAN)
    assert report.status == "computed", report.lines()
    return r, out


def test_iron_at_four_months_hand_worked(tmp_path):
    r, out = run(tmp_path)
    got = {f: v for (p, f, i), v in output(out).items() if p == "2025-01" and i == "PAN_P_HIERRO_4M"}
    for child, (_rows, met) in CHILDREN.items():
        expected = None if met < 0 else (met, 1)
        assert got.get(r.facility[child]) == expected, child


def test_the_same_attention_is_the_id_cita_when_the_records_carry_it(tmp_path):
    """Two attentions of one child on one day at one facility: the anaemia code of the other attention leaves the
    delivery counted; in the same attention it does not."""
    rows = []
    for child, cita_d509 in (("G1", "C2"), ("G2", "C1")):
        fac = "00000001" if child == "G1" else "00000002"
        day = lambda d: (BORN + dt.timedelta(days=d)).isoformat()  # noqa: E731
        rows += [
            [day(115), fac, "090118", child, BORN.isoformat(), IRON, "", "", "SF1", "D", "C1"],
            [day(115), fac, "090118", child, BORN.isoformat(), "D509", "", "", "LEV", "D", cita_d509],
            [day(145), fac, "090118", child, BORN.isoformat(), IRON, "", "", "SF2", "D", "C3"],
        ]
    rows += [["2024-07-01", "00000999", "090118", "ANCLA", "2020-01-01", "A09X", "", "", "", "D", "X"]]
    rows += [["2025-01-31", "00000999", "090118", "ANCLA", "2020-01-01", "A09X", "", "", "", "D", "Y"]]
    rec = write_csv(tmp_path / "registros.csv", rows, [*HEADER, "cita"])
    report = compute(rec, tmp_path / "out", indicators=["PAN_P_HIERRO_4M"], **SPAN)
    assert report.status == "computed", report.lines()
    got = {f: v for (p, f, _i), v in output(tmp_path / "out").items() if p == "2025-01"}
    assert got["00000001"] == (1, 1)
    assert got["00000002"] == (0, 1)


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from etl.records.engines import spark_session

    session = spark_session("local[2]", "1g", tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


def test_iron_identical_on_duckdb_and_spark(spark, tmp_path):
    run(tmp_path)
    run(tmp_path, "spark")
    a, b = table(tmp_path / "duckdb"), table(tmp_path / "spark")
    assert a == b
    assert sum(row[4] for row in a) == 4  # F1, F2, F5, F9 in 2025-01; no cohort before has a delivery


WINDOWED = """
definitions:
  - indicator: PAN_P_HIERRO_4M
    kind: cohorte
    edad_meses: 6
    fuente: "prueba"
    requisitos:
      - {nombre: "Hierro", codigos: ["99199.17"], ventanas_dias: [[110, 130], [131, 179]], peso_lab: {SF1: 1}, peso_minimo: 2}
"""


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("[[110, 130], [125, 179]]", "ventanas_dias va de menor a mayor edad, sin solaparse"),
        ("peso_minimo: 2}", "con peso_lab falta peso_minimo"),
        ("peso_lab: {SF1: 1}", "con ventanas_dias no van minimo"),
        ("codigos", "solo con ventanas_dias"),
    ],
)
def test_windowed_fields_are_validated(tmp_path, catalogue, broken, message):
    from .test_records_official import _definitions

    text = {
        "[[110, 130], [125, 179]]": WINDOWED.replace("[[110, 130], [131, 179]]", broken),
        "peso_minimo: 2}": WINDOWED.replace(", peso_minimo: 2}", "}"),
        "peso_lab: {SF1: 1}": WINDOWED.replace("peso_lab: {SF1: 1}", "peso_lab: {SF1: 1}, minimo: 2"),
        "codigos": WINDOWED.replace(
            "ventanas_dias: [[110, 130], [131, 179]], ", "edad_dias: [110, 179], minimo: 1, "
        ),
    }[broken]
    with pytest.raises(Exception, match=message):
        _definitions(tmp_path, catalogue, text)
    (tmp_path / "ok").mkdir()
    assert _definitions(tmp_path / "ok", catalogue, WINDOWED).items[0].requirements[0].windows == (
        (110, 130),
        (131, 179),
    )
