"""The official 2025 definitions (warehouse/catalogue/registros/pan_0001.yaml), worked out by hand: one child per
facility, so each output row is one child, and each child decided by one rule — a first-dose window, a maximum
spacing, a series only a full search finds, a code, a type of diagnosis, a LAB value, an exclusion, a threshold by
age."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.records.compute import compute
from etl.records.definitions import load_definitions

from .records_fixtures import write_csv
from .test_records import output

HEADER = ["fecha_atencion", "cod_ipress", "ubigeo", "id_nino", "fecha_nacimiento", "codigo", "valor", "altitud", "lab", "tipo_diagnostico"]  # fmt: skip
BORN = dt.date(2024, 1, 10)  # every child turns 12 months in 2025-01
SPAN = {"since": dt.date(2024, 1, 1), "until": dt.date(2025, 1, 31)}


class Records:
    def __init__(self, born: dt.date = BORN) -> None:
        self.born = born
        self.rows: list[list[str]] = []
        self.facility: dict[str, str] = {}

    def add(self, child: str, day: int, code: str, valor: str = "", lab: str = "", dx: str = "D") -> None:
        fac = self.facility.setdefault(child, f"{len(self.facility) + 1:08d}")
        alt = "3200" if valor else ""
        row = [
            (self.born + dt.timedelta(days=day)).isoformat(),
            fac,
            "090118",
            child,
            self.born.isoformat(),
            code,
            valor,
            alt,
        ]
        self.rows.append([*row, lab, dx])

    def series(self, child: str, days, code: str | list[str], **kw) -> None:
        codes = code if isinstance(code, list) else [code] * len(list(days))
        for d, c in zip(days, codes, strict=True):
            self.add(child, d, c, **kw)

    def write(self, path: Path) -> Path:
        # An older child seen on the first and last days of the span: the records cover every month whole.
        anchor = [
            [day, "00000999", "090118", "ANCLA", "2020-01-01", "A09X", "", "", "", "D"]
            for day in ("2024-01-01", "2025-01-31")
        ]
        return write_csv(path, self.rows + anchor, HEADER)


def vaccines(r: Records, child: str, penta=(60, 120, 180), rota=(60, 120), pneumo=(60, 120)) -> None:
    r.series(child, penta, ["90722"] + ["90723"] * (len(penta) - 1))
    r.series(child, (60, 120, 180), ["90712", "90713", "90713"])
    r.series(child, pneumo, "90670")
    r.series(child, rota, "90681")


def test_official_definitions_hand_worked(tmp_path):
    r = Records()
    every30 = [30 * k for k in range(1, 12)]  # days 30 … 330
    # CRED: 11 controls, the first at 29–59 days, each next 28–31 days after the previous.
    r.series("C1", every30, "Z001")  # complete
    r.series("C2", [62 + 30 * k for k in range(11)], "Z001")  # the first at day 62: late → no
    r.series("C3", [30, 60, 95, *range(125, 336, 30)], "Z001")  # a 35-day gap (max 31) → no
    r.series("C4", [30, *range(45, 346, 30)], "Z001")  # 30 leads nowhere; 45, 75 … 345 is a series → yes
    r.series("C5", every30, ["Z001"] * 5 + ["99381"] + ["Z001"] * 5)  # 99381 counts → yes
    r.series("C6", every30, ["Z001"] * 5 + ["99381.01"] + ["Z001"] * 5)  # the newborn code does not → no
    r.series("C7", every30, "Z001")
    r.add("C7", 30, "P0712")  # premature: out of the denominator
    # Vaccines: penta 90722/90723 and polio ×3, pneumococcal and rotavirus ×2, first at 55–119, then 28–70 apart.
    vaccines(r, "V1")  # complete
    vaccines(r, "V2", penta=(50, 110, 170))  # penta 1 at day 50: the series from 110 is one dose short → no
    vaccines(r, "V3", penta=(60, 135, 195))  # a 75-day gap (max 70) → no
    vaccines(r, "V4", rota=(60, 250))  # rotavirus 2 after day 240 → no
    # Hb test: 85018/85018.01 type D at 180–209 days.
    r.add("H1", 190, "85018", valor="12.0")  # yes
    r.add("H2", 190, "85018", valor="12.0", dx="R")  # a repeat (R) → no
    r.add("H3", 200, "85018.01", valor="12.0")  # the new code → yes
    r.add("H4", 175, "85018", valor="12.0")  # day 175 (170–209 was CG 2024) → no
    rec = r.write(tmp_path / "registros.csv")
    report = compute(rec, tmp_path / "out", indicators=["PAN_P_CRED", "PAN_P_VACUNA", "PAN_P_DOSAJE"], **SPAN)
    assert report.status == "computed", report.lines()
    got = {(f, i): v for (p, f, i), v in output(tmp_path / "out").items() if p == "2025-01"}
    decided = {
        "PAN_P_CRED": {"C1": 1, "C2": 0, "C3": 0, "C4": 1, "C5": 1, "C6": 0},
        "PAN_P_VACUNA": {"V1": 1, "V2": 0, "V3": 0, "V4": 0},
        "PAN_P_DOSAJE": {"H1": 1, "H2": 0, "H3": 1, "H4": 0},
    }
    for indicator, children in decided.items():
        for child, met in children.items():
            assert got.pop((r.facility[child], indicator)) == (met, 1), (indicator, child)
    # C7 left every denominator; the other children are in the others' denominators, none in their numerators.
    assert not [k for k in got if k[0] == r.facility["C7"]]
    assert all(v[0] == 0 for v in got.values()), got


def _definitions(tmp_path: Path, catalogue, text: str):
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "prueba.yaml").write_text(text, encoding="utf-8")
    return load_definitions(catalogue, folder)


NTS = """
adjustments:
  nts:
    name: {es: "NTS 213-2024", en: "NTS 213-2024"}
    bands: [{desde_m: 500, ajuste: 0.4}, {desde_m: 3000, ajuste: 2.1}, {desde_m: 3500, ajuste: 2.5}]
definitions:
  - indicator: PAN_ANEMIA_HIS_OMS
    kind: medicion
    edad_meses: [6, 59]
    codigos: ["85018"]
    valor_valido: [3.0, 20.0]
    umbrales: [{edad_meses: [6, 23], menor_que: 10.5}, {edad_meses: [24, 59], menor_que: 11.0}]
    ajuste: nts
    fuente: "prueba"
  - indicator: PAN_P_DOSAJE
    kind: cohorte
    edad_meses: 12
    fuente: "prueba"
    requisitos:
      - {nombre: "Hierro en gotas", codigos: ["99199.17"], minimo: 2, edad_dias: [110, 179], lab: ["SF1", "SF2"], separacion_min_dias: 20}
"""


def test_thresholds_by_age_and_lab_values(tmp_path, catalogue):
    defs = _definitions(tmp_path, catalogue, NTS)
    r = Records()
    # NTS 213-2024 at 3,200 m subtracts 2.1: 12.0 → 9.9 anemic at 10 months (< 10.5); 12.7 → 10.6 not anemic at
    # 20 months (it would be under 11.0); 13.0 → 10.9 anemic at 30 months (< 11.0).
    for child, months, hb in (("A10", 10, "12.0"), ("A20", 20, "12.7"), ("A30", 30, "13.0")):
        born = dt.date(2025, 1, 20) - dt.timedelta(days=round(months * 30.44))
        fac = r.facility.setdefault(child, f"{len(r.facility) + 1:08d}")
        r.rows.append(["2025-01-20", fac, "090118", child, born.isoformat(), "85018", hb, "3200", "1", "D"])
    # LAB: two iron deliveries at 110–179 days with SF1/SF2; TA does not count.
    r.add("L1", 115, "99199.17", lab="SF1")
    r.add("L1", 145, "99199.17", lab="SF2")
    r.add("L2", 115, "99199.17", lab="TA")
    r.add("L2", 145, "99199.17", lab="SF1")
    rec = r.write(tmp_path / "registros.csv")
    report = compute(rec, tmp_path / "out", definitions=defs, **SPAN)
    assert report.status == "computed", report.lines()
    got = {(f, i): v for (p, f, i), v in output(tmp_path / "out").items() if p == "2025-01"}
    assert got[(r.facility["A10"], "PAN_ANEMIA_HIS_OMS")] == (1, 1)
    assert got[(r.facility["A20"], "PAN_ANEMIA_HIS_OMS")] == (0, 1)
    assert got[(r.facility["A30"], "PAN_ANEMIA_HIS_OMS")] == (1, 1)
    assert got[(r.facility["L1"], "PAN_P_DOSAJE")] == (1, 1)
    assert got[(r.facility["L2"], "PAN_P_DOSAJE")] == (0, 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('fuente: "prueba"\n    requisitos', "falta fuente"),
        ("separacion_min_dias: 20}", "separacion_max_dias menor que separacion_min_dias"),
        ("menor_que: 11.0}]", "umbrales deben ir por edades crecientes"),
        ('lab: ["SF1", "SF2"]', "tipo_diagnostico solo D, P o R"),
    ],
)
def test_new_fields_are_validated(tmp_path, catalogue, change, message):
    broken = {
        'fuente: "prueba"\n    requisitos': "requisitos",
        "separacion_min_dias: 20}": "separacion_min_dias: 20, separacion_max_dias: 10}",
        "menor_que: 11.0}]": "menor_que: 11.0}, {edad_meses: [20, 30], menor_que: 11.0}]",
        'lab: ["SF1", "SF2"]': 'tipo_diagnostico: ["X"]',
    }[change]
    with pytest.raises(Exception, match=message):
        _definitions(tmp_path, catalogue, NTS.replace(change, broken))


# The newborn package of the Convenio de Gestión 2025 (ID 4, HIS.md §8.1) as shipped (PAN_P_RECIEN_NACIDO): BCG and
# HvB on day 0–1, tamizaje on days 2–6, 4 CRED by day 28 with a spacing per dose — the 2nd ≥ 3 days after the 1st,
# the 3rd and 4th ≥ 7 days after the one before.


def test_newborn_package_with_a_spacing_per_dose(tmp_path, catalogue):
    r = Records(born=dt.date(2024, 12, 10))  # newborns turning 1 month in 2025-01

    def newborn(child: str, bcg=0, hvb=1, cred=(3, 6, 13, 20), screening=3) -> None:
        r.add(child, bcg, "90585")
        r.add(child, hvb, "90744")
        r.series(child, cred, ["99381.01", "Z001", "99381.01", "99381.01"])
        r.add(child, screening, "36416")

    newborn("N1")  # complete
    newborn("N2", hvb=2)  # hepatitis B on day 2 → no
    newborn("N3", cred=(3, 5, 13, 20))  # the 2nd CRED 2 days after the 1st (min 3): three in series → no
    newborn("N4", screening=7)  # screening on day 7 → no
    newborn("N5", cred=(3, 6, 13, 29))  # the 4th CRED on day 29 → no
    newborn("N6")
    r.add("N6", 0, "P0712")  # premature: out of the denominator
    rec = r.write(tmp_path / "registros.csv")
    report = compute(
        rec,
        tmp_path / "out",
        indicators=["PAN_P_RECIEN_NACIDO"],
        catalogue=catalogue,
        since=dt.date(2024, 12, 1),
        until=dt.date(2025, 1, 31),
    )
    assert report.status == "computed", report.lines()
    got = {f: v for (p, f, _i), v in output(tmp_path / "out").items() if p == "2025-01"}
    assert {c: got.get(r.facility[c]) for c in ("N1", "N2", "N3", "N4", "N5", "N6")} == {
        "N1": (1, 1),
        "N2": (0, 1),
        "N3": (0, 1),
        "N4": (0, 1),
        "N5": (0, 1),
        "N6": None,
    }
