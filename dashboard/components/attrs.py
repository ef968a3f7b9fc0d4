"""HTML attributes whose names hold a dash (``aria-*``, ``data-*``): Dash takes them only as ``**kwargs``, so they
are typed ``dict[str, Any]`` here, once, for spreading into any component's declared props to type-check."""

from __future__ import annotations

from typing import Any

ARIA_HIDDEN: dict[str, Any] = {"aria-hidden": "true"}  # a decoration (icon, arrow) that screen readers skip
ARIA_POLITE: dict[str, Any] = {"aria-live": "polite"}  # a line a callback fills: read out when it changes


def aria_label(text: str) -> dict[str, Any]:
    return {"aria-label": text}


def data(name: str, value: str) -> dict[str, Any]:
    """``data-<name>``: e.g. the heading a stacked table cell shows on a phone."""
    return {f"data-{name}": value}
