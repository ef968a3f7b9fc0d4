"""The demo's health network, written as ``MAESTRO_HIS_ESTABLECIMIENTO.csv`` in its real layout (16 columns, the
``Ubigueo`` spelling, 9-character ``Codigo_Unico``, some MicroRed names padded with blanks as the master pads them).

Each region's first-level facilities, in ubigeo order (so neighbours share a MicroRed), are cut into MicroRedes of
3 to 12 facilities, and consecutive MicroRedes into 2 to 6 Reds of about equal size: the cuts fall wherever the
counts say, not at province borders, so Reds (and some MicroRedes) span provinces as real ones do. Hospitals
belong to no Red (``00``). Lima Metropolitana is split among four DIRIS. DISA codes follow HIS's where the domain
notes give them (Huancavelica 13, Lima's DIRIS 36, 35, 23, 21 and Lima provincias 22); the others are this demo's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .files import rng_for, write_rows
from .territory import DEPARTMENT_NAMES

HEADER = (
    "Id_Establecimiento",
    "Nombre_Establecimiento",
    "Ubigueo_Establecimiento",
    "Codigo_Disa",
    "Disa",
    "Codigo_Red",
    "Red",
    "Codigo_MicroRed",
    "MicroRed",
    "Codigo_Unico",
    "Codigo_Sector",
    "Descripcion_Sector",
    "Departamento",
    "Provincia",
    "Distrito",
    "Categoria_Establecimiento",
)
FILE_NAME = "MAESTRO_HIS_ESTABLECIMIENTO.csv"
LIMA_DIRIS = (  # code and name of Lima Metropolitana's four DIRIS, as HIS numbers them
    (36, "DIRIS LIMA CENTRO"),
    (35, "DIRIS LIMA NORTE"),
    (23, "DIRIS LIMA SUR"),
    (21, "DIRIS LIMA ESTE"),
)
# DISA codes the domain notes give; the other departments get free codes of their own (demo values).
KNOWN_DISA = {"09": 13, "LR": 22}
NO_UNIT = "00"
HOSPITAL = "II-1"
MICRORED_SIZES = (3, 12)
REDS = (2, 6)


def _disa_codes(regions: list[str]) -> dict[str, int]:
    taken = set(KNOWN_DISA.values()) | {code for code, _ in LIMA_DIRIS}
    free = (c for c in range(1, 100) if c not in taken)
    return {r: KNOWN_DISA.get(r) or next(free) for r in sorted(regions) if r != "LM"}


def _microred_sizes(n: int, rng: np.random.Generator) -> list[int]:
    """Sizes of 3–12 that add up to ``n``, about 7 on average; at least two MicroRedes when ``n`` allows it (6 or
    more), so that the DISA can have two Reds. Fewer than 3 facilities make one small MicroRed."""
    low, high = MICRORED_SIZES
    if n < 2 * low:
        return [n] if n else []
    fewest, most = max(2, -(-n // high)), n // low
    k = int(np.clip(round(n / 7.5), fewest, most))
    sizes = np.full(k, low)
    for _ in range(n - low * k):  # the rest, one by one, to MicroRedes not yet full
        open_ = np.flatnonzero(sizes < high)
        sizes[rng.choice(open_)] += 1
    return [int(x) for x in sizes]


def _cut(values: list[int], parts: int) -> list[int]:
    """Which part (0…parts-1) each of ``values`` goes to: consecutive runs of about equal sums."""
    total, done, out = sum(values), 0, []
    for v in values:
        out.append(min(parts - 1, int(parts * (done + v / 2) / total)))
        done += v
    return out


def _no_red(fac: pd.DataFrame, disa_code: int, disa: str) -> pd.DataFrame:
    """Every facility of the DISA outside any Red and MicroRed (code 00), as hospitals are."""
    return fac.assign(
        disa_code=disa_code,
        disa=disa,
        red_code=NO_UNIT,
        red="NO PERTENECE A NINGUNA RED",
        microred_code=NO_UNIT,
        microred="NO PERTENECE A NINGUNA MICRORED",
    )


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} {seen[name]}")
    return out


def build_network(facilities: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One row per facility: its DISA, Red and MicroRed codes and names."""
    rng = rng_for(seed, "network")
    disa_of = _disa_codes(list(facilities.region.unique()))
    parts = []
    for region, fac in facilities.sort_values(["region", "ubigeo", "cod_ipress"]).groupby(
        "region", sort=True
    ):
        if region == "LM":  # four DIRIS, each a DISA of its own, over consecutive districts
            diris = np.minimum(np.arange(len(fac)) * len(LIMA_DIRIS) // len(fac), len(LIMA_DIRIS) - 1)
            groups = [(LIMA_DIRIS[k], fac[diris == k]) for k in range(len(LIMA_DIRIS))]
        else:
            name = "LIMA (PROVINCIAS)" if region == "LR" else DEPARTMENT_NAMES[fac.department.iloc[0]]
            groups = [((disa_of[region], name), fac)]
        for (disa_code, disa), members in groups:
            # Lima Metropolitana: one Red per DIRIS, so that the region too has 2–6 Reds.
            parts.append(_one_disa(members, disa_code, disa, rng, (1, 1) if region == "LM" else REDS))
    return pd.concat(parts, ignore_index=True)


def _one_disa(
    fac: pd.DataFrame, disa_code: int, disa: str, rng: np.random.Generator, reds: tuple[int, int] = REDS
) -> pd.DataFrame:
    fac = fac.reset_index(drop=True)
    first_level = fac[fac.category != HOSPITAL]
    sizes = _microred_sizes(len(first_level), rng)
    if not sizes:
        return _no_red(fac, disa_code, disa)
    n_reds = int(np.clip(len(sizes) // 2, *reds)) if len(sizes) >= reds[0] else len(sizes)
    red_of_microred = _cut(sizes, n_reds)
    microred = np.repeat(np.arange(len(sizes)), sizes)
    red = np.asarray(red_of_microred)[microred]
    # Codes within the Red: MicroRed 01, 02 … restart in every Red (so a code repeats across Reds, as in HIS).
    first_in_red = {r: red_of_microred.index(r) for r in set(red_of_microred)}
    mr_code = microred - np.array([first_in_red[r] for r in red]) + 1
    districts = first_level.district_name.to_numpy()
    provinces = first_level.province_name.to_numpy()
    microred_names = _unique([districts[np.argmax(microred == m)] for m in range(len(sizes))])
    red_names = _unique([pd.Series(provinces[red == r]).mode().iloc[0] for r in range(n_reds)])
    out = _no_red(fac, disa_code, disa)
    idx = first_level.index
    out.loc[idx, "red_code"] = [f"{r + 1:02d}" for r in red]
    out.loc[idx, "red"] = [red_names[r] for r in red]
    out.loc[idx, "microred_code"] = [f"{c:02d}" for c in mr_code]
    # The master pads some MicroRed names with blanks (HIS.md §5): so does the demo, for a few.
    pad = {m for m in range(len(sizes)) if rng.random() < 0.15}
    out.loc[idx, "microred"] = [microred_names[m] + (" " * 20 if m in pad else "") for m in microred]
    return out


def his_ids(cod_ipress: pd.Series) -> np.ndarray:
    """Each facility's HIS internal ``Id_Establecimiento``: its rank by RENIPRESS code, from 1 — never equal to the
    code itself, as in the real master (HIS.md §0). The demo's HIS exports use the same ids."""
    return cod_ipress.rank(method="first").to_numpy(np.int64)


def write_network(facilities: pd.DataFrame, seed: int, folder: Path) -> Path:
    net = build_network(facilities, seed)
    net = net.assign(his_id=his_ids(net.cod_ipress))
    rows = [
        (
            f.his_id,
            f.name,
            f.ubigeo,
            f.disa_code,
            f.disa,
            f.red_code,
            f.red,
            f.microred_code,
            f.microred,
            "0" + f.cod_ipress,  # 9 characters in the master, 8 in RENIPRESS
            1 if f.region == "LM" else 7,
            "MINSA" if f.region == "LM" else "GOBIERNO REGIONAL",
            DEPARTMENT_NAMES[f.department],
            f.province_name,
            f.district_name,
            f.category,
        )
        for f in net.sort_values("cod_ipress").itertuples(index=False)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    write_rows(path, HEADER, rows)
    return path
