"""The scripted session's pages and filter changes (issue 4), taken from the warehouse at hand."""

from __future__ import annotations

from .session import Page, Step


def script(wh) -> list[Page]:
    """The filter changes of issue 4 on the warehouse at hand: national, one region, one district with facility
    drill-down, a year, a month; codes and periods are taken from the warehouse."""
    snap = wh.snapshot
    months = snap.months["0001"]
    last = max(months)
    month = months[len(months) // 2].strftime("%Y-%m")
    year = str(last.year - 1) if any(m.year == last.year - 1 for m in months) else str(last.year)
    region = "09" if "09" in set(snap.regions.region_code) else snap.regions.region_code.iloc[0]
    province = snap.children_of(region).territory_code.iloc[0]
    districts = snap.children_of(province).territory_code.tolist()
    district = _district_with_facilities(wh, districts)
    stock = next(i.code for i in snap.catalogue.indicators_for(program="0001") if i.feed == "stock")
    product = next(
        i.code for i in snap.catalogue.indicators_for(program="0001") if i.level == "product" and i.key
    )
    drill = f"&provincia={province}&distrito={district}"
    budget_product = next(
        e.code for e in snap.catalogue.elements.values() if e.program == "0001" and e.level == "product"
    )
    budget_years = sorted(snap.budget_cutoffs.get("0001") or {last.year: 12})
    base = str(budget_years[1] if len(budget_years) > 2 else budget_years[0])
    return [
        Page(
            "resumen",
            "/",
            (
                Step("nacional, último mes", ""),
                Step("un año", f"?periodo={year}"),
                Step("un mes", f"?periodo={month}"),
                Step("nivel: productos", f"?periodo={month}&nivel=product"),
                Step("otro indicador en el mapa", f"?periodo={month}&indicador={product}"),
                Step("otro programa", "?programa=0002"),
            ),
        ),
        Page(
            "region",
            f"/region/{region}",
            (
                Step("una región, último mes", ""),
                Step("un año", f"?periodo={year}"),
                Step("un mes", f"?periodo={month}"),
                Step("una provincia", f"?periodo={month}&provincia={province}"),
                Step("un distrito → establecimientos", f"?periodo={month}{drill}", drill=True),
                Step(
                    "un distrito, insumo → establecimientos",
                    f"?periodo={month}&indicador={stock}{drill}",
                    drill=True,
                ),
                Step(
                    "otro mes, mismo distrito", f"?periodo={last:%Y-%m}&indicador={stock}{drill}", drill=True
                ),
            ),
        ),
        Page(
            "indicador",
            "/indicador/PAN_DCI",
            (
                Step("nacional, último mes", ""),
                Step("un año", f"?periodo={year}"),
                Step("un mes", f"?periodo={month}"),
            ),
        ),
        Page(
            "presupuesto",
            f"/presupuesto/{region}",
            (
                Step("una región, último mes", ""),
                Step("un mes", f"?periodo={month}"),
                Step("un año", f"?periodo={year}"),
                Step("un producto", f"?periodo={month}&producto={budget_product}"),
                Step("otro año base", f"?periodo={month}&producto={budget_product}&desde={base}"),
            ),
        ),
        Page(
            "calidad",
            f"/calidad/{region}",
            (
                Step("una región, último mes", ""),
                Step("un mes", f"?periodo={month}"),
                Step("una provincia → distritos", f"?periodo={month}&provincia={province}"),
            ),
        ),
        Page(
            "marco",
            "/marco-logico",
            (
                Step("nacional, último mes", ""),
                Step("un año", f"?periodo={year}"),
                Step("un mes", f"?periodo={month}"),
            ),
        ),
    ]


def _district_with_facilities(wh, districts: list[str]) -> str:
    """The district of the list with the most facilities (the heaviest drill-down of the province)."""
    rows = wh.cursor.execute(
        "select ubigeo, count(*) from core_facility where list_contains(?, ubigeo) group by 1 order by 2 desc, 1",
        [districts],
    ).fetchall()
    return rows[0][0] if rows else districts[0]
