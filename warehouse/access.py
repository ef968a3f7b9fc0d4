"""Access closed by default: every named read of the warehouse declares what it returns and to whom.

Each query function of :mod:`warehouse.query` is declared with :func:`declare`: its **scope** — region level
(country and region figures, which anyone may see), below region (provinces, districts, facilities, executing
units: not for the public), or admin only (load history, quarantined rows) — and whether it **filters by the
asker's regions** (it takes ``allowed`` and applies it in its SQL). A below-region query may say for which
arguments it goes below the region (``when``): ``snapshot`` of regions is region level, of districts is not.
A query whose region rows are **published** figures (``published``: indicator values and statuses) gives every
region's to anyone — a regional user sees at least what the public sees —; the others keep to the asker's regions.

The caller says who asks (:class:`Asker`: the public, a regional user, a national one, an administrator) and
:func:`permit` answers with the arguments to run the query with, or refuses (:class:`Refused`): a query that was
never declared; one above the asker's scope; a below-region query without a region filter, to someone who may see
only some regions. Every ``.sql`` file in ``warehouse/queries/`` must belong to a declared query, checked when
:mod:`warehouse.query` is imported (:func:`check_sql_files`), so a new file cannot be forgotten.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from .sqlfiles import named_parameters

P = ParamSpec("P")
R = TypeVar("R")


class Scope(StrEnum):
    REGION = "region"  # country and region rows: published figures, for anyone
    BELOW_REGION = "below_region"  # provinces, districts, facilities, executing units: not for the public
    ADMIN = "admin"  # the administrator's details: load history, quarantined rows of every region


class Refused(PermissionError):
    """The asker may not run this query with these arguments; the message says why (es-PE)."""


class Undeclared(LookupError):
    """A query, or a .sql file, that no declaration names: it cannot run."""


@dataclass(frozen=True)
class Asker:
    """Who asks: the regions whose figures below the region level they may see (None = all), the regions whose
    region-level (published) figures they may see — every region, as the public, unless the server publishes
    only some (None = all) —, whether figures below the region level, whether the administrator's details.
    Outside a request (CLI, tests, the ETL) everything: :data:`EVERYONE`."""

    regions: frozenset[str] | None = None
    below_region: bool = True
    admin: bool = True
    published: frozenset[str] | None = None


EVERYONE = Asker()
PUBLIC = Asker(below_region=False, admin=False)


def regional(regions: frozenset[str]) -> Asker:
    """A regional user: figures below the region level, of these regions only."""
    return Asker(regions=regions, below_region=True, admin=False)


@dataclass(frozen=True)
class Declaration:
    name: str
    fn: Callable[..., Any]
    scope: Scope
    regions: bool  # filters by the asker's regions: takes ``allowed`` and applies it in its SQL
    when: Callable[[Mapping[str, Any]], bool] | None = None  # below the region only for these arguments
    # Its region rows are published figures (indicator values and statuses): every region's for anyone, a
    # regional user included; other reads (which files, which batches) keep to the user's regions.
    published: bool = False

    def below_region(self, arguments: Mapping[str, Any]) -> bool:
        """Whether a call with these arguments (by name, defaults applied) returns rows below the region level."""
        if self.scope is Scope.REGION:
            return False
        return self.when is None or self.when(arguments)


DECLARED: dict[str, Declaration] = {}


def declare(
    scope: Scope, *, regions: bool, when: Callable[[Mapping[str, Any]], bool] | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a query function (see the module's docstring). ``regions`` must match the function: it takes
    ``allowed`` exactly when it filters by the asker's regions."""
    if when is not None and scope is not Scope.BELOW_REGION:
        raise ValueError("'when' only narrows a below-region query")

    def register(fn: Callable[P, R]) -> Callable[P, R]:
        if regions != ("allowed" in inspect.signature(fn).parameters):
            raise Undeclared(
                f"{fn.__name__}: declarado regions={regions}, pero su parámetro 'allowed' no concuerda"
            )
        DECLARED[fn.__name__] = Declaration(fn.__name__, fn, scope, regions, when)
        return fn

    return register


def published(fn: Callable[P, R]) -> Callable[P, R]:
    """Mark a declared query (decorate above :func:`declare`) as giving published figures in its region rows."""
    DECLARED[fn.__name__] = replace(declaration(fn.__name__), published=True)
    return fn


def declaration(name: str) -> Declaration:
    """The declaration of the query ``name``; :class:`Undeclared` when there is none."""
    try:
        return DECLARED[name]
    except KeyError:
        raise Undeclared(f"consulta no declarada: {name} (declárela en warehouse/query.py)") from None


def permit(fn: Callable[..., Any], asker: Asker, *args: object, **kwargs: object) -> dict[str, object]:
    """The keyword arguments to call ``fn(con, *args, **kwargs)`` with for ``asker`` — the asker's regions added
    as ``allowed`` when the query filters by them — or :class:`Refused`."""
    try:
        d = declaration(fn.__name__)
    except Undeclared as e:
        raise Refused(str(e)) from None
    if d.fn is not fn:  # another function under a declared one's name
        raise Refused(f"consulta no declarada: {fn.__module__}.{fn.__name__}")
    if d.scope is Scope.ADMIN and not asker.admin:
        raise Refused(f"{d.name}: solo para administradores")
    bound = inspect.signature(fn).bind(None, *args, **kwargs)
    bound.apply_defaults()
    below = d.below_region(bound.arguments)
    if below:
        if not asker.below_region:
            raise Refused(f"{d.name}: cifras por debajo del nivel regional no disponibles")
        if asker.regions is not None and not d.regions:
            raise Refused(f"{d.name}: no filtra por región; no disponible para un usuario regional")
    # Published region-level figures: a regional user sees every region's, as the public does.
    allowed = asker.published if d.published and not below else asker.regions
    return {**kwargs, "allowed": allowed} if d.regions else dict(kwargs)


def check_sql_files(folder: Path) -> None:
    """Every ``.sql`` file in ``folder`` belongs to a declared query, and uses ``$allowed`` exactly when its
    query is declared to filter by the asker's regions; :class:`Undeclared` naming the first that does not."""
    for path in sorted(folder.glob("*.sql")):
        d = DECLARED.get(path.stem)
        if d is None:
            raise Undeclared(f"{path}: ninguna consulta declarada lo usa (declárela en warehouse/query.py)")
        filters = "allowed" in named_parameters(path.read_text(encoding="utf-8"))
        if filters != d.regions:
            raise Undeclared(
                f"{path}: {'usa' if filters else 'no usa'} $allowed, pero {d.name} está declarada "
                f"regions={d.regions}"
            )
