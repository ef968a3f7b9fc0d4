"""Published figures and regional profiles the demo data is calibrated to, as data.

Source: ../shared/domain/PAN.md (national stunting and anemia series, the regional spread, ENDES product
coverage, PAN budget magnitudes, Padrón Nominal and birth counts). Where PAN.md gives no figure the value is a
plausible assumption and says so. Regional values are profiles, not published estimates: the generator shifts
them each year so that their population-weighted mean equals the national figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# --- Regions ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # region code of warehouse/territory/regions.csv
    endes: str  # the row label INEI prints in its tables
    children: float  # share of the country's children under 5, % (approximate, INEI projections)
    districts: int  # districts in the real ubigeo table (Lima split: 43 in Lima Metropolitana)
    altitude: tuple[int, int, int]  # district altitude (min, mean, max), metres, from the real ubigeo table
    lat: float  # approximate centre
    lon: float
    zone: str  # costa | sierra | selva | lima


REGIONS: tuple[Region, ...] = (
    Region("01", "Amazonas", 1.5, 84, (300, 1830, 3150), -5.9, -78.1, "selva"),
    Region("02", "Áncash", 3.6, 166, (14, 2730, 3710), -9.4, -77.6, "sierra"),
    Region("03", "Apurímac", 1.5, 84, (2060, 3230, 3880), -14.0, -72.9, "sierra"),
    Region("04", "Arequipa", 4.1, 109, (9, 2170, 4470), -15.8, -72.5, "costa"),
    Region("05", "Ayacucho", 2.2, 124, (530, 3000, 3900), -13.6, -74.1, "sierra"),
    Region("06", "Cajamarca", 4.7, 127, (400, 2130, 3530), -6.5, -78.6, "sierra"),
    Region("07", "Prov. Const. del Callao", 3.4, 7, (13, 49, 118), -12.05, -77.12, "lima"),
    Region("08", "Cusco", 4.1, 112, (355, 3080, 4680), -13.5, -72.0, "sierra"),
    Region("09", "Huancavelica", 1.4, 100, (1930, 3270, 4520), -12.8, -75.0, "sierra"),
    Region("10", "Huánuco", 2.7, 84, (180, 2550, 3840), -9.6, -76.0, "sierra"),
    Region("11", "Ica", 2.7, 43, (14, 580, 3810), -14.1, -75.7, "costa"),
    Region("12", "Junín", 4.3, 124, (360, 3110, 4450), -11.6, -75.0, "sierra"),
    Region("13", "La Libertad", 6.0, 83, (10, 1860, 3990), -8.0, -78.5, "costa"),
    Region("14", "Lambayeque", 3.9, 38, (5, 215, 3030), -6.5, -79.8, "costa"),
    Region("LM", "Lima Metropolitana", 28.5, 43, (12, 160, 400), -12.05, -77.03, "lima"),
    Region("LR", "Departamento de Lima", 3.2, 128, (12, 2200, 4290), -11.5, -76.7, "costa"),
    Region("16", "Loreto", 3.8, 53, (75, 125, 220), -4.5, -74.5, "selva"),
    Region("17", "Madre de Dios", 0.6, 11, (190, 300, 535), -12.0, -70.5, "selva"),
    Region("18", "Moquegua", 0.5, 20, (33, 2330, 3790), -16.8, -70.9, "costa"),
    Region("19", "Pasco", 0.9, 29, (250, 3000, 4390), -10.5, -75.7, "sierra"),
    Region("20", "Piura", 6.6, 65, (7, 580, 2740), -5.2, -80.3, "costa"),
    Region("21", "Puno", 3.6, 110, (640, 3750, 4710), -15.0, -70.0, "sierra"),
    Region("22", "San Martín", 2.9, 77, (150, 445, 1090), -7.0, -76.7, "selva"),
    Region("23", "Tacna", 1.0, 28, (42, 1970, 3850), -17.6, -70.3, "costa"),
    Region("24", "Tumbes", 0.8, 13, (9, 36, 140), -3.8, -80.5, "costa"),
    Region("25", "Ucayali", 1.9, 17, (130, 205, 280), -9.5, -73.9, "selva"),
)
REGION = {r.code: r for r in REGIONS}
REGION_CODES = tuple(r.code for r in REGIONS)


def child_weights() -> np.ndarray:
    """Population weights of the 26 regions (sum 1), in REGIONS order."""
    w = np.array([r.children for r in REGIONS], dtype=float)
    return w / w.sum()


# Roles that give the demo the variety of a real year (tested in tests/etl/test_demo_warehouse.py).
LATE_REGIONS = ("16", "24", "03")  # their last month of admin and stock data is missing: "No reportado"
WEAK_BUDGET_REGION = "25"  # executes its budget far behind the others
IMPROVING_REGIONS = ("09", "05", "21")  # administrative coverage rising fast
LAGGING_REGIONS = ("16", "17", "25", "01", "LM")  # administrative coverage well below target
REGIONAL_FILE_REGIONS = ("08", "21", "12", "06", "02", "13")  # DIRESAs that send Latin-1 files apart

# --- Population (Padrón Nominal) ----------------------------------------------------------------------------
# Children under 3 with an identity number: about 1.95 million in 2023 (PAN.md); births fall slowly (assumed).
UNDER3_NATIONAL = {2019: 2_060_000, 2020: 2_040_000, 2021: 2_010_000, 2022: 1_980_000, 2023: 1_950_000,
                   2024: 1_920_000, 2025: 1_890_000, 2026: 1_860_000}  # fmt: skip
# Shares of the under-3 count by single age; '<1' ≈ 520 k, within births of 450–540 k a year (PAN.md).
AGE_SHARE_OF_UNDER3 = {"<1": 0.27, "1": 0.36, "2": 0.37, "3": 0.345, "4": 0.34}
SHARE_6_35_MONTHS = 0.135 + 0.36 + 0.37  # half of the under-1s, then ages 1 and 2

# --- ENDES --------------------------------------------------------------------------------------------------
SURVEY_YEARS = tuple(range(2012, 2026))
WIDE_YEARS = tuple(range(2021, 2026))  # the last five years, as INEI's "A" tables print them

# National stunting (< 5 years, WHO standard), published points (PAN.md); other years are interpolated.
STUNTING_PUBLISHED = {2007: 28.5, 2009: 23.8, 2018: 12.2, 2019: 12.2, 2020: 12.1, 2021: 11.5, 2022: 11.7,
                      2023: 11.5, 2024: 12.1, 2025: 12.1}  # fmt: skip


def interpolate(points: dict[int, float], years) -> dict[int, float]:
    xs = sorted(points)
    return {y: round(float(np.interp(y, xs, [points[x] for x in xs])), 1) for y in years}


def _from(first: int, values: tuple[float, ...]) -> dict[int, float]:
    return dict(zip(range(first, first + len(values)), values, strict=True))


# National series per survey indicator. PAN.md's figures are marked published; the rest are assumed, inside
# the ranges PAN.md gives (vaccines 69–79, iron 32–39, exclusive breastfeeding 64–71). CRED exists only under
# the current definition (2021–2025), the revised anemia series only 2021–2025; the historical ends in 2024.
# fmt: off
NATIONAL: dict[str, dict[int, float]] = {
    "PAN_DCI": interpolate(STUNTING_PUBLISHED, SURVEY_YEARS),
    # 2018 and 2020–2024 published.
    "PAN_ANEMIA": _from(2012, (44.5, 46.4, 46.8, 43.5, 43.6, 43.6, 43.5, 40.1, 40.0, 38.8, 42.4, 43.1, 43.7)),
    # 2021 published (28.4), "about 35 in 2024–2025".
    "PAN_ANEMIA_REV": _from(2021, (28.4, 31.2, 33.4, 35.0, 35.2)),
    "PAN_LME": _from(2012, (67.5, 70.8, 68.4, 65.2, 69.8, 66.4, 66.4, 65.6, 68.4, 64.0, 65.9, 66.9, 65.5,
                            67.2)),
    "PAN_EDA": _from(2012, (12.3, 12.1, 11.5, 10.9, 11.1, 11.3, 10.7, 10.8, 8.5, 9.8, 10.5, 10.8, 10.3,
                            10.1)),
    "PAN_IRA": _from(2012, (17.5, 16.4, 16.1, 15.8, 15.8, 15.0, 14.4, 14.8, 10.5, 11.0, 13.6, 14.0, 13.5,
                            13.2)),
    "PAN_BPN": _from(2012, (7.3, 7.1, 6.9, 7.0, 6.9, 6.8, 6.7, 6.6, 6.7, 6.5, 6.3, 6.5, 6.4, 6.4)),
    "PAN_P_VACUNA_ENDES": _from(2012, (72.8, 71.5, 74.0, 71.0, 71.4, 74.8, 76.0, 76.3, 69.0, 70.4, 73.2, 72.6,
                                       75.1, 76.4)),
    # 2021 (6.0) and 2025 (33.6) published.
    "PAN_P_CRED_ENDES": _from(2021, (6.0, 14.3, 21.8, 28.1, 33.6)),
    "PAN_P_HIERRO_ENDES": _from(2016, (32.4, 33.1, 34.0, 34.6, 32.2, 33.8, 35.9, 37.2, 38.1, 38.9)),
    "SMN_MNEO": _from(2012, (12.8, 12.3, 12.0, 11.6, 11.2, 10.9, 10.5, 10.2, 10.4, 10.1, 9.8, 9.5, 9.3, 9.1)),
    "SMN_PARTO_INST": _from(2012, (86.8, 88.0, 89.2, 90.7, 91.9, 92.4, 93.0, 93.2, 93.6, 94.0, 94.5, 94.8,
                                   95.1, 95.3)),
}

# Regional stunting profile, levels in 2012, 2019 and 2025. PAN.md's spread: Huancavelica highest (high 20s to
# low 30s until about 2020, about 20 by 2025), then Cajamarca, Loreto, Huánuco, Amazonas, Ayacucho, Apurímac;
# lowest Tacna, Moquegua, Lima Metropolitana, Callao, Arequipa, Ica.
STUNTING_ANCHORS = (2012, 2019, 2025)
STUNTING_REGIONAL = {
    "01": (30, 20.5, 18.0), "02": (25, 14.5, 14.5), "03": (30, 20.0, 17.4), "04": (10, 5.8, 6.5),
    "05": (30, 20.0, 17.6), "06": (29, 25.0, 19.5), "07": (9, 5.0, 6.0), "08": (24, 13.5, 14.0),
    "09": (32, 31.0, 20.0), "10": (31, 21.5, 18.4), "11": (10, 6.5, 7.0), "12": (27, 16.0, 15.0),
    "13": (25, 14.0, 14.0), "14": (17, 10.0, 11.0), "LM": (9, 4.4, 6.5), "LR": (15, 8.5, 9.5),
    "16": (31, 24.5, 19.5), "17": (12, 8.0, 8.0), "18": (5, 3.0, 3.2), "19": (26, 16.0, 15.0),
    "20": (26, 14.5, 15.0), "21": (22, 12.5, 13.0), "22": (21, 12.5, 13.0), "23": (3.5, 2.4, 2.8),
    "24": (12, 7.5, 8.5), "25": (27, 17.0, 16.0),
}

# Historical anemia series (6–35 months), levels in 2012, 2018, 2021 and 2024. PAN.md: Puno highest (~65–70);
# Ucayali, Madre de Dios, Loreto, Pasco ~55–60; lowest Cajamarca, Moquegua, Tacna (~30–35).
ANEMIA_ANCHORS = (2012, 2018, 2021, 2024)
ANEMIA_REGIONAL = {
    "01": (46, 44, 38, 42), "02": (45, 43, 38, 42), "03": (52, 50, 45, 50), "04": (44, 40, 34, 40),
    "05": (53, 52, 42, 48), "06": (35, 32, 28, 32), "07": (38, 34, 32, 37), "08": (57, 53, 47, 52),
    "09": (57, 55, 50, 53), "10": (50, 46, 40, 44), "11": (40, 40, 33, 39), "12": (53, 50, 45, 51),
    "13": (40, 37, 33, 38), "14": (43, 39, 33, 40), "LM": (33, 31, 28, 32), "LR": (40, 39, 33, 39),
    "16": (58, 61, 53, 58), "17": (59, 56, 50, 55), "18": (35, 32, 30, 33), "19": (60, 58, 52, 56),
    "20": (45, 45, 37, 44), "21": (71, 68, 70, 68), "22": (46, 47, 38, 45), "23": (35, 33, 30, 33),
    "24": (49, 45, 42, 46), "25": (57, 59, 51, 57),
}

# Revised anemia series, levels in 2021 and 2025: far lower than the historical series in high regions
# (PAN.md: Puno 34.0 against 70.4 in 2021); lowland regions change little.
ANEMIA_REV_ANCHORS = (2021, 2025)
ANEMIA_REV_REGIONAL = {
    "01": (30, 36), "02": (28, 33), "03": (27, 32), "04": (26, 31), "05": (27, 32), "06": (19, 24),
    "07": (30, 36), "08": (30, 35), "09": (28, 33), "10": (28, 33), "11": (30, 36), "12": (29, 35),
    "13": (27, 33), "14": (30, 37), "LM": (27, 33), "LR": (27, 32), "16": (46, 52), "17": (42, 48),
    "18": (25, 30), "19": (29, 34), "20": (33, 40), "21": (34, 38), "22": (35, 42), "23": (24, 30),
    "24": (39, 45), "25": (44, 50),
}

# Typical regional levels of the other survey indicators (assumed, after known patterns: breastfeeding and
# supplementation higher in the rural highlands; diarrhoea, low birth weight and neonatal mortality higher and
# institutional delivery lower in the Amazon). Columns follow SURVEY_TYPICAL_CODES.
SURVEY_TYPICAL_CODES = ("PAN_LME", "PAN_EDA", "PAN_IRA", "PAN_BPN", "PAN_P_VACUNA_ENDES", "PAN_P_CRED_ENDES",
                        "PAN_P_HIERRO_ENDES", "SMN_MNEO", "SMN_PARTO_INST")
SURVEY_TYPICAL = {
    "01": (80, 14, 17, 7.5, 72, 30, 40, 14, 78), "02": (75, 11, 15, 6.5, 75, 28, 38, 10, 92),
    "03": (86, 12, 17, 6.0, 82, 40, 46, 11, 97), "04": (62, 8, 12, 6.0, 78, 26, 33, 7, 98),
    "05": (82, 12, 16, 6.5, 80, 36, 44, 11, 95), "06": (80, 11, 14, 7.0, 76, 32, 42, 11, 85),
    "07": (58, 9, 13, 6.5, 74, 22, 30, 7, 99), "08": (78, 11, 16, 6.0, 74, 30, 40, 12, 94),
    "09": (88, 13, 18, 6.5, 80, 42, 48, 13, 94), "10": (80, 12, 16, 7.0, 76, 32, 42, 12, 88),
    "11": (58, 9, 12, 6.0, 76, 24, 32, 7, 99), "12": (75, 11, 16, 6.5, 74, 28, 38, 10, 92),
    "13": (68, 10, 13, 7.0, 73, 26, 34, 9, 92), "14": (66, 10, 13, 7.0, 74, 26, 35, 9, 94),
    "LM": (60, 9, 13, 6.5, 70, 20, 30, 7, 99), "LR": (66, 10, 13, 6.5, 72, 24, 34, 8, 96),
    "16": (70, 16, 18, 8.5, 64, 22, 30, 16, 72), "17": (62, 13, 14, 7.5, 66, 20, 30, 11, 92),
    "18": (62, 8, 12, 5.5, 80, 28, 36, 7, 98), "19": (78, 12, 16, 7.0, 74, 30, 40, 12, 90),
    "20": (66, 11, 13, 7.5, 72, 26, 34, 9, 92), "21": (82, 11, 19, 6.0, 74, 32, 40, 14, 86),
    "22": (72, 13, 14, 7.0, 72, 28, 36, 11, 88), "23": (62, 8, 11, 5.5, 80, 30, 36, 6, 99),
    "24": (40, 11, 12, 7.0, 72, 24, 32, 9, 98), "25": (68, 15, 16, 8.0, 66, 22, 30, 13, 84),
}

# ENDES sample per indicator and year, nationally (assumed, ENDES's order of magnitude): each region gets a
# fixed part plus a part proportional to population, so small regions have large coefficients of variation.
SURVEY_SAMPLE = {
    "PAN_DCI": 30_000, "PAN_ANEMIA": 12_000, "PAN_ANEMIA_REV": 12_000, "PAN_LME": 1_800, "PAN_EDA": 25_000,
    "PAN_IRA": 25_000, "PAN_BPN": 50_000, "PAN_P_VACUNA_ENDES": 3_800, "PAN_P_CRED_ENDES": 16_000,
    "PAN_P_HIERRO_ENDES": 12_000, "SMN_MNEO": 300_000, "SMN_PARTO_INST": 25_000,
}
DESIGN_EFFECT = 1.6

# The INEI tables the demo writes: cuadro, indicator, title (its words satisfy the catalogue's matcher).
WIDE_TABLES = (
    ("04A", "PAN_DCI", "DESNUTRICIÓN CRÓNICA EN NIÑAS Y NIÑOS MENORES DE CINCO AÑOS (PATRÓN OMS)"),
    ("05A", "PAN_LME", "LACTANCIA MATERNA EXCLUSIVA EN NIÑAS Y NIÑOS MENORES DE SEIS MESES DE EDAD"),
    ("06.1A", "PAN_ANEMIA", "PREVALENCIA DE ANEMIA EN NIÑAS Y NIÑOS DE 6 A 35 MESES DE EDAD"),
    ("06.3A", "PAN_ANEMIA_REV",
     "PREVALENCIA DE ANEMIA EN NIÑAS Y NIÑOS DE 6 A 35 MESES, CON EL CRITERIO REVISADO DE HEMOGLOBINA"),
    ("12A", "PAN_P_VACUNA_ENDES",
     "NIÑAS Y NIÑOS MENORES DE 12 MESES DE EDAD CON VACUNAS BÁSICAS COMPLETAS PARA SU EDAD"),
    ("17A", "PAN_P_CRED_ENDES",
     "NIÑAS Y NIÑOS MENORES DE 36 MESES CON CONTROLES DE CRECIMIENTO Y DESARROLLO (CRED) COMPLETOS PARA "
     "SU EDAD"),
    ("19A", "PAN_P_HIERRO_ENDES",
     "NIÑAS Y NIÑOS DE 6 A 35 MESES DE EDAD QUE CONSUMIERON SUPLEMENTO DE HIERRO EN LOS ÚLTIMOS 7 DÍAS"),
)
# fmt: on

# --- Administrative records (HIS, SIGA): monthly coverage per facility --------------------------------------


@dataclass(frozen=True, slots=True)
class AdminProfile:
    level_2023: float  # national coverage in January 2023, %
    slope: float  # points per year
    denominator: str  # population behind it: '<1', '6-11m', '6-35m', '<3', 'births', 'cases' or 'unit'
    season: float = 0.0  # amplitude of the seasonal swing, points
    fractional: bool = False  # the denominator is a monthly goal (annual / 12), written with one decimal
    min_category: int = 0  # facilities below this category index (facilities.CATEGORIES) do not report


ADMIN: dict[str, AdminProfile] = {
    "PAN_P_VACUNA": AdminProfile(76, 2.0, "<1", season=3),
    "PAN_P_CRED": AdminProfile(52, 4.5, "<1"),
    "PAN_P_HIERRO": AdminProfile(40, 3.5, "6-35m", season=2),
    "PAN_P_DOSAJE": AdminProfile(56, 3.0, "6-11m"),
    "PAN_P_GESTANTE": AdminProfile(76, 1.5, "births", fractional=True),
    "PAN_P_IRA_EDA": AdminProfile(82, 1.0, "cases", season=2),
    "PAN_P_FAMILIAS": AdminProfile(33, 4.0, "<3", fractional=True),
    "PAN_I_ANTROPOMETRIA": AdminProfile(82, 2.0, "unit"),
    "PAN_I_CADENA_FRIO": AdminProfile(84, 1.5, "unit"),
    "SMN_P_APN": AdminProfile(64, 2.0, "births", fractional=True),
    "SMN_P_PARTO": AdminProfile(80, 1.5, "births", min_category=2),
}
# Synthetic benchmark series get a generic profile.
ADMIN_DEFAULT = AdminProfile(60, 2.0, "<3")

# Targets per region and year for target-rule indicators: the catalogue's default target reached in 2026 by a
# rising path (assumed), a few points lower where the baseline is far behind.
TARGET_RISE_PER_YEAR = {"admin": 1.5, "survey": 1.0}

# --- Critical-input stock (SISMED) --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StockProfile:
    population: str  # population whose consumption drives the CPM
    per_child: float  # monthly consumption per child of that population
    months_median: float  # typical months of supply
    stockout: float  # monthly chance of a stock-out at a facility
    # national shortage episodes: (first month, last month, extra stock-out chance)
    episodes: tuple[tuple[str, str, float], ...] = ()


STOCK: dict[str, StockProfile] = {
    "PAN_I_VAC_PENTA": StockProfile("<1", 0.28, 3.0, 0.04),
    "PAN_I_VAC_NEUMO": StockProfile("<1", 0.20, 3.6, 0.05, (("2025-01", "2025-03", -0.03),)),
    "PAN_I_HIERRO_GOTAS": StockProfile("6-35m", 0.35, 2.8, 0.06, (("2024-08", "2024-11", 0.18),)),
    "PAN_I_SULFATO_JARABE": StockProfile("6-35m", 0.15, 3.2, 0.05),
    "PAN_I_MMN": StockProfile("6-35m", 0.40, 2.6, 0.08, (("2024-07", "2024-12", 0.30),)),
    "PAN_I_MICROCUBETAS": StockProfile("6-11m", 0.60, 2.5, 0.07, (("2026-05", "2026-09", 0.12),)),
    "PAN_I_HIERRO_FOLICO": StockProfile("births", 3.0, 3.4, 0.04),
    "PAN_I_SRO": StockProfile("cases", 1.5, 4.0, 0.03),
    "PAN_I_AMOXICILINA": StockProfile("cases", 0.8, 3.5, 0.05),
    "SMN_I_OXITOCINA": StockProfile("births", 2.0, 3.8, 0.04),
}
STOCK_DEFAULT = StockProfile("<3", 0.2, 3.2, 0.05)

# --- Budget (MEF) -------------------------------------------------------------------------------------------
# PAN PIM per year, soles: PAN.md gives 2,845 M in 2019 (devengado 2,612 M, 91.8 %); 2023–2026 "≈ 2.8–3.3 bn"
# (assumed path). SMN is assumed at about two thirds of PAN.
PIM = {
    "0001": {2019: 2_845e6, 2020: 2_900e6, 2021: 2_930e6, 2022: 2_960e6, 2023: 2_990e6, 2024: 3_080e6,
             2025: 3_170e6, 2026: 3_240e6},
    "0002": {2019: 1_900e6, 2020: 1_950e6, 2021: 1_990e6, 2022: 2_020e6, 2023: 2_060e6, 2024: 2_110e6,
             2025: 2_160e6, 2026: 2_200e6},
}  # fmt: skip
EXECUTED_BY_DECEMBER = 0.91  # devengado / PIM at year end (2019: 91.8 %)
# Cumulative devengado / cumulative PIM by month: slow start, December peak (assumed shape).
EXECUTION_PACE = (0.025, 0.07, 0.13, 0.20, 0.28, 0.36, 0.44, 0.52, 0.61, 0.69, 0.78, 0.91)
# Cumulative share of the year's PIM known by month: the PIA in January, modifications through the year.
PIM_PACE = (0.86, 0.88, 0.90, 0.92, 0.94, 0.955, 0.965, 0.975, 0.982, 0.99, 0.996, 1.0)

# Target paths that do not follow the generic rise (ENDES CRED under its current definition starts near zero).
TARGET_PATHS = {"PAN_P_CRED_ENDES": {2021: 10.0, 2022: 17.0, 2023: 24.0, 2024: 30.0, 2025: 35.0, 2026: 40.0}}
