"""The pages, one module each. A page module has ``layout(wh, filters, arg)`` — its full content for a URL,
rendered on the server so the first paint needs no extra round trip — and its own callbacks for filter changes.
``arg`` is the path segment after the page's prefix (a region or indicator code)."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from ..access import page_allowed
from ..components.notice import public_only
from . import calidad, indicador, marco_logico, not_found, presupuesto, region, resumen


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    title_key: str
    module: ModuleType
    in_nav: bool = True
    uses_level: bool = False  # whether the chain-level filter changes what the page shows
    regional: bool = False  # the path may end in a region code, which the filter bar's region chooses
    # Another region chosen on this regional page redraws it in place (one callback, no page load): for pages
    # light enough that Dash swaps them faster than the browser reloads its scripts (the region page).
    region_in_place: bool = False
    national_path: str = "/"  # where choosing the whole country leads from this page
    # Whether the region filter applies (else it is greyed out rather than leave for a region's page).
    region_filter: bool = True
    # Pages of every region at once (an indicator's ranking, the logical framework): the region filter singles one
    # out on the page itself (?region=09), never leaving it for the region's page.
    region_in_query: bool = False
    public: bool = True  # shown in the public view (published region-level figures only)

    def layout(self, wh, f, arg):
        if not page_allowed(wh, self.public):
            return public_only(f.lang)
        return self.module.layout(wh, f, arg)


PAGES = [
    Page("resumen", "/", "page_resumen", resumen, uses_level=True),
    Page("region", "/region", "page_region", region, regional=True, region_in_place=True),
    Page("indicador", "/indicador", "page_indicador", indicador, region_in_query=True),
    Page(
        "presupuesto",
        "/presupuesto",
        "page_presupuesto",
        presupuesto,
        regional=True,
        national_path="/presupuesto",
    ),
    Page(
        "calidad", "/calidad", "page_calidad", calidad, regional=True, national_path="/calidad", public=False
    ),
    Page("marco", "/marco-logico", "page_marco", marco_logico, region_in_query=True),
]
NOT_FOUND = Page("404", "", "not_found", not_found, in_nav=False)


def match(pathname: str | None) -> tuple[Page, str | None]:
    parts = [p for p in (pathname or "/").split("/") if p]
    if not parts:
        return PAGES[0], None
    for page in PAGES[1:]:
        if page.path.strip("/") == parts[0] and len(parts) <= 2:
            return page, parts[1] if len(parts) == 2 else None
    return NOT_FOUND, None


def key_of(pathname: str | None) -> str:
    page, arg = match(pathname)
    return f"{page.key}:{arg or ''}"
