"""Synthetic districts on the real provinces, written as the official ubigeo table.

Province codes and names are the real ones (warehouse/territory/provinces.csv). Districts are invented but
look like Peru's: the capital district ``PPPP01`` takes its province's name, the others get plausible Andean,
Amazonian or saint names; altitudes follow each department's real range (Puno, Huancavelica, Pasco high;
Loreto, Ucayali low).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from warehouse.sync import TERRITORY

from .calibration import REGIONS
from .files import rng_for, write_rows
from .scale import Scale

REAL_DISTRICTS = sum(r.districts for r in REGIONS)

# RENIEC numbers departments alphabetically without Callao, which is 24 (the territory loader keeps it).
RENIEC_DEPARTMENT = {
    "01": "01",
    "02": "02",
    "03": "03",
    "04": "04",
    "05": "05",
    "06": "06",
    "07": "24",
    "08": "07",
    "09": "08",
    "10": "09",
    "11": "10",
    "12": "11",
    "13": "12",
    "14": "13",
    "15": "14",
    "16": "15",
    "17": "16",
    "18": "17",
    "19": "18",
    "20": "19",
    "21": "20",
    "22": "21",
    "23": "22",
    "24": "23",
    "25": "25",
}
DEPARTMENT_NAMES: dict[str, str] = {}  # filled from the shipped departments.csv on first use

_SAINTS = (
    "SAN JUAN",
    "SAN PEDRO",
    "SAN PABLO",
    "SAN MIGUEL",
    "SANTA ROSA",
    "SANTA ANA",
    "SAN JOSE",
    "SANTIAGO",
    "SAN FRANCISCO",
    "SAN LUIS",
    "SAN ANTONIO",
    "SANTA CRUZ",
    "SAN JERONIMO",
    "SANTA MARIA",
    "SAN SEBASTIAN",
    "SAN MARCOS",
    "SAN ISIDRO",
    "SANTA LUCIA",
    "SAN BARTOLOME",
    "SANTO TOMAS",
    "SAN CRISTOBAL",
    "SAN AGUSTIN",
    "SAN LORENZO",
    "SAN RAFAEL",
    "SANTA BARBARA",
    "SANTA TERESA",
    "SAN SALVADOR",
    "SAN NICOLAS",
)
_ANDEAN_HEAD = (
    "HUAN",
    "PAUCAR",
    "CHUQUI",
    "YANA",
    "ANTA",
    "COLCA",
    "PACCHA",
    "CHACA",
    "OCO",
    "QUILLA",
    "SACSA",
    "HUAY",
    "ACO",
    "PUCA",
    "YURAC",
    "CHUPA",
    "URU",
    "TICLLA",
    "SORA",
    "ANDA",
    "PILLPI",
    "CONDOR",
    "HUAYLLA",
    "LLACTA",
    "CUSI",
    "TOCRA",
    "HUARI",
    "LIRCA",
    "CHAUPI",
    "QUEHUA",
    "MUYU",
    "SONCCO",
    "TAPA",
    "CHIL",
    "SAÑA",
    "CUYO",
    "ÑAUPA",
    "CCOCHA",
    "PUTI",
    "ALLPA",
    "QUISPI",
    "MACHU",
    "HATUN",
    "RUMI",
    "AYA",
    "CHECA",
    "TOMA",
)
_ANDEAN_TAIL = (
    "BAMBA",
    "MARCA",
    "PAMPA",
    "CANCHA",
    "COCHA",
    "TAMBO",
    "HUASI",
    "CHACA",
    "PATA",
    "PUQUIO",
    "RUMI",
    "CUCHO",
    "HUAYCO",
    "CORRAL",
    "CCASA",
    "ORCCO",
    "YACU",
    "LLACTA",
    "CUNCA",
    "MAYO",
    "BAYA",
    "COTO",
    "HUANCA",
    "SIRCA",
)
_AMAZON_HEAD = ("NUEVO", "PUERTO", "ALTO", "BAJO", "VILLA", "SANTA ROSA DE", "NUEVA", "SAN JOSE DE", "LAGUNA")
_AMAZON_TAIL = (
    "ESPERANZA",
    "PROGRESO",
    "UNION",
    "SHAPAJA",
    "YURIMAQUI",
    "CAPIRONA",
    "AGUAYTIA",
    "TAPICHE",
    "ITAYA",
    "NANAY",
    "PACHITEA",
    "HUALLAGA",
    "MARAÑON",
    "ACHUAL",
    "SHIRINGA",
    "TAHUAYO",
    "YAVARI",
    "PUTUMAYO",
    "TIGRE",
    "PASTAZA",
    "MAZAN",
    "CURARAY",
    "SAMIRIA",
    "ARAZA",
    "CUMBAZA",
    "SISA",
    "YURAC",
    "INAMBARI",
    "TAMBOPATA",
    "LOS AMIGOS",
)
_COAST = (
    "LA UNION",
    "EL PORVENIR",
    "LA ESPERANZA",
    "VILLA RICA",
    "PUEBLO NUEVO",
    "LOS OLIVOS",
    "EL CARMEN",
    "LA VICTORIA",
    "BELLAVISTA",
    "LAS LOMAS",
    "EL ALTO",
    "LA HUACA",
    "LOS ORGANOS",
    "CERRO AZUL",
    "PAMPA GRANDE",
    "TRES DE OCTUBRE",
    "NUEVO CHIMBOTE",
    "LA PUNTA",
    "MI PERU",
    "VENTANILLA",
)


def provinces() -> pd.DataFrame:
    """The shipped provinces with the region each belongs to (Lima Metropolitana = 1501)."""
    with open(TERRITORY / "provinces.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not DEPARTMENT_NAMES:
        with open(TERRITORY / "departments.csv", encoding="utf-8") as f:
            DEPARTMENT_NAMES.update({r["department_code"]: r["name"] for r in csv.DictReader(f)})
    df = pd.DataFrame(rows)
    df["region"] = np.where(
        df.province_code == "1501", "LM", np.where(df.department_code == "15", "LR", df.department_code)
    )
    return df


def _name_pool(rng: np.random.Generator, zone: str, n: int) -> list[str]:
    """``n`` distinct plausible district names for a province of the given zone."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        r = rng.random()
        if r < 0.18:
            name = str(rng.choice(_SAINTS))
            if rng.random() < 0.5:
                name += " DE " + str(rng.choice(_ANDEAN_HEAD)) + str(rng.choice(_ANDEAN_TAIL))
        elif zone == "selva" and r < 0.75:
            name = f"{rng.choice(_AMAZON_HEAD)} {rng.choice(_AMAZON_TAIL)}"
        elif zone in ("costa", "lima") and r < 0.45:
            name = str(rng.choice(_COAST))
        else:
            head, tail = str(rng.choice(_ANDEAN_HEAD)), str(rng.choice(_ANDEAN_TAIL))
            name = head + (tail[1:] if head[-1] == tail[0] else tail)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def build_districts(seed: int, scale: Scale) -> pd.DataFrame:
    """One row per district: ubigeo, province, department, region, name, altitude, latitude, longitude."""
    rng = rng_for(seed, "districts")
    prov = provinces()
    factor = scale.districts / REAL_DISTRICTS
    rows = []
    for region in REGIONS:
        ps = prov[prov.region == region.code].reset_index(drop=True)
        total = max(len(ps), round(region.districts * factor))
        weights = rng.gamma(2.0, 1.0, len(ps))
        weights[0] *= 2.5  # the department's capital province holds more districts
        counts = 1 + rng.multinomial(total - len(ps), weights / weights.sum())
        lo, mean, hi = region.altitude
        mu = (mean - lo) / max(hi - lo, 1)
        spread = 0.05 if region.zone == "lima" else 0.6
        for k, p in ps.iterrows():
            n = int(counts[k])
            names = [p["name"], *[x for x in _name_pool(rng, region.zone, n + 8) if x != p["name"]][: n - 1]]
            p_alt = lo + (hi - lo) * rng.beta(max(mu * 6, 0.3), max((1 - mu) * 6, 0.3))
            p_lat = region.lat + rng.normal(0, spread)
            p_lon = region.lon + rng.normal(0, spread)
            for d in range(n):
                alt = float(np.clip(p_alt + (0 if d == 0 else rng.normal(0, 250)), lo, hi))
                rows.append(
                    (
                        f"{p['province_code']}{d + 1:02d}",
                        p["province_code"],
                        p["department_code"],
                        region.code,
                        names[d],
                        round(alt),
                        round(p_lat + rng.normal(0, spread / 5), 6),
                        round(p_lon + rng.normal(0, spread / 5), 6),
                        d == 0,
                        p["name"],
                    )
                )
    return pd.DataFrame(
        rows,
        columns=[
            "ubigeo",
            "province",
            "department",
            "region",
            "name",
            "altitude",
            "latitude",
            "longitude",
            "capital",
            "province_name",
        ],
    )


def write_ubigeo(districts: pd.DataFrame, path: Path) -> Path:
    """The official ubigeo table's layout: ``inei,reniec,departamento,provincia,distrito,altitude,...``."""
    rows = []
    for d in districts.itertuples(index=False):
        reniec = RENIEC_DEPARTMENT[d.department] + d.ubigeo[2:]
        rows.append(
            (
                d.ubigeo,
                reniec,
                DEPARTMENT_NAMES[d.department],
                d.province_name,
                d.name,
                d.altitude,
                f"{d.latitude:.6f}",
                f"{d.longitude:.6f}",
            )
        )
    write_rows(
        path,
        ["inei", "reniec", "departamento", "provincia", "distrito", "altitude", "latitude", "longitude"],
        rows,
    )
    return path
