"""ENDES estimates per region and year: a tidy CSV with CI, CV and n, and INEI's wide "A" tables (XLSX).

Each indicator's regional profile (calibration) gets sampling noise of its ENDES sample size, then one shift
per year (logit for percentages, log for rates) makes the population-weighted mean of the regions equal the
national figure, which is printed as published. Estimates with a coefficient of variation above 15 % are
printed in parentheses, as INEI does; small regions (Madre de Dios, Moquegua, Tumbes, Pasco) and low
prevalences get them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from warehouse.catalogue_model import Catalogue

from .calibration import (
    ANEMIA_ANCHORS,
    ANEMIA_REGIONAL,
    ANEMIA_REV_ANCHORS,
    ANEMIA_REV_REGIONAL,
    DESIGN_EFFECT,
    IMPROVING_REGIONS,
    NATIONAL,
    REGION,
    REGION_CODES,
    REGIONS,
    STUNTING_ANCHORS,
    STUNTING_REGIONAL,
    SURVEY_SAMPLE,
    SURVEY_TYPICAL,
    SURVEY_TYPICAL_CODES,
    WIDE_TABLES,
    WIDE_YEARS,
    child_weights,
)
from .files import expit, logit, rng_for, write_rows

REFERENTIAL_CV = 15.0
PUBLISHED = dt.datetime(2026, 5, 29, 10, 0, 0)  # fixed workbook date: same seed, same bytes
_ANCHORED = {
    "PAN_DCI": (STUNTING_ANCHORS, STUNTING_REGIONAL),
    "PAN_ANEMIA": (ANEMIA_ANCHORS, ANEMIA_REGIONAL),
    "PAN_ANEMIA_REV": (ANEMIA_REV_ANCHORS, ANEMIA_REV_REGIONAL),
}
# Rural / urban ratio of each indicator, for the area rows of the wide tables (PAN.md: stunting rural 20–25,
# urban 7–8; the others assumed).
_RURAL_RATIO = {
    "PAN_DCI": 3.0,
    "PAN_ANEMIA": 1.3,
    "PAN_ANEMIA_REV": 1.05,
    "PAN_LME": 1.3,
    "PAN_P_VACUNA_ENDES": 1.02,
    "PAN_P_CRED_ENDES": 1.35,
    "PAN_P_HIERRO_ENDES": 1.2,
}
RURAL_SHARE = 0.25


def _profile(code: str, year: int, trend: np.ndarray, scale: float) -> np.ndarray:
    """Regional levels of an indicator in a year as proportions, before noise and the national shift."""
    if code in _ANCHORED:
        anchors, table = _ANCHORED[code]
        return np.array([np.interp(year, anchors, table[r]) for r in REGION_CODES]) / scale
    col = SURVEY_TYPICAL_CODES.index(code)
    base = np.array([SURVEY_TYPICAL[r][col] for r in REGION_CODES], dtype=float) / scale
    return expit(logit(base) + trend * (year - 2019))


def _shift_to(values: np.ndarray, target: float, weights: np.ndarray, rate: bool) -> np.ndarray:
    """Shift all regions by one amount (logit, or log for rates) so that their weighted mean is ``target``."""
    to, back = (np.log, np.exp) if rate else ((lambda v: logit(v / 100)), (lambda x: 100 * expit(x)))
    x = to(values)
    lo, hi = -10.0, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if weights @ back(x + mid) < target:
            lo = mid
        else:
            hi = mid
    return back(x + (lo + hi) / 2)


def survey_estimates(seed: int, catalogue: Catalogue) -> pd.DataFrame:
    """One row per indicator, year and region (and 'PE'): value, CI, CV, n, and whether it is referential."""
    w = child_weights()
    share_n = 0.6 / len(REGIONS) + 0.4 * w  # ENDES samples every department, not in proportion
    frames = []
    for ind in catalogue.indicators_for(feed="survey"):
        if ind.code not in NATIONAL:
            continue
        rng = rng_for(seed, f"survey-{ind.code}")
        rate = ind.unit == "per_1000"
        scale = 1000.0 if rate else 100.0
        trend = rng.normal(0, 0.015, len(REGIONS))  # logit per year
        improving = np.isin(REGION_CODES, IMPROVING_REGIONS)
        trend[improving] += 0.04 if ind.direction == "up" else -0.04
        for year, national in NATIONAL[ind.code].items():
            n = np.maximum(
                np.rint(SURVEY_SAMPLE[ind.code] * share_n * rng.uniform(0.8, 1.2, len(REGIONS))), 30
            )
            p = _profile(ind.code, year, trend, scale)
            se = np.sqrt(DESIGN_EFFECT * p * (1 - p) / n)
            # Year-to-year noise of about half the sampling error: visible, without reshuffling the ranking.
            observed = np.clip(p + rng.normal(0, 0.5, len(REGIONS)) * se, 0.2 / scale, 0.995)
            values = _shift_to(observed * scale, national, w, rate)
            p = values / scale
            se = np.sqrt(DESIGN_EFFECT * p * (1 - p) / n) * scale
            national_se = float(np.sqrt(np.sum((w * se) ** 2)))
            frames.append(
                pd.DataFrame(
                    {
                        "indicator": ind.code,
                        "year": year,
                        "region": ["PE", *REGION_CODES],
                        "value": np.r_[national, values],
                        "se": np.r_[national_se, se],
                        "n": np.r_[n.sum(), n].astype(int),
                    }
                )
            )
    est = pd.concat(frames, ignore_index=True)
    est["value"] = est.value.round(1)
    est["cv"] = (100 * est.se / est.value.where(est.value > 0)).round(1)
    est["ci_low"] = (est.value - 1.96 * est.se).clip(lower=0).round(1)
    est["ci_high"] = (est.value + 1.96 * est.se).round(1)
    est.loc[est.indicator != "SMN_MNEO", "ci_high"] = est.ci_high.clip(upper=100)
    est["referential"] = est.cv > REFERENTIAL_CV
    # One estimate INEI did not publish (too few cases): a "-" in its table.
    est["missing"] = (est.indicator == "PAN_LME") & (est.year == 2021) & (est.region == "17")
    return est


def _label(region: str) -> str:
    return "Total" if region == "PE" else REGION[region].endes


def _printed(row) -> str:
    if row.missing:
        return "-"
    return f"({row.value:.1f})" if row.referential else f"{row.value:.1f}"


def write_tidy(est: pd.DataFrame, path: Path) -> Path:
    order = {code: k for k, code in enumerate(["PE", *REGION_CODES])}
    est = est.assign(_o=est.region.map(order)).sort_values(["indicator", "year", "_o"])
    rows = []
    for r in est.itertuples(index=False):
        if r.missing:
            rows.append((r.year, _label(r.region), r.indicator, "-", "", "", "", ""))
        else:
            rows.append(
                (
                    r.year,
                    _label(r.region),
                    r.indicator,
                    _printed(r),
                    f"{r.ci_low:.1f}",
                    f"{r.ci_high:.1f}",
                    f"{r.cv:.1f}",
                    r.n,
                )
            )
    write_rows(path, ["anio", "region", "indicador", "valor", "ic_inf", "ic_sup", "cv", "n"], rows)
    return path


def _groups(est: pd.DataFrame, code: str, year: int) -> list[tuple[str, float | None]]:
    """Area and natural-region rows of a wide table, derived from the regional values (weighted means)."""
    sub = est[(est.indicator == code) & (est.year == year)].set_index("region")
    national = float(sub.value["PE"])
    k = _RURAL_RATIO.get(code, 1.0)
    urban = national / (1 - RURAL_SHARE + RURAL_SHARE * k)
    w = dict(zip(REGION_CODES, child_weights(), strict=True))

    def zone_mean(zone: str) -> float:
        codes = [r.code for r in REGIONS if r.zone == zone or (zone == "costa" and r.code == "07")]
        ws = np.array([w[c] for c in codes])
        return float(ws @ sub.value[codes].to_numpy() / ws.sum())

    return [
        ("Área de residencia", None),
        ("Urbana", urban),
        ("Rural", min(urban * k, 99.0)),
        ("", None),
        ("Región natural", None),
        ("Lima Metropolitana 1/", float(sub.value["LM"])),
        ("Resto Costa", zone_mean("costa")),
        ("Sierra", zone_mean("sierra")),
        ("Selva", zone_mean("selva")),
        ("", None),
    ]


def write_workbook(est: pd.DataFrame, tables: list[tuple[str, str, str]], path: Path) -> Path:
    """INEI "A" tables, one per sheet: title, unit line, years as columns, area, natural-region and department
    sections, footnotes."""
    import xlsxwriter  # a fixed creation date and xlsxwriter's fixed zip timestamps keep the bytes stable

    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    title = "Perú: Indicadores de Resultados de los Programas Presupuestales (ENDES)"
    wb.set_properties({"title": title, "author": "INEI", "company": "INEI", "created": PUBLISHED})
    formats = {
        "bold": wb.add_format({"bold": True}),
        "number": wb.add_format({"num_format": "0.0", "align": "right"}),
        "text": wb.add_format({"align": "right"}),
    }
    for cuadro, code, title in tables:
        _write_cuadro(wb.add_worksheet(cuadro), formats, est, cuadro, code, title)
    wb.close()
    return path


def _write_cuadro(ws, fmt: dict, est: pd.DataFrame, cuadro: str, code: str, title: str) -> None:
    years = sorted(est[est.indicator == code].year.unique())[-5:]
    sub = est[est.indicator == code].set_index(["region", "year"])
    bold, number, text = fmt["bold"], fmt["number"], fmt["text"]
    ws.set_column(0, 0, 34)
    ws.write(0, 0, f"Cuadro N° {cuadro} PERÚ: {title}, SEGÚN ÁMBITO GEOGRÁFICO, {years[0]}-{years[-1]}", bold)
    ws.write(1, 0, "(Porcentaje)")
    ws.write(2, 0, "Ámbito geográfico", bold)
    for j, y in enumerate(years, 1):
        ws.write_number(2, j, int(y), bold)

    def cells(row: int, region: str) -> None:
        for j, y in enumerate(years, 1):
            if (region, y) not in sub.index:
                ws.write_string(row, j, "-", text)
                continue
            r = sub.loc[(region, y)]
            if r.missing:
                ws.write_string(row, j, "-", text)
            elif r.referential:
                ws.write_string(row, j, f"({r.value:.1f})", text)
            else:
                ws.write_number(row, j, float(r.value), number)

    row = 3
    ws.write(row, 0, "Total", bold)
    cells(row, "PE")
    row += 2
    groups = [_groups(est, code, y) for y in years]
    for k, (label, _) in enumerate(groups[0]):
        if label:
            ws.write(row, 0, label, bold if groups[0][k][1] is None else None)
            for j, g in enumerate(groups, 1):
                value = g[k][1]
                if value is not None:
                    ws.write_number(row, j, round(value, 1), number)
        row += 1
    ws.write(row, 0, "Departamento", bold)
    row += 1
    for r in REGIONS:
        label = {"LM": "Lima Metropolitana 1/", "LR": "Departamento de Lima 2/"}.get(r.code, r.endes)
        ws.write(row, 0, label)
        cells(row, r.code)
        row += 1
    row += 1
    for note in (
        "1/ Comprende los 43 distritos de la provincia de Lima.",
        "2/ Comprende las provincias de Barranca, Cajatambo, Canta, Cañete, Huaral, Huarochirí, Huaura, Oyón "
        "y Yauyos.",
        "Nota: Las cifras entre paréntesis son referenciales (coeficiente de variación mayor al 15%).",
        "Fuente: Instituto Nacional de Estadística e Informática - Encuesta Demográfica y de Salud Familiar.",
    ):
        ws.write(row, 0, note)
        row += 1


def write_survey(seed: int, catalogue: Catalogue, folder: Path) -> list[Path]:
    """INEI's tables first (the stunting cuadro alone, as it is most often downloaded, and the other cuadros
    as sheets of one workbook), then the tidy CSV with every indicator and year: it replaces the tables'
    (indicator, year) pairs with the same estimates plus their CI, CV and n."""
    est = survey_estimates(seed, catalogue)
    tables = [t for t in WIDE_TABLES if t[1] in set(est.indicator)]
    paths = []
    if tables:
        first, rest = tables[:1], tables[1:]
        paths.append(write_workbook(est, first, folder / f"endes_cuadro_{first[0][0]}.xlsx"))
        if rest:
            span = f"{WIDE_YEARS[0]}_{WIDE_YEARS[-1]}"
            paths.append(write_workbook(est, rest, folder / f"endes_indicadores_resultados_{span}.xlsx"))
    years = sorted(est.year.unique())
    paths.append(write_tidy(est, folder / f"endes_indicadores_{years[0]}_{years[-1]}.csv"))
    return paths
