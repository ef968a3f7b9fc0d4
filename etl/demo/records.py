"""Synthetic nominal records (one row per attention to a child) in the layout ``semaforo compute`` reads.

Each child is born somewhere in the three years before the period's end, belongs to one facility, and follows
its schedule with habits of its own: CRED checks, vaccine doses, iron deliveries, haemoglobin tests, and other
consultations that no definition counts. Haemoglobin is drawn as an altitude-free value (anemia around a third
of tested children, more in some regions) plus the CDC altitude effect, as a real measurement would carry it.
Identifiers are pseudonyms (``N`` + hex), never document numbers. Vectorised: tens of millions of rows a minute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from statistics import NormalDist

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from .attentions import CODE_INDEX, CODES, CONSULTATIONS, HB_CODE, SCHEDULE, Attentions
from .calibration import ANEMIA_REGIONAL
from .files import rng_for

_HB_MEAN, _HB_SD = 11.45, 1.15  # altitude-free haemoglobin of a tested child, g/dL


def cdc_adjustment(altitude: np.ndarray) -> np.ndarray:
    ft = altitude * 0.0032808
    return -0.032 * ft + 0.022 * ft**2


def generate_records(
    facilities: pd.DataFrame,
    children: int,
    start: dt.date,
    end: dt.date,
    seed: int,
    weights: np.ndarray | None = None,
    first_child: int = 0,
    anemia: Mapping[str, float] | None = None,
) -> pa.Table:
    """Attentions between ``start`` and ``end`` (inclusive) in the project's records layout; see
    :func:`draw_attentions`."""
    return records_table(
        draw_attentions(facilities, children, start, end, seed, weights, first_child, anemia), facilities
    )


def records_table(a: Attentions, facilities: pd.DataFrame) -> pa.Table:
    """The attentions in the project's records layout, altitude on the haemoglobin tests only."""
    is_hb = a.codes == HB_CODE
    altitude = facilities.altitude.to_numpy(float)
    return pa.table(
        {
            "fecha_atencion": pa.array(a.day, pa.date32()),
            "cod_ipress": facilities.cod_ipress.to_numpy()[a.facility],
            "ubigeo": facilities.ubigeo.to_numpy()[a.facility],
            "id_nino": a.ids(),
            "fecha_nacimiento": pa.array(a.born[a.child], pa.date32()),
            "sexo": a.sex[a.child],
            "codigo": a.codes,
            "valor": pa.array(a.hb, pa.float64(), from_pandas=True),
            "altitud": pa.array(
                np.where(is_hb, np.rint(altitude[a.facility]), np.nan), pa.float64(), from_pandas=True
            ),
        }
    )


def draw_attentions(
    facilities: pd.DataFrame,
    children: int,
    start: dt.date,
    end: dt.date,
    seed: int,
    weights: np.ndarray | None = None,
    first_child: int = 0,
    anemia: Mapping[str, float] | None = None,
    consultations: bool = True,
) -> Attentions:
    """Attentions between ``start`` and ``end`` (inclusive) of ``children`` children spread over
    ``facilities`` (columns cod_ipress, ubigeo, altitude, region), in proportion to ``weights`` if given.
    ``first_child`` numbers the children of one chunk of a larger population (the benchmark's). ``anemia``, %
    by region, sets each region's altitude-free haemoglobin so that about that share is below 11 g/dL once the
    CDC adjustment is taken off (else regions differ at random). ``consultations=False`` leaves out the other
    consultations that no definition counts (half the rows)."""
    rng = rng_for(seed, f"records-{start}-{end}-{children}-{first_child}")
    n_f = len(facilities)
    first, last = np.datetime64(start, "D"), np.datetime64(end, "D")
    born = last - rng.integers(0, 3 * 365 + 200, children).astype("timedelta64[D]")
    home = (
        rng.integers(0, n_f, children)
        if weights is None
        else rng.choice(n_f, children, p=weights / weights.sum())
    )
    habit = rng.beta(5, 1.6, children)  # how faithfully a family keeps the schedule
    region_codes = facilities.region.to_numpy()
    regions = np.unique(region_codes)
    region_hb = dict(zip(regions, rng.normal(0.0, 0.3, len(regions)), strict=True))
    if anemia:  # mean of N(μ, σ) with P(< 11) = p: μ = 11 − σ·Φ⁻¹(p); the draw below centres on _HB_MEAN
        region_hb = {r: 11.0 - _HB_SD * NormalDist().inv_cdf(anemia[r] / 100) - _HB_MEAN for r in regions}
    hb_shift = np.array([region_hb[r] for r in region_codes])
    altitude = facilities.altitude.to_numpy(float)

    per_item = []
    for k, (code, due, spread, p) in enumerate(SCHEDULE):
        if not consultations and code in CONSULTATIONS:
            continue
        takes = rng.random(children) < np.clip(p * (0.4 + 0.75 * habit), 0, 1)
        age = due + np.rint(rng.normal(0, spread, children)).astype(np.int64)
        day = born + np.maximum(age, 0).astype("timedelta64[D]")
        keep = np.flatnonzero(takes & (day >= first) & (day <= last))
        per_item.append((np.full(len(keep), k, np.int16), keep, day[keep]))
    item = np.concatenate([p[0] for p in per_item])
    child = np.concatenate([p[1] for p in per_item])
    day = np.concatenate([p[2] for p in per_item])
    # One attention in twenty happens at another facility of the region (a visit elsewhere).
    fac = home[child].copy()
    away = rng.random(len(child)) < 0.05
    fac[away] = rng.integers(0, n_f, int(away.sum()))
    # A code given twice the same day (two schedule items that met) is one attention.
    once = np.unique(np.stack([child, day.astype(np.int64), CODE_INDEX[item]]), axis=1, return_index=True)[1]
    item, child, day, fac = item[once], child[once], day[once], fac[once]
    order = np.lexsort((item, day))
    item, child, day, fac = item[order], child[order], day[order], fac[order]
    is_hb = CODES[item] == HB_CODE
    hb = np.full(len(item), np.nan)
    m = int(is_hb.sum())
    hb[is_hb] = np.round(  # within what a haemoglobin meter reads (the definitions quarantine the rest)
        rng.normal(_HB_MEAN, _HB_SD, m) - 0.35 * (1 - habit[child[is_hb]]) + hb_shift[fac[is_hb]]
        + cdc_adjustment(altitude[fac[is_hb]]),
        1,
    ).clip(4.0, 19.5)  # fmt: skip
    sex = np.where(rng.random(children) < 0.51, "M", "F")
    return Attentions(item, child, day, fac, hb, born, sex, home, first_child, seed)


def write_records(table: pa.Table, path: Path, fmt: str = "parquet", part: int = 0) -> Path:
    """CSV (one file) or Parquet partitioned by the attention's year (``anio=YYYY/``; ``part`` names the
    files of one chunk, so that chunks add up in one folder)."""
    con = duckdb.connect()
    try:
        con.register("t", table)
        if fmt == "csv":
            con.execute(f"copy (select * from t) to '{path}' (header true)")
        else:
            # One file per year, written in the table's order: the same seed gives the same bytes.
            years = [
                y for (y,) in con.execute("select distinct year(fecha_atencion) from t order by 1").fetchall()
            ]
            for y in years:
                (path / f"anio={y}").mkdir(parents=True, exist_ok=True)
                con.execute(
                    f"copy (select * from t where year(fecha_atencion) = {y}) to "
                    f"'{path}/anio={y}/part{part}.parquet' (format parquet)"
                )
    finally:
        con.close()
    return path


# The demo computes from records what only records give: anemia by each altitude adjustment and threshold, and the
# newborn package. (Its other product coverages come from the monthly aggregate files, as most regions report them.)
DEMO_INDICATORS = ("PAN_ANEMIA_HIS_CDC", "PAN_ANEMIA_HIS_OMS", "PAN_ANEMIA_HIS_NTS", "PAN_P_RECIEN_NACIDO")
DEMO_CHILDREN = 30_000
DEMO_KEY = "clave-de-la-demostracion-no-secreta"  # the pseudonymisation key of the demo's synthetic exports
HIS_FOLDER, KEY_FILE = "his_minsa", "clave_demo.txt"


def write_demo_records(world, folder: Path, months: int = 24) -> Path:
    """Nominal records of a sample of the demo's children over its last ``months`` months, written as the HIS
    exports a regional office downloads (``his_minsa/``) and computed from them — through the same path as any
    office's exports, under a demo key kept beside them — into the aggregate Parquet folder that the admin
    loader reads."""
    from ..records.compute import compute
    from ..records.definitions import load_definitions
    from .his_export import write_his_export

    y, m = (int(x) for x in world.scale.last_month.split("-"))
    end = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    k = y * 12 + m - months
    start = dt.date(k // 12, k % 12 + 1, 1)
    altitude = world.districts.set_index("ubigeo").altitude
    facilities = world.facilities.assign(altitude=altitude.loc[world.facilities.ubigeo].to_numpy())
    weights = world.facility_children(end.year, "<3")
    # The historical ENDES series (the CDC-style adjustment) of the latest anchor year, per region.
    anemia = {r: levels[-1] for r, levels in ANEMIA_REGIONAL.items()}
    # Only the codes the demo's definitions name (fewer than half of the schedule's rows: no consultations, vaccines
    # after the newborn's, iron or later CRED): the figures are those of the whole schedule — none of its other
    # codes is due in a newborn's first month, where the newborn package places each child — and the download
    # is a fraction to write and read.
    named = {
        c for d in load_definitions(world.catalogue).select(list(DEMO_INDICATORS)) for c in d.codes_named
    }
    attentions = draw_attentions(
        facilities, DEMO_CHILDREN, start, end, world.seed, weights, anemia=anemia, consultations=False
    ).only(named)
    his = write_his_export(attentions, facilities, world.districts, world.seed, folder / HIS_FOLDER)
    key = folder / KEY_FILE
    key.write_text(DEMO_KEY + "\n", encoding="utf-8")
    out = folder / "indicadores_registros"
    report = compute(his, out, indicators=list(DEMO_INDICATORS), catalogue=world.catalogue, key_file=key)
    if report.status != "computed":
        raise RuntimeError("; ".join(report.lines()))
    return out
