"""Columns that several budget views share: the MEF amounts, execution and its pace, the load batch."""

from __future__ import annotations

from ..i18n import words
from .model import Column

PIA = Column(
    "pia",
    words("budget.pia"),
    "soles",
    help=words("budget.pia.help"),
)
PIM = Column(
    "pim",
    words("budget.pim"),
    "soles",
    help=words("budget.pim.help"),
)
CERT = Column(
    "certificado",
    words("budget.certificado"),
    "soles",
    help=words("budget.certificado.help"),
)
COMP = Column(
    "comprometido_anual",
    words("budget.comprometido_anual"),
    "soles",
    help=words("budget.comprometido_anual.help"),
)
DEV = Column(
    "devengado",
    words("budget.devengado"),
    "soles",
    help=words("budget.devengado.help"),
)
GIR = Column("girado", words("budget.girado"), "soles", help=words("budget.girado.help"))
EXEC = Column(
    "execution_pct",
    words("budget.execution_pct"),
    "pct",
    help=words("budget.execution_pct.help"),
)
EXPECTED = Column(
    "expected_pct",
    words("budget.expected_pct"),
    "pct",
    help=words("budget.expected_pct.help"),
)
PACE = Column(
    "pace_status",
    words("budget.pace_status"),
    "status",
    help=words("budget.pace_status.help"),
)
BATCH = Column(
    "budget_batch_id",
    words("budget.budget_batch_id"),
    "batch",
    screen=False,
    help=words("budget.budget_batch_id.help"),
)
