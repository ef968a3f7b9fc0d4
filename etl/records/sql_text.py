"""Small builders of SQL text shared by the checks and the indicator queries: quoted literals, IN lists, blanks."""

from __future__ import annotations


def q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def in_list(codes: tuple[str, ...]) -> str:
    return "(" + ", ".join(q(c) for c in codes) + ")"


def blank(col: str) -> str:
    return f"(nullif(trim({col}), '') is null)"
