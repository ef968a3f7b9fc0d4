"""A button that copies a text (a link to the view): the whole button copies, by mouse and by keyboard."""

from __future__ import annotations

from dash import dcc, html

from .attrs import ARIA_HIDDEN


def copy_button(id_: str, text: str, label: str, done: str) -> html.Span:
    """``dcc.Clipboard`` copies on a click on its own element, which takes no focus: here it fills a focusable
    button (``role="button"``), whose Enter or Space clicks it (assets/keyboard.js); ``done`` shows once copied."""
    return html.Span(
        dcc.Clipboard(
            children=[
                html.I(className="bi bi-clipboard me-1", **ARIA_HIDDEN),
                html.Span(label, className="copy-words"),
            ],
            copied_children=[
                html.I(className="bi bi-check me-1", **ARIA_HIDDEN),
                html.Span(done, className="copy-words"),
            ],
            content=text,
            className="copy-target",
        ),
        id=id_,
        role="button",
        tabIndex=0,
        title=text,
        className="btn btn-sm btn-outline-secondary me-2 copy-button",
    )
