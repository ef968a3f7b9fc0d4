"""The map of the 26 regions, coloured by traffic light.

By default a tile grid drawn by the app itself: each region one equal tile placed roughly where it lies
(warehouse/territory/regions.csv: tile_row, tile_col), so Callao, Tumbes and Lima Metropolitana are as visible
as Loreto. When the user supplies a boundaries GeoJSON, the regions are drawn from it as filled polygons on
plain axes (no base map, so nothing is fetched from the internet). Both are one trace per figure family and
update by ``Patch`` when only colours and values change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from dash import Patch

from warehouse.rules import STATUSES, status

from ..rows import tuples

# Heatmap colour scale mapping status rank → colour, piecewise constant.
_RANKED = sorted(STATUSES.values(), key=lambda s: s.rank)
_N = len(_RANKED)
COLORSCALE = [[min(1.0, (k + d) / _N), s.colour] for k, s in enumerate(_RANKED) for d in (0, 1)]


@dataclass(frozen=True)
class MapCell:
    region_code: str
    name: str
    abbrev: str
    row: int
    col: int
    status: str
    value_text: str
    detail: str = ""  # e.g. the region's own target, which explains why equal values differ in colour


def cells(regions: pd.DataFrame, values: list[dict]) -> list[MapCell]:
    """Join the regions' tile positions with one value and status per region (missing → sin datos)."""
    by_code = {r["territory_code"]: r for r in values}
    out = []
    for r in tuples(regions):
        row = by_code.get(r.region_code)
        out.append(
            MapCell(
                r.region_code,
                r.name,
                r.abbrev,
                int(r.tile_row),
                int(r.tile_col),
                row["status"] if row is not None else "sin_datos",
                row["value_text"] if row is not None else "–",
                row.get("detail", "") if row is not None else "",
            )
        )
    return out


def _grid(cs: list[MapCell], lang: str):
    rows = max(c.row for c in cs) + 1
    cols = max(c.col for c in cs) + 1
    z: list[list[float | None]] = [[None] * cols for _ in range(rows)]
    text = [[""] * cols for _ in range(rows)]
    hover = [[""] * cols for _ in range(rows)]
    custom = [[""] * cols for _ in range(rows)]
    for c in cs:
        s = status(c.status)
        z[c.row][c.col] = (s.rank + 0.5) / _N
        shown = s.glyph if c.value_text == "–" else f"{s.glyph} {c.value_text}"
        # The value smaller than the abbreviation: "(12.0 ‰)" must fit a tile on a phone.
        # Each status's own text colour (4.5:1 on its fill), not Plotly's automatic white on the darker fills.
        text[c.row][c.col] = (
            f"<span style='color:{s.text_colour}'><b>{c.abbrev}</b><br>"
            f"<span style='font-size:10px'>{shown}</span></span>"
        )
        hover[c.row][c.col] = _hover(c, s.label.get(lang))
        custom[c.row][c.col] = c.region_code
    return z, text, hover, custom


def _hover(c: MapCell, label: str) -> str:
    return f"{c.name}: {c.value_text} — {label}" + (f" · {c.detail}" if c.detail else "")


def tile_map(cs: list[MapCell], lang: str = "es", title: str = "") -> go.Figure:
    z, text, hover, custom = _grid(cs, lang)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            text=text,
            hovertext=hover,
            customdata=custom,
            texttemplate="%{text}",
            textfont=dict(size=12),
            hoverinfo="text",
            colorscale=COLORSCALE,
            zmin=0,
            zmax=1,
            showscale=False,
            xgap=4,
            ygap=4,
            hoverongaps=False,
        )
    )
    fig.update_layout(
        title=title,
        height=460,
        margin=dict(l=4, r=4, t=36 if title else 4, b=4),
        xaxis=dict(visible=False, fixedrange=True),
        yaxis=dict(visible=False, autorange="reversed", fixedrange=True, scaleanchor="x"),
        dragmode=False,
    )
    return fig


def tile_map_patch(cs: list[MapCell], lang: str = "es", title: str = "") -> Patch:
    """Only the colours, labels and title: what changes between periods or indicators."""
    z, text, hover, _ = _grid(cs, lang)
    p = Patch()
    p["data"][0]["z"] = z
    p["data"][0]["text"] = text
    p["data"][0]["hovertext"] = hover
    p["layout"]["title"]["text"] = title
    return p


# --- choropleth from a user-supplied GeoJSON ---------------------------------------------------------------


@dataclass(frozen=True)
class Shapes:
    """Polygons of each region as x/y lists (None-separated rings), simplified for the wire."""

    rings: dict[str, tuple[list[float | None], list[float | None]]]
    unit: str  # 'province' or 'department': what the features were


CODE_PROPERTIES = ("IDPROV", "FIRST_IDPR", "CCPP_FULL", "IDDPTO", "FIRST_IDDP", "CCDD", "ubigeo", "UBIGEO")


def _code_of(props: dict) -> str | None:
    for key in CODE_PROPERTIES:
        v = props.get(key)
        if v not in (None, ""):
            return str(v).strip()
    return None


def load_shapes(path: Path, regions: pd.DataFrame, decimals: int = 3) -> Shapes:
    """Group a department- or province-level GeoJSON into the 26 regions. A province file splits Lima exactly
    (1501 = Lima Metropolitana); a department file cannot, so Lima's polygon is drawn as Lima Región and Lima
    Metropolitana as a marker inside it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{path.name}: no es un GeoJSON legible ({e})") from e
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise ValueError(f"{path.name}: no es un GeoJSON FeatureCollection (falta la lista 'features')")
    by_province = {
        r.province_code: r.region_code for r in regions.itertuples() if isinstance(r.province_code, str)
    }
    by_department = {
        r.department_code: r.region_code for r in regions.itertuples() if not isinstance(r.province_code, str)
    }
    rings: dict[str, tuple[list, list]] = {}
    unit = "department"
    skipped = {"sin polígono": 0, "sin código": 0, "código desconocido": 0}
    unknown: list[str] = []
    for feature in data["features"]:
        feature = feature if isinstance(feature, dict) else {}
        geom, code = feature.get("geometry"), _code_of(feature.get("properties") or {})
        if not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
            skipped["sin polígono"] += 1  # real files have features with no geometry; points cannot be filled
            continue
        if not code:
            skipped["sin código"] += 1
            continue
        if len(code) >= 4:
            unit = "province"
            region = by_province.get(code[:4]) or by_department.get(code[:2])
        else:
            region = by_department.get(code.zfill(2))
        if region is None:
            skipped["código desconocido"] += 1
            unknown.append(code)
            continue
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        xs, ys = rings.setdefault(region, ([], []))
        for poly in polys:
            for ring in poly[:1]:  # outer ring only: holes are invisible at this scale
                for x, y in ring[:: max(1, len(ring) // 400)]:
                    xs.append(round(x, decimals))
                    ys.append(round(y, decimals))
                xs.append(None)
                ys.append(None)
    if not rings:
        raise ValueError(_no_regions(path, data["features"], skipped, unknown))
    return Shapes(rings, unit)


def _no_regions(path: Path, features: list, skipped: dict[str, int], unknown: list[str]) -> str:
    """Why no feature of a GeoJSON gave a region: the map would be empty, so serving stops and says this."""
    first: dict = next((p for f in features if isinstance(f, dict) and (p := f.get("properties"))), {})
    counts = ", ".join(f"{n} {why}" for why, n in skipped.items() if n)
    found = f" (p. ej. {', '.join(unknown[:3])})" if unknown else ""
    return (
        f"{path.name}: ningún elemento del GeoJSON se puede asignar a una región ({len(features)} elementos: "
        f"{counts or 'ninguno'}){found}. Se necesitan polígonos de departamentos o provincias con su código "
        f"INEI en una de las propiedades {', '.join(CODE_PROPERTIES)}; el primer elemento trae "
        f"{', '.join(map(str, first)) or 'ninguna propiedad'}. Sin --geojson se muestra el mapa de mosaicos / "
        "No feature has a usable region code"
    )


def choropleth(shapes: Shapes, cs: list[MapCell], lang: str = "es", title: str = "") -> go.Figure:
    fig = go.Figure()
    for c in cs:
        s = status(c.status)
        hover = _hover(c, s.label.get(lang))
        if c.region_code in shapes.rings:
            xs, ys = shapes.rings[c.region_code]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    fill="toself",
                    fillcolor=s.colour,
                    mode="lines",
                    line=dict(color="white", width=0.8),
                    hoverinfo="text",
                    hoveron="fills",
                    hovertext=hover,
                    customdata=[c.region_code] * len(xs),
                    name=c.name,
                    showlegend=False,
                )
            )
        else:  # e.g. Lima Metropolitana with a department-level file: a marker where it lies
            fig.add_trace(
                go.Scatter(
                    x=[-77.03],
                    y=[-12.05],
                    mode="markers+text",
                    text=[c.abbrev],
                    textposition="middle left",
                    marker=dict(size=16, color=s.colour, symbol="square", line=dict(color="white", width=1)),
                    hovertext=hover,
                    hoverinfo="text",
                    customdata=[c.region_code],
                    name=c.name,
                    showlegend=False,
                )
            )
    fig.update_layout(
        title=title,
        height=560,
        margin=dict(l=4, r=4, t=36 if title else 4, b=4),
        xaxis=dict(visible=False, fixedrange=True),
        yaxis=dict(visible=False, scaleanchor="x", fixedrange=True),
        dragmode=False,
    )
    return fig


def choropleth_patch(cs: list[MapCell], lang: str = "es", title: str = "") -> Patch:
    p = Patch()
    for k, c in enumerate(cs):
        s = status(c.status)
        hover = _hover(c, s.label.get(lang))
        p["data"][k]["fillcolor"] = s.colour
        p["data"][k]["marker"]["color"] = s.colour
        p["data"][k]["hovertext"] = hover
    p["layout"]["title"]["text"] = title
    return p


def clicked_region(click_data: dict | None) -> str | None:
    """Region code of a click on either map."""
    if click_data is None:
        return None
    try:
        point = click_data["points"][0]
    except (TypeError, KeyError, IndexError):
        return None
    code = point.get("customdata")
    return code if isinstance(code, str) and code else None
