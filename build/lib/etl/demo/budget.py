"""MEF "Presupuesto y ejecución de gasto" open-data CSV, one file per year (``gasto_YYYY.csv``, 62 columns).

PAN (0001) and SMN (0002) lines by executing unit, product, classifier and funding source, each with the month's
movement of PIA, PIM, certificate, commitments, accrual (devengado) and payment; plus rows of other programs
the loader must skip. Regional governments' units execute in their department; Lima's split between the
health ministry's units in Lima Metropolitana (province 1501) and the regional government of Lima's units in
other provinces; the ministry's central office spends with metas in every department. The PAN's PIM follows
calibration.PIM (≈ S/ 3 billion a year); execution is slow early, peaks in December, ends near 91 %, and one
region (calibration.WEAK_BUDGET_REGION) lags far behind.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .calibration import EXECUTION_PACE, PIM, PIM_PACE, REGION, REGION_CODES, REGIONS, WEAK_BUDGET_REGION
from .files import copy_csv, rng_for
from .mef import (
    AMOUNTS,
    CLASSIFIERS,
    COLUMNS,
    FUNCTION_CARE,
    FUNCTION_MANAGEMENT,
    FUNDING,
    LIMA_REGION_UNITS,
    MINSA_UNITS,
    OTHER_PRODUCTS,
    OTHER_PROGRAMS,
    PRODUCTS,
    PROGRAM_NAMES,
    REGIONAL_PLIEGOS,
    UNIT_KINDS,
)
from .territory import DEPARTMENT_NAMES
from .world import World

UNIT_COLUMNS = COLUMNS[2:17]  # NIVEL_GOBIERNO … DISTRITO_EJECUTORA_NOMBRE
PRODUCT_COLUMNS = COLUMNS[18:32]  # PROGRAMA_PPTO … GRUPO_FUNCIONAL_NOMBRE
META_COLUMNS = (
    "SEC_FUNC",
    "META",
    "FINALIDAD",
    "META_NOMBRE",
    "DEPARTAMENTO_META",
    "DEPARTAMENTO_META_NOMBRE",
)
FUNDING_COLUMNS = COLUMNS[37:43]
CLASSIFIER_COLUMNS = COLUMNS[43:56]
# Cost per child differs: the highlands and the Amazon cost more to reach (assumed factors).
_COST = {"sierra": 1.5, "selva": 1.6, "costa": 1.0, "lima": 0.75}


# --- executing units ---------------------------------------------------------------------------------------


def executing_units(world: World) -> pd.DataFrame:
    """Health executing units: regional governments', the ministry's in Lima, and a few municipalities."""
    rng = rng_for(world.seed, "executing-units")
    d = world.districts
    n_extra = 1 + min(4, world.scale.budget_lines // 2500)  # units besides each region's health directorate
    rows = []
    sec_ejec = iter(rng.choice(np.arange(700, 1800), size=600, replace=False))
    for region in REGIONS:
        if region.code == "LM":
            for k, name in enumerate(MINSA_UNITS):
                rows.append(
                    _unit(
                        "E",
                        "11",
                        "SALUD",
                        "011",
                        "M. DE SALUD",
                        next(sec_ejec),
                        1 + k * 142,
                        name,
                        _district(d, "1501", rng),
                        region.code,
                        "minsa" if k == 0 else "regional",
                    )
                )
            continue
        pliego, pliego_name, short = REGIONAL_PLIEGOS[region.code]
        provinces = sorted(d[d.region == region.code].province.unique())
        if region.code == "LR":
            units = [(prov, f"REGION LIMA - {name}") for prov, name in LIMA_REGION_UNITS[: 1 + n_extra]]
        else:
            units = [(provinces[0], f"REGION {short} - SALUD")]
            for k in range(n_extra):
                prov = provinces[int(rng.integers(len(provinces)))]
                kind = UNIT_KINDS[1 + k % (len(UNIT_KINDS) - 1)]
                pname = d[d.province == prov].province_name.iloc[0]
                units.append((prov, f"REGION {short} - {kind} {pname}"))
        seen = set()
        for k, (prov, name) in enumerate(units):
            if name in seen:
                continue
            seen.add(name)
            rows.append(
                _unit(
                    "R",
                    "99",
                    "GOBIERNOS REGIONALES",
                    pliego,
                    pliego_name,
                    next(sec_ejec),
                    400 + k,
                    name,
                    _district(d, prov, rng),
                    region.code,
                    "regional",
                )
            )
        # Municipalities run part of the healthy-families product.
        for prov in rng.choice(provinces, size=min(len(provinces), 1 + n_extra // 2), replace=False):
            dist = d[d.province == prov].iloc[0]
            name = f"MUNICIPALIDAD PROVINCIAL DE {dist.province_name}"
            rows.append(
                _unit(
                    "M",
                    "01",
                    "GOBIERNOS LOCALES",
                    dist.ubigeo,
                    name,
                    300000 + len(rows),
                    1,
                    name,
                    dist,
                    region.code,
                    "local",
                )
            )
    units = pd.DataFrame(rows)
    units["unit"] = np.arange(len(units))
    return units


def _district(d: pd.DataFrame, province: str, rng: np.random.Generator) -> pd.Series:
    rows = d[d.province == province]
    return rows.iloc[0] if rng.random() < 0.7 else rows.iloc[int(rng.integers(len(rows)))]


def _unit(
    level, sector, sector_name, pliego, pliego_name, sec_ejec, ejecutora, name, dist, region, kind
) -> dict:
    levels = {"E": "GOBIERNO NACIONAL", "R": "GOBIERNOS REGIONALES", "M": "GOBIERNOS LOCALES"}
    return {
        "NIVEL_GOBIERNO": level, "NIVEL_GOBIERNO_NOMBRE": levels[level], "SECTOR": sector,
        "SECTOR_NOMBRE": sector_name, "PLIEGO": pliego, "PLIEGO_NOMBRE": pliego_name, "SEC_EJEC": str(sec_ejec),
        "EJECUTORA": f"{ejecutora:03d}", "EJECUTORA_NOMBRE": name,
        "DEPARTAMENTO_EJECUTORA": dist.department, "DEPARTAMENTO_EJECUTORA_NOMBRE": DEPARTMENT_NAMES[dist.department],
        "PROVINCIA_EJECUTORA": dist.province[2:], "PROVINCIA_EJECUTORA_NOMBRE": dist.province_name,
        "DISTRITO_EJECUTORA": dist.ubigeo[4:], "DISTRITO_EJECUTORA_NOMBRE": dist["name"],
        "region": region, "kind": kind, "department": dist.department,
    }  # fmt: skip


# --- PAN and SMN lines ---------------------------------------------------------------------------------------


def _products() -> pd.DataFrame:
    rows = []
    for program, code, name, activity, activity_name, share in PRODUCTS:
        function = FUNCTION_MANAGEMENT if code == "3000001" else FUNCTION_CARE
        rows.append(
            (
                program,
                PROGRAM_NAMES[program],
                "3",
                "ACTIVIDAD",
                code,
                name,
                activity,
                activity_name,
                *function,
                share,
            )
        )
    return pd.DataFrame(rows, columns=[*PRODUCT_COLUMNS, "share"])


def budget_lines(world: World, units: pd.DataFrame) -> pd.DataFrame:
    """One row per budget line (unit × product × classifier × funding × meta department) with its annual
    weight; every region has a line of every product, so every budget indicator exists everywhere."""
    rng = rng_for(world.seed, "budget-lines")
    products = _products()
    region_units = units[units.kind == "regional"]
    main = region_units.groupby("region").unit.first()
    lines = []
    for r in REGION_CODES:  # the health directorate carries every product, on its main classifier
        for p in range(len(products)):
            lines.append((main[r], p, 0 if p % 2 else 1, 0, _dept(r), r))
    cls_w = np.array([c[-1] for c in CLASSIFIERS])
    fund_w = np.array([f[-1] for f in FUNDING])
    prod_w = products.share.to_numpy() / products.share.sum()
    n_more = max(world.scale.budget_lines - len(lines), 0)
    u = rng.choice(region_units.unit.to_numpy(), size=n_more)
    regions = units.region.to_numpy()[u]
    lines += list(zip(u.tolist(), rng.choice(len(products), size=n_more, p=prod_w).tolist(),
                      rng.choice(len(CLASSIFIERS), size=n_more, p=cls_w).tolist(),
                      rng.choice(len(FUNDING), size=n_more, p=fund_w).tolist(),
                      [_dept(r) for r in regions], regions.tolist(), strict=True))  # fmt: skip
    central = units[units.kind == "minsa"].unit.iloc[0]
    bulk = products.index[products.PRODUCTO_PROYECTO.isin(["3033254", "3033256", "3033295"])]
    # The ministry buys vaccines, iron and delivery kits centrally, with metas in each department. (Not for Lima
    # Región: its metas are department 15 and the loader would give them to Lima Metropolitana by the unit.)
    for r in REGION_CODES:
        if r != "LR":
            for p in bulk:
                lines.append((central, int(p), 2, 0, _dept(r), r))
    families = int(products.index[products.PRODUCTO_PROYECTO == "3033251"][0])
    for u in units[units.kind == "local"].itertuples():
        lines.append((u.unit, families, 1, int(rng.choice(len(FUNDING), p=fund_w)), u.department, u.region))
    df = pd.DataFrame(
        lines, columns=["unit", "product", "classifier", "funding", "meta_department", "region"]
    )
    df = df.drop_duplicates(["unit", "product", "classifier", "funding", "meta_department"]).reset_index(
        drop=True
    )
    df["program"] = products.PROGRAMA_PPTO.to_numpy()[df["product"]]
    df["weight"] = cls_w[df.classifier] * rng.lognormal(0, 0.5, len(df))
    return df


def _dept(region: str) -> str:
    """Department of the metas of a region: Lima Metropolitana and Lima Región are both department 15."""
    return "15" if region in ("LM", "LR") else region


def region_shares(program: str) -> dict[str, float]:
    """Share of a program's PIM spent in each region: children, weighted by the cost of reaching them."""
    w = {r.code: r.children * _COST[r.zone] for r in REGIONS}
    if program == "0002":  # maternal care weighs more where deliveries are far from facilities
        w = {k: v * (1.1 if REGION[k].zone in ("sierra", "selva") else 1.0) for k, v in w.items()}
    total = sum(w.values())
    return {k: v / total for k, v in w.items()}


def annual_pim(lines: pd.DataFrame, year: int) -> np.ndarray:
    """Each line's PIM for the year: the program's total by region and product, split by line weight."""
    products = _products()
    share = products.share / products.groupby("PROGRAMA_PPTO").share.transform("sum")
    region = {p: region_shares(p) for p in ("0001", "0002")}
    total = np.array([PIM[p][year] * region[p][r] for p, r in zip(lines.program, lines.region, strict=True)])
    group_weight = lines.groupby(["program", "region", "product"]).weight.transform("sum").to_numpy()
    return total * share.to_numpy()[lines["product"]] * lines.weight.to_numpy() / group_weight


def monthly_amounts(world: World, lines: pd.DataFrame, year: int, last_month: int) -> dict[str, np.ndarray]:
    """Cumulative-then-differenced monthly movements per line (cents), months 1..``last_month``."""
    rng = rng_for(world.seed, f"budget-{year}")
    n = len(lines)
    pim = annual_pim(lines, year)
    region_factor = {r: float(np.clip(rng.normal(1.0, 0.07), 0.85, 1.1)) for r in REGION_CODES}
    region_factor[WEAK_BUDGET_REGION] = 0.7
    factor = lines.region.map(region_factor).to_numpy() * rng.lognormal(0, 0.06, n)
    pia = (
        pim * np.clip(rng.normal(0.86, 0.06, n), 0.6, 1.0) * (rng.random(n) > 0.08)
    )  # 8 %: created in the year
    pace = (np.array(PIM_PACE) - PIM_PACE[0]) / (1 - PIM_PACE[0])
    cum_pim = pia[:, None] + (pim - pia)[:, None] * pace[None, :]
    execution = np.clip(np.array(EXECUTION_PACE)[None, :] * factor[:, None], 0, 0.995)
    cum_dev = np.maximum.accumulate(execution * cum_pim, axis=1)
    months = np.arange(1, 13)[None, :]

    def bounded(raw, ceiling):
        return np.minimum(np.maximum.accumulate(raw, axis=1), ceiling)

    cert = bounded(cum_dev + (cum_pim - cum_dev) * (0.35 + 0.55 * months / 12), cum_pim)
    comp_annual = bounded(cum_dev + (cert - cum_dev) * 0.8, cert)
    comp = bounded(cum_dev + (comp_annual - cum_dev) * 0.25, comp_annual)
    paid = cum_dev * (0.95 + 0.04 * months / 12)
    cumulative = {"MONTO_PIM": cum_pim, "MONTO_CERTIFICADO": cert, "MONTO_COMPROMETIDO_ANUAL": comp_annual,
                  "MONTO_COMPROMETIDO": comp, "MONTO_DEVENGADO": cum_dev, "MONTO_GIRADO": paid}  # fmt: skip
    flows = {}
    for name, cum in cumulative.items():
        cents = np.rint(cum[:, :last_month] * 100).astype(np.int64)
        flows[name] = np.diff(cents, axis=1, prepend=0)
    flows["MONTO_PIA"] = np.zeros_like(flows["MONTO_PIM"])
    flows["MONTO_PIA"][:, 0] = np.rint(pia * 100).astype(np.int64)
    return flows


# --- other programs ------------------------------------------------------------------------------------------


def other_rows(world: World, units: pd.DataFrame, year: int, last_month: int, n: int) -> pd.DataFrame:
    """Rows of programs outside the catalogue, drawn in bulk (vectorised: millions of rows for the benchmark)."""
    rng = rng_for(world.seed, f"budget-other-{year}")
    prog_w = np.array([p[-1] for p in OTHER_PROGRAMS])
    program = rng.choice(len(OTHER_PROGRAMS), size=n, p=prog_w / prog_w.sum())
    code = np.array([p[0] for p in OTHER_PROGRAMS])[program]
    # Education and transport programs run their own products and projects; the rest, common actions.
    product = np.where(code == "0090", rng.choice([0, 2], size=n, p=[0.3, 0.7]),
                       np.where(code == "0138", rng.choice([0, 3], size=n, p=[0.3, 0.7]),
                                np.where(code == "9002", rng.choice([1, 4], size=n, p=[0.6, 0.4]),
                                         np.where(code == "9001", 1, 0))))  # fmt: skip
    cents = np.rint(rng.lognormal(9.5, 1.6, (n, 1)) * 100).astype(np.int64)
    month = rng.integers(1, last_month + 1, size=n)
    unit = rng.integers(0, len(units), size=n)
    return pd.DataFrame({
        "unit": unit, "program": program, "other_product": product, "month": month,
        "classifier": rng.choice(len(CLASSIFIERS), size=n), "funding": rng.choice(len(FUNDING), size=n),
        "sec_func": rng.integers(1, 400, size=n), "pim_cents": cents[:, 0],
        "dev_share": np.clip(rng.beta(4, 3, size=n) * month / last_month, 0, 1),
    })  # fmt: skip


# --- the file ------------------------------------------------------------------------------------------------


def _take(values: list | np.ndarray, idx: np.ndarray) -> pa.Array:
    return pc.take(pa.array(values, pa.string()), pa.array(idx))


def _amount(cents: np.ndarray) -> pa.Array:
    """Soles with at most two decimals, written as MEF does: 1234.5, 0, 98000."""
    return pc.cast(pa.array(cents / 100.0), pa.string())


def _product_dimension() -> tuple[pd.DataFrame, int]:
    """PAN and SMN products, then every (other program, other product) pair: (table, first other row)."""
    own = _products()[list(PRODUCT_COLUMNS)]
    rows = []
    for p in OTHER_PROGRAMS:
        for q in OTHER_PRODUCTS:
            rows.append(
                (
                    p[0],
                    p[1],
                    q[4],
                    "ACTIVIDAD" if q[4] == "3" else "PROYECTO",
                    q[0],
                    q[1],
                    q[2],
                    q[3],
                    *p[2:8],
                )
            )
    return pd.concat([own, pd.DataFrame(rows, columns=list(PRODUCT_COLUMNS))], ignore_index=True), len(own)


def build_year(world: World, year: int, last_month: int, n_other: int, total_rows: int = 0) -> pa.Table:
    """Every row of one year's file, in the 62 columns, sorted by month and executing unit; other programs fill
    the file up to ``total_rows`` when it is given (the benchmark's national file)."""
    units = executing_units(world)
    lines = budget_lines(world, units)
    flows = monthly_amounts(world, lines, year, last_month)
    products, first_other = _product_dimension()
    # PAN and SMN rows: a line's month is written when anything moved.
    moved = np.zeros_like(flows["MONTO_PIM"], dtype=bool)
    for v in flows.values():
        moved |= v != 0
    li, mi = np.nonzero(moved)
    product = lines["product"].to_numpy()
    pan = {
        "month": mi + 1, "unit": lines.unit.to_numpy()[li], "product": product[li],
        "classifier": lines.classifier.to_numpy()[li], "funding": lines.funding.to_numpy()[li],
        "sec_func": product[li] + 1, "finalidad": 51000 + (product * 37 + lines.unit.to_numpy())[li] % 4000,
        "dept": lines.meta_department.astype(int).to_numpy()[li], **{k: flows[k][li, mi] for k in AMOUNTS},
    }  # fmt: skip
    other = other_rows(world, units, year, last_month, max(n_other, total_rows - len(li)))
    cents = other.pim_cents.to_numpy()
    dev = np.rint(cents * other.dev_share.to_numpy()).astype(np.int64)
    oth = {
        "month": other.month.to_numpy(), "unit": other.unit.to_numpy(),
        "product": first_other + other.program.to_numpy() * len(OTHER_PRODUCTS) + other.other_product.to_numpy(),
        "classifier": other.classifier.to_numpy(), "funding": other.funding.to_numpy(),
        "sec_func": other.sec_func.to_numpy(), "finalidad": 60000 + other.sec_func.to_numpy() * 7,
        "dept": units.department.astype(int).to_numpy()[other.unit.to_numpy()],
        "MONTO_PIA": np.where(other.month.to_numpy() == 1, cents, 0), "MONTO_PIM": cents,
        "MONTO_CERTIFICADO": np.rint(cents * 0.9).astype(np.int64),
        "MONTO_COMPROMETIDO_ANUAL": np.rint(cents * 0.85).astype(np.int64),
        "MONTO_COMPROMETIDO": dev, "MONTO_DEVENGADO": dev, "MONTO_GIRADO": np.rint(dev * 0.97).astype(np.int64),
    }  # fmt: skip
    rows = {k: np.concatenate([pan[k], oth[k]]) for k in pan}
    order = np.lexsort((np.arange(len(rows["month"])), rows["unit"], rows["month"]))
    rows = {k: v[order] for k, v in rows.items()}
    n = len(order)
    out: dict[str, pa.Array] = {
        "ANO_EJE": pa.array(np.full(n, str(year))),
        "MES_EJE": pc.cast(pa.array(rows["month"]), pa.string()),
        "SEC_FUNC": pc.cast(pa.array(rows["sec_func"]), pa.string()),
        "META": pc.utf8_lpad(pc.cast(pa.array(rows["sec_func"]), pa.string()), 4, "0"),
        "FINALIDAD": pc.utf8_lpad(pc.cast(pa.array(rows["finalidad"]), pa.string()), 7, "0"),
        "DEPARTAMENTO_META": pc.utf8_lpad(pc.cast(pa.array(rows["dept"]), pa.string()), 2, "0"),
        "DEPARTAMENTO_META_NOMBRE": _take(
            [DEPARTMENT_NAMES[f"{k:02d}"] for k in range(26) if k], rows["dept"] - 1
        ),
        "TIPO_TRANSACCION": pa.array(np.full(n, "2")),
    }
    for col in UNIT_COLUMNS:
        out[col] = _take(units[col].tolist(), rows["unit"])
    for col in PRODUCT_COLUMNS:
        out[col] = _take(products[col].tolist(), rows["product"])
    out["META_NOMBRE"] = out["ACTIVIDAD_ACCION_OBRA_NOMBRE"]
    for j, col in enumerate(FUNDING_COLUMNS):
        out[col] = _take([f[j] for f in FUNDING], rows["funding"])
    for j, col in enumerate(c for c in CLASSIFIER_COLUMNS if c != "TIPO_TRANSACCION"):
        out[col] = _take([c[j] for c in CLASSIFIERS], rows["classifier"])
    for col in AMOUNTS:
        out[col] = _amount(rows[col])
    return pa.table({c: out[c] for c in COLUMNS})


def write_year(world: World, year: int, folder: Path) -> Path:
    """``gasto_YYYY.csv``: the fiscal year up to its last month of data (the benchmark's year fuller)."""
    scale = world.scale
    total = scale.big_budget_rows if year == scale.big_budget_year else 0
    path = folder / f"gasto_{year}.csv"
    copy_csv(build_year(world, year, scale.last_budget_month[year], scale.other_rows, total), path)
    return path


def write_budget(world: World, folder: Path) -> list[Path]:
    """One file per fiscal year of the scale."""
    return [write_year(world, year, folder) for year in world.scale.budget_years]
