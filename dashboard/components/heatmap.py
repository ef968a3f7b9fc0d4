"""Calidad's reporting heat-map: territories × months as an HTML table of lights."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import pandas as pd

from warehouse.rules import status

from .. import format as fmt
from ..i18n import t
from ..state import Filters
from .markup import SPACE, Html


def _text(value: str) -> str:
    return escape(SPACE.sub(" ", value), quote=False)


def heatmap(df: pd.DataFrame, value: str, state: str, f: Filters, link: Callable[[str], str | None]) -> Html:
    """Territories × months, each cell its share and light (colour, glyph and share; its status and counts on
    hover). A table, not a chart: drawn at once, where a Plotly heat-map with a label per cell took the browser
    0.4–0.6 s per map (and plotly.js, which this page otherwise does without, its evaluation) on a loaded
    machine; each cell's tooltip holds only what its row and column do not say. Written as HTML (for a block of
    ``components.markup``) rather than built of components: a region's map is hundreds of cells, and building
    their components cost a filter change more than writing them."""
    lang = f.lang
    if df.empty:
        return Html(f'<p class="hint">{_text(t("no_data_period", lang))}</p>')
    months = sorted(pd.to_datetime(df.period).dt.date.unique())
    cells = {
        (code, pd.Timestamp(when).date()): (v, st, rep, exp, on)
        for code, when, v, st, rep, exp, on in zip(
            df.territory_code,
            df.period,
            df[value],
            df[state],
            df.reporting,
            df.expected,
            df.on_time,
            strict=True,
        )
    }
    names = dict(zip(df.territory_code, df.name, strict=False))
    out = [
        '<div class="heat-wrap"><table class="heatmap"><thead><tr>',
        f"<th>{_text(t('territory', lang))}</th>",
        *(f'<th class="heat-month">{_text(fmt.month(m, lang, short=True))}</th>' for m in months),
        "</tr></thead><tbody>",
    ]
    for code, label in names.items():
        target = link(code)
        out.append(
            f'<tr><th><a href="{escape(target)}">{_text(label)}</a></th>'
            if target
            else f'<tr><th class="heat-name">{_text(label)}</th>'
        )
        for m in months:
            cell = cells.get((code, m))
            if cell is None:
                out.append('<td class="heat light-sin_datos"></td>')
                continue
            v, st, rep, exp, on = cell
            s = status(st)
            counts = t(
                "heat_hover_reports",
                lang,
                received=fmt.number(rep, 0),
                expected=fmt.number(exp, 0),
                on_time=fmt.number(on, 0),
            )
            title = f"{s.label.get(lang)} · {counts}"
            out.append(
                f'<td class="heat light-{escape(s.code)}" title="{escape(title)}">'
                f"{_text(f'{s.glyph} {fmt.number(v, 0)}')}</td>"
            )
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return Html("".join(out))
