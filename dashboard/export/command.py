"""``semaforo export``: a view with its filters, written to a file exactly as the dashboard's download of it
(the same rows, context and refusals). The command-line root registers :data:`export` (``group.add_command``)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
import duckdb

from warehouse.command import EXIT_ERROR
from warehouse.db import WarehouseError

from ..access import Refusal, product_refusal, view_refusal
from ..data import Warehouse
from ..format import PERU
from ..state import LEVELS, Filters
from ..views import VIEWS
from .render import FORMATS, render
from .snapshot import snapshot

INDICATORS = "indicadores"  # the older name of the indicator views: the country's (resumen) or a region's


def view_list() -> str:
    """One line per view: its key, what it is, and what its path argument names."""
    needs = {"region": "--region", "indicator": "--indicador"}
    lines = []
    for v in VIEWS.values():
        arg = needs.get(v.arg, "")
        arg = f" [{arg}{' obligatorio' if v.arg_required else ''}]" if arg else ""
        lines.append(f"{v.key:28} {v.title.get('es')}{arg}")
    return "\n".join(lines)


def _fail(refusal: Refusal) -> None:
    raise click.BadParameter(refusal.reason, param_hint=refusal.option)


@click.command("export")
@click.option(
    "--db",
    envvar="SEMAFORO_DB",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archivo DuckDB del almacén (o variable SEMAFORO_DB).",
)
@click.option(
    "--program", "--programa", "program", default="0001", show_default=True, help="Programa presupuestal."
)
@click.option("--region", help="Código de región (p. ej. 09 o LM); por defecto el país.")
@click.option(
    "--period", "--periodo", "period", help="Mes 'AAAA-MM' o año 'AAAA'; por defecto el último con datos."
)
@click.option(
    "--view",
    "--vista",
    "view",
    default=INDICATORS,
    show_default=True,
    is_flag=False,
    flag_value="",
    help="La vista (una tabla del tablero); sin valor, la lista de vistas. 'indicadores': los indicadores del "
    "país (resumen) o de la región (region, con --region).",
)
@click.option(
    "--producto",
    "product",
    help="Producto del marco lógico (p. ej. PAN_P_CRED) para las tablas del presupuesto.",
)
@click.option("--desde", "since", help="Año base de la comparación entre años (presupuesto-cambio).")
@click.option(
    "--nivel",
    "level",
    type=click.Choice(LEVELS),
    help="Nivel de la cadena de la vista resumen (p. ej. product), como el filtro del tablero.",
)
@click.option(
    "--arbol",
    "tree",
    type=click.Choice(["territorio", "red"]),
    default="territorio",
    show_default=True,
    help="Árbol del detalle (region-detalle, calidad-completitud): territorio o red de salud.",
)
@click.option("--provincia", "province", help="Provincia del detalle (árbol territorio).")
@click.option("--distrito", "district", help="Distrito del detalle (árbol territorio).")
@click.option("--red", "red", help="Red del detalle (árbol red; código DISA_RED, p. ej. 13_01).")
@click.option("--microred", "microred", help="MicroRed del detalle (árbol red; código DISA_RED_MICRORED).")
@click.option(
    "--indicador",
    "indicator",
    help="Indicador: el de la vista indicador, o el que desagrega el detalle de la región (region-detalle).",
)
@click.option("--lang", type=click.Choice(["es", "en"]), default="es", show_default=True)
@click.option("--format", "fmt_", type=click.Choice(FORMATS))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--url",
    "base_url",
    envvar="SEMAFORO_URL",
    default="",
    help="Dirección del tablero (p. ej. https://semaforo.example.gob.pe) para que el enlace de la vista sea completo.",
)
def export(
    db: Path | None,
    program: str,
    region: str | None,
    period: str | None,
    view: str,
    product: str | None,
    since: str | None,
    level: str | None,
    tree: str,
    province: str | None,
    district: str | None,
    red: str | None,
    microred: str | None,
    indicator: str | None,
    lang: str,
    fmt_: str | None,
    output: Path | None,
    base_url: str,
) -> None:
    """Exportar una vista con sus filtros, igual que la descarga del tablero (Excel con hojas de contexto)."""
    if not view:
        click.echo(view_list())
        return
    if view == INDICATORS:
        view = "region" if region else "resumen"
    chosen = VIEWS.get(view)
    if chosen is None:
        raise click.BadParameter(
            f"vista desconocida: {view}; las vistas:\n{view_list()}", param_hint="--view"
        )
    if db is None or fmt_ is None or output is None:
        raise click.UsageError("indique --db (o SEMAFORO_DB), --format y -o (el archivo que se escribe)")
    try:
        wh = Warehouse(db)
        wh.snapshot  # noqa: B018 — fail here on an unusable warehouse
    except (WarehouseError, duckdb.Error, OSError) as e:
        click.echo(f"No se puede abrir el almacén {db}: {e}", err=True)
        sys.exit(EXIT_ERROR)
    region = region.upper() if region else None
    f = Filters(
        program=program,
        period=period,
        product=product,
        since=since,
        level=level,
        tree=tree,
        province=province,
        district=district,
        red=red,
        microred=microred,
        indicator=indicator,
        lang=lang,
    )
    arg = indicator if chosen.arg == "indicator" else region
    if refusal := view_refusal(wh, chosen, f, arg) or product_refusal(wh, f):
        _fail(refusal)
    s = snapshot(chosen, wh, f, arg)
    output.write_bytes(render(wh, f, s, fmt_, dt.datetime.now(PERU), base_url.rstrip("/")))
    click.echo(f"{output}: {len(s.data)} filas ({s.title})")
