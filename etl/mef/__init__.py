"""MEF budget files as they are published: the open-data CSV "Presupuesto y ejecución de gasto" in its layouts,
and the Consulta Amigable tables analysts download as XLSX, staged into one shape for the budget loader.

Layouts are told apart by their headers (case and accents aside), never by position:

- ``mensual``: ``ANO_EJE, MES_EJE … MONTO_PIA … MONTO_GIRADO``, each row one month's movement ("Gasto Diario", 63 columns);
- ``devengado_mensual``: "Devengado Mensual" (73 columns): year-to-date ``MONTO_PIA``, ``MONTO_PIM``,
  ``MONTO_CERTIFICADO_ANUAL``, ``MONTO_COMPROMETIDO_ANUAL``, ``MONTO_GIRADO_ANUAL``, each month's
  ``MONTO_DEVENGADO_ENERO`` … ``_DICIEMBRE`` and their sum ``MONTO_DEVENGADO_ANUAL``;
- ``multianual``: amounts suffixed with their year (``PIA_2024``, ``PIM_2024``, ``DEVENGADO_2025``…);
- ``anual``: a year and amounts with no month (Consulta Amigable: ``Año, Departamento, … PIM, Devengado``).

Every layout is staged as text, one row per file row, with the columns ``ano``, ``mes``, ``programa``,
``producto``, ``producto_nombre``, ``departamento`` (of the meta), ``provincia`` (of the executing unit, 4 digits),
``ejecutora`` (SEC_EJEC) and ``ejecutora_nombre``, and one column per amount (``pim``, ``devengado_m03``, ``pia_2024``…). Consulta Amigable's ``code: NAME`` cells
(``01: AMAZONAS``, ``0001: PROGRAMA ARTICULADO NUTRICIONAL``) are split into code and name on the way in.

Reading a national CSV. The open-data file holds every budget program of a year (several GB); the warehouse wants
the few the catalogue names. DuckDB streams the file in parallel with every column declared VARCHAR (codes keep
their zeros, nothing is auto-detected), parses only the columns the layout uses, and keeps only the rows of the
catalogue's programs — plus rows whose program code is missing or malformed, so that the checks report them. The
stage therefore holds a small share of the file whatever its size, and the rest never leaves DuckDB's scan.

The CSV reader cannot say which line a row came from, and numbering rows in the scan (``row_number() over ()``)
forces a single-threaded ordered pass that costs more than the whole load. So staged rows get a provisional key
in file order (``_row`` = −1, −2, …) and :meth:`MefCsv.number_lines` puts the real line numbers in only when the
file has a problem to report: one more scan that stores one boolean per line (kept or not) and locates the kept
rows among them. A clean file — the usual case — is read once.
"""

from __future__ import annotations

from .consulta_amigable import stage_consulta_amigable as stage_consulta_amigable
from .headers import CODE_COLUMNS as CODE_COLUMNS
from .headers import DEVENGADO_TOTAL as DEVENGADO_TOTAL
from .headers import MEASURES as MEASURES
from .layout import MefLayout as MefLayout
from .layout import non_negative_measures as non_negative_measures
from .open_data import MefCsv as MefCsv
