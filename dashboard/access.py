"""Who may see what: refusals of pages and views (their grids, downloads, the JSON API and ``semaforo export``).

A view declares its scope (dashboard.views.model.Scope): region-level figures are public; figures below the region
level need a signed-in user and are filtered to that user's regions; the administrator's details need an
administrator of the national server. The warehouse's reads are refused by the same rules, as a second wall
(``dashboard.data.read_arguments``, which applies the reads' declarations in warehouse.access to who asks): a
read that returns rows below the region level is refused to the public, and — closed by default — refused to a
user limited to some regions when the read cannot filter by region (it takes no ``allowed``); an undeclared
read is refused to everyone (warehouse.access)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .data import FULL_ACCESS, Access, Forbidden, Warehouse
from .state import Filters

__all__ = ["FULL_ACCESS", "Access", "Forbidden", "Refusal"]  # the request's access is data's (it reads by it)

if TYPE_CHECKING:
    from .views.model import View


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request is refused, in words a person reads; the HTTP status and the command's option it concerns."""

    reason: str
    status: int = 404
    option: str = "--view"


def region_ok(wh: Warehouse, code: str | None) -> bool:
    """Whether ``code`` is a region the current user may see."""
    return (
        bool(code)
        and code in set(wh.snapshot.regions.region_code)
        and (wh.allowed is None or code in wh.allowed)
    )


def page_allowed(wh: Warehouse, public: bool) -> bool:
    """A page not shown to the public (the quality page) needs a signed-in user."""
    return public or wh.below_region


def may_see(wh: Warehouse, view: View) -> bool:
    """Whether the current user may see this view at all (its scope); a page leaves out what they may not."""
    if view.scope == "below_region":
        return wh.below_region
    if view.scope == "admin":
        return wh.admin
    return True


def filters_refusal(wh: Warehouse, f: Filters) -> Refusal | None:
    """A download of a program or period with no data is an error, not an empty file."""
    if f.program not in wh.snapshot.catalogue.programs:
        return Refusal(f"programa desconocido: {f.program}", option="--program")
    if not wh.has_period(f.program, f.period):
        return Refusal(f"sin datos del programa {f.program} para el periodo {f.period}", option="--period")
    return None


def product_refusal(wh: Warehouse, f: Filters) -> Refusal | None:
    """A product typed on the command line must be one of the program's (a link's unknown one is dropped)."""
    element = wh.snapshot.catalogue.elements.get(f.product or "")
    if f.product and (element is None or element.program != f.program or element.level != "product"):
        return Refusal(f"producto desconocido del programa {f.program}: {f.product}", option="--producto")
    return None


def view_refusal(wh: Warehouse, view: View, f: Filters, arg: str | None) -> Refusal | None:
    """Whether the current user may have this view with these filters and this path argument, and why not."""
    if refusal := filters_refusal(wh, f):
        return refusal
    if view.arg == "none" and arg is not None:
        return Refusal(f"la vista {view.key} no se pide por región ni por indicador", option="--region")
    if view.arg_required and arg is None:
        what = "una región" if view.arg == "region" else "un indicador"
        option = "--region" if view.arg == "region" else "--indicador"
        return Refusal(f"la vista {view.key} es de {what}: indique {option}", option=option)
    if view.arg == "region" and arg is not None and not region_ok(wh, arg):
        return Refusal(f"región desconocida: {arg} (o no está entre las que puede ver)", option="--region")
    if view.scope == "below_region" and not may_see(wh, view):
        return Refusal(
            "la vista pública no incluye cifras por debajo de la región: ingrese con su usuario", status=403
        )
    if view.scope == "admin" and not may_see(wh, view):
        return Refusal(
            "esta tabla nombra archivos y valores de todas las regiones: solo para administradores del servidor "
            "nacional"
        )
    if view.unavailable is not None and (reason := view.unavailable(wh, f, arg)):
        return Refusal(reason, option="--period")
    return None
