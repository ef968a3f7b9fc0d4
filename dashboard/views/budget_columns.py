"""Columns that several budget views share: the MEF amounts, execution and its pace, the load batch."""

from __future__ import annotations

from warehouse.catalogue_model import Text

from .model import Column

T = Text
PIA = Column(
    "pia",
    T("PIA (S/)", "PIA (S/)"),
    "soles",
    help=T(
        "Presupuesto Institucional de Apertura: el aprobado al inicio del año.", "Initial approved budget."
    ),
)
PIM = Column(
    "pim",
    T("PIM (S/)", "PIM (S/)"),
    "soles",
    help=T(
        "Presupuesto Institucional Modificado: el vigente, con las modificaciones del año hasta el mes del corte.",
        "Modified budget: the one in force, with the year's changes up to the cut-off month.",
    ),
)
CERT = Column(
    "certificado",
    T("Certificado (S/)", "Certified (S/)"),
    "soles",
    help=T("Monto con certificación de crédito presupuestario (reservado).", "Amount certified (reserved)."),
)
COMP = Column(
    "comprometido_anual",
    T("Compromiso anual (S/)", "Annual commitment (S/)"),
    "soles",
    help=T(
        "Obligaciones comprometidas para el año (contratos, órdenes).", "Obligations committed for the year."
    ),
)
DEV = Column(
    "devengado",
    T("Devengado (S/)", "Accrued (S/)"),
    "soles",
    help=T(
        "Gasto reconocido (bien o servicio recibido), acumulado de enero al mes: la cifra de ejecución.",
        "Spending recognised (good or service received), January to the month: the execution figure.",
    ),
)
GIR = Column("girado", T("Girado (S/)", "Paid (S/)"), "soles", help=T("Monto pagado.", "Amount paid."))
EXEC = Column(
    "execution_pct",
    T("Avance (%)", "Execution (%)"),
    "pct",
    help=T("Devengado / PIM × 100.", "Accrued / PIM × 100."),
)
EXPECTED = Column(
    "expected_pct",
    T("Avance esperado (%)", "Expected (%)"),
    "pct",
    help=T(
        "Avance que la curva de ritmo espera al mes del corte (settings.yaml, budget_pace).",
        "Execution the pace curve expects by the cut-off month (settings.yaml, budget_pace).",
    ),
)
PACE = Column(
    "pace_status",
    T("Ritmo de ejecución", "Execution pace"),
    "status",
    help=T(
        "Semáforo del avance contra el esperado (ver la hoja Definiciones).",
        "Traffic light of execution against the expected pace (see the Definitions sheet).",
    ),
)
BATCH = Column(
    "budget_batch_id",
    T("Lote MEF", "MEF batch"),
    "batch",
    screen=False,
    help=T(
        "Carga del archivo del MEF de donde vienen los montos (hoja Lotes).",
        "Load of the MEF file (Batches sheet).",
    ),
)
