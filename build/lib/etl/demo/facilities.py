"""Synthetic public health facilities, written as the RENIPRESS registry (``;``, UTF-8 with BOM).

One to a few facilities per district, more in capitals; categories from I-1 (health post) to II-1 (hospital);
8-digit zero-padded codes growing with the ubigeo, as older registries do. Each facility gets the traits the
monthly generators use: a quality effect, how often it skips a monthly report, and its share of the district's
children.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .files import rng_for, write_rows
from .scale import Scale
from .territory import DEPARTMENT_NAMES

CATEGORIES = ("I-1", "I-2", "I-3", "I-4", "II-1")
_CATEGORY_P = (0.36, 0.30, 0.24, 0.08, 0.02)
_CATCHMENT = np.array([0.6, 1.0, 2.0, 3.0, 4.0])  # relative share of the district's children, by category
_CLASS = {
    "I-1": ("PUESTOS DE SALUD O POSTAS DE SALUD", "PUESTO DE SALUD"),
    "I-2": ("PUESTOS DE SALUD O POSTAS DE SALUD", "PUESTO DE SALUD"),
    "I-3": ("CENTROS DE SALUD O CENTROS MEDICOS", "CENTRO DE SALUD"),
    "I-4": ("CENTROS DE SALUD CON CAMAS DE INTERNAMIENTO", "CENTRO DE SALUD"),
    "II-1": ("HOSPITALES O CLINICAS DE ATENCION GENERAL", "HOSPITAL"),
}
_STREETS = (
    "JR. LIMA",
    "AV. GRAU",
    "JR. BOLOGNESI",
    "AV. SAN MARTIN",
    "CALLE REAL",
    "JR. AYACUCHO",
    "AV. MARISCAL CACERES",
    "PLAZA DE ARMAS",
    "CARRETERA CENTRAL KM",
    "JR. JUNIN",
    "AV. LOS INCAS",
)
_PLACES = (
    "CCOLLPA",
    "HUAYLLAPAMPA",
    "SANTA ROSA",
    "LAS PALMERAS",
    "CRUZPATA",
    "VILLA MARIA",
    "BUENOS AIRES",
    "NUEVA ESPERANZA",
    "PAMPACANCHA",
    "CHAQUICOCHA",
    "LOS ANDES",
    "MIRAFLORES",
    "SAN ANTONIO",
    "ÑAHUINPUQUIO",
    "SAÑOCUCHO",
    "PUCARÁ",
    "QUEROBAMBA",
    "EL MILAGRO",
    "TUPAC AMARU",
    "SEÑOR DE LOS MILAGROS",
    "MICAELA BASTIDAS",
    "JOSÉ OLAYA",
    "VILLA EL SALVADOR",
    "CAÑAVERAL",
    "HUARMEY",
    "YURACYACU",
    "CHONTAYACU",
    "ACCOMARCA",
)


def build_facilities(seed: int, scale: Scale, districts: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for(seed, "facilities")
    n_d = len(districts)
    weights = np.where(districts.capital, 3.0, 1.0) * np.where(districts.region == "LM", 3.0, 1.0)
    extra = rng.multinomial(max(scale.facilities - n_d, 0), weights / weights.sum())
    per_district = 1 + extra
    idx = np.repeat(np.arange(n_d), per_district)
    first = np.r_[True, idx[1:] != idx[:-1]]
    n = len(idx)
    cat = rng.choice(len(CATEGORIES), size=n, p=_CATEGORY_P)
    capital = districts.capital.to_numpy()[idx]
    # The first facility of a capital district is its main health centre or hospital.
    cat = np.where(first & capital, np.maximum(cat, rng.choice([3, 4], size=n, p=[0.6, 0.4])), cat)
    codes = np.sort(rng.choice(np.arange(1, 4 * max(n, 9_000)), size=n, replace=False))
    d = districts.iloc[idx].reset_index(drop=True)
    share = _CATCHMENT[cat] * rng.gamma(4.0, 0.25, n)
    share = share / pd.Series(share).groupby(idx).transform("sum").to_numpy()
    irregular = rng.random(n) < 0.08
    names = []
    used: set[str] = set()
    for k in range(n):
        kind = _CLASS[CATEGORIES[cat[k]]][1]
        place = d.name[k] if first[k] else str(rng.choice(_PLACES))
        name = f"{kind} {place}"
        while name in used:
            name = f"{kind} {rng.choice(_PLACES)} {d.name[k]}"
            if name in used:
                name = f"{name} {rng.integers(2, 9)}"
        used.add(name)
        names.append(name)
    return pd.DataFrame(
        {
            "cod_ipress": [f"{c:08d}" for c in codes],
            "name": names,
            "ubigeo": d.ubigeo,
            "region": d.region,
            "department": d.department,
            "province_name": d.province_name,
            "district_name": d.name,
            "category": [CATEGORIES[c] for c in cat],
            "category_index": cat,
            "catchment": share,  # share of the district's children
            "quality": rng.normal(
                0.0, 0.35, n
            ),  # facility effect on coverage (logit) and on stock management
            "skip": np.where(
                irregular, rng.uniform(0.08, 0.25, n), 0.01
            ),  # chance of missing a monthly report
            "latitude": d.latitude + rng.normal(0, 0.02, n),
            "longitude": d.longitude + rng.normal(0, 0.02, n),
        }
    )


def write_renipress(facilities: pd.DataFrame, seed: int, path: Path) -> Path:
    rng = rng_for(seed, path.name)
    rows = []
    for f in facilities.itertuples(index=False):
        clasificacion = _CLASS[f.category][0]
        tipo = (
            "ESTABLECIMIENTO DE SALUD CON INTERNAMIENTO"
            if f.category_index >= 3
            else "ESTABLECIMIENTO DE SALUD SIN INTERNAMIENTO"
        )
        institucion = "MINSA" if f.region == "LM" else "GOBIERNO REGIONAL"
        street = str(rng.choice(_STREETS))
        address = f"{street} {rng.integers(1, 40)}" if "KM" in street else f"{street} S/N"
        rows.append(
            (
                institucion,
                f.cod_ipress,
                f.name,
                clasificacion,
                tipo,
                DEPARTMENT_NAMES[f.department],
                f.province_name,
                f.district_name,
                f.ubigeo,
                address,
                f.category,
                "ACTIVADO",
                f"{f.latitude:.5f}",
                f"{f.longitude:.5f}",
            )
        )
    write_rows(
        path,
        [
            "INSTITUCION",
            "COD_IPRESS",
            "NOMBRE",
            "CLASIFICACION",
            "TIPO_ESTABLECIMIENTO",
            "DEPARTAMENTO",
            "PROVINCIA",
            "DISTRITO",
            "UBIGEO",
            "DIRECCION",
            "CATEGORIA",
            "ESTADO",
            "NORTE",
            "ESTE",
        ],
        rows,
        delimiter=";",
        bom=True,
    )
    return path
