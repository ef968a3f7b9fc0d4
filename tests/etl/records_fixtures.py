"""Hand-written nominal records whose indicator values are worked out by hand (see each child's comment)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

HEADER = [
    "fecha_atencion",
    "cod_ipress",
    "ubigeo",
    "id_nino",
    "fecha_nacimiento",
    "sexo",
    "codigo",
    "valor",
    "altitud",
]
F1, F2 = "00080101", "00080102"  # facilities of districts 080101 and 080102 (Cusco), as in tests' RENIPRESS
UBIGEO = {F1: "080101", F2: "080102"}


def _d(day: dt.date, plus: int) -> str:
    return (day + dt.timedelta(days=plus)).isoformat()


def hand_records() -> list[list[str]]:
    rows: list[list[str]] = []

    def add(
        child: str, born: dt.date, age: int, code: str, fac: str = F1, valor: str = "", alt: str = ""
    ) -> None:
        rows.append([_d(born, age), fac, UBIGEO[fac], child, born.isoformat(), "F", code, valor, alt])

    # Cohort turning 12 months in 2025-01 (born January 2024).
    a = dt.date(
        2024, 1, 10
    )  # A: BCG at day 1 (opens the records in 2024-01), 11 CRED 30 days apart: complete
    add("NA", a, 1, "90585")
    for k in range(1, 12):
        add("NA", a, 30 * k, "Z001")
    b = dt.date(2024, 1, 20)  # B: 11 CRED but the 2nd only 10 days after the 1st: 10 count, incomplete
    for day in (30, 40, *(30 * k for k in range(3, 12))):
        add("NB", b, day, "Z001")
    c = dt.date(2024, 1, 5)  # C: complete, last attention at F2: counted at F2
    for k in range(1, 12):
        add("NC", c, 30 * k, "Z001", F2 if k == 11 else F1)
    # Anemia in 2025-03 (child 6–35 months; the last test of the month counts).
    d = dt.date(2024, 5, 1)  # D: 12.5 g/dL at 2,900 m: CDC subtracts 1.687 → 10.81 anemic; WHO 1.3 → 11.2 not
    add("ND", d, 310, "85018", valor="12.5", alt="2900")
    e = dt.date(2024, 2, 1)  # E: 9.0 then 12.0 at 100 m in the month: the last (12.0) counts → not anemic
    add("NE", e, 400, "85018", valor="9.0", alt="100")
    add("NE", e, 410, "85018", valor="12.0", alt="100")
    f = dt.date(2021, 12, 1)  # F: 39 months old: outside 6–35, not counted
    add("NF", f, 1195, "85018", valor="9.0", alt="100")
    # Iron in 2025-03 (children 6–35 months attended in the month; counted where last attended).
    g = dt.date(2024, 7, 1)  # G: CRED at F1 then iron at F2 in March: numerator at F2
    add("NG", g, 245, "Z001")
    add("NG", g, 250, "99199.17", F2)
    h = dt.date(2023, 7, 1)  # H: 20 months, attended without iron at F1: denominator only
    add("NH", h, 612, "A09X")
    # I: 11 CRED 30 days apart at F2 plus an extra check at day 45: the greedy choice (30, 60, …) still finds 11
    # spaced checks — a visit more never spoils a series. Also attended at F2 from August to December 2024.
    i = dt.date(2024, 1, 15)
    for day in (45, *(30 * k for k in range(1, 12))):
        add("NI", i, day, "Z001", F2)
    # Z: an older child seen on 2024-01-02 and 2025-03-30 (A09X, counted nowhere): the records cover January
    # 2024 and March 2025 whole.
    z = dt.date(2020, 10, 1)
    add("NZ", z, (dt.date(2024, 1, 2) - z).days, "A09X")
    add("NZ", z, (dt.date(2025, 3, 30) - z).days, "A09X")
    return rows


# Worked out by hand from the comments above: (periodo, cod_ipress, indicador) → (numerador, denominador).
# Nothing else may come out: cohorts of other months lack history (2024) or end after the records (2025-05+).
EXPECTED = {
    ("2025-01", F1, "PAN_P_CRED"): (1, 2),  # A complete, B not
    ("2025-01", F2, "PAN_P_CRED"): (2, 2),  # C, and I despite its extra check
    ("2025-01", F1, "PAN_P_VACUNA"): (0, 2),  # nobody has the doses
    ("2025-01", F2, "PAN_P_VACUNA"): (0, 2),
    ("2025-01", F1, "PAN_P_DOSAJE"): (0, 2),
    ("2025-01", F2, "PAN_P_DOSAJE"): (0, 2),
    ("2025-03", F1, "PAN_ANEMIA_HIS_CDC"): (1, 2),  # D anemic, E not
    ("2025-03", F1, "PAN_ANEMIA_HIS_OMS"): (0, 2),
    # NTS 213-2024 subtracts 1.8 at 2,900 m: D's 12.5 → 10.7, not under 10.5 at 10 months; E not anemic either.
    ("2025-03", F1, "PAN_ANEMIA_HIS_NTS"): (0, 2),
    ("2025-03", F2, "PAN_P_HIERRO"): (1, 1),  # G
    # A, B, C (at F1) and I (at F2), born in January 2024, turn one month in February: none has the newborn package.
    ("2024-02", F1, "PAN_P_RECIEN_NACIDO"): (0, 3),
    ("2024-02", F2, "PAN_P_RECIEN_NACIDO"): (0, 1),
    # The same four turn 6 months in July 2024, at the facility of their last attention before: none got iron at 4.
    ("2024-07", F1, "PAN_P_HIERRO_4M"): (0, 3),
    ("2024-07", F2, "PAN_P_HIERRO_4M"): (0, 1),
    ("2025-03", F1, "PAN_P_HIERRO"): (0, 3),  # D (10 months), E (13), H (20) attended without iron
    # A, B and C are 6 months old at their August 2024 checks (day 210: 08-07, 08-17, 08-02; their July checks
    # fall days short of 6 months). C's 11th check (day 330) is 2024-11-30, at F2; A's and B's are in December.
    **{(f"2024-{m:02d}", F1, "PAN_P_HIERRO"): (0, 3) for m in range(8, 11)},
    ("2024-11", F1, "PAN_P_HIERRO"): (0, 2),
    ("2024-11", F2, "PAN_P_HIERRO"): (0, 2),  # C and I
    ("2024-12", F1, "PAN_P_HIERRO"): (0, 2),
    # I is 6 months old at its day-210 check (2024-08-12) and attended at F2 every month to December.
    **{(f"2024-{m:02d}", F2, "PAN_P_HIERRO"): (0, 1) for m in (8, 9, 10, 12)},
}


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path
