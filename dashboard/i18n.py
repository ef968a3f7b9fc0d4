"""Interface words in Spanish (first) and English. Indicator, rule and status words come from the catalogue
and warehouse.rules; only the app's own chrome is here."""

from __future__ import annotations

LANGS = ("es", "en")

WORDS: dict[str, tuple[str, str]] = {
    "app_title": ("Semáforo PpR", "PpR Traffic Lights"),
    "app_subtitle": ("Presupuesto por Resultados", "Results-based budgeting"),
    "page_resumen": ("Resumen nacional", "National summary"),
    "page_region": ("Región", "Region"),
    "page_indicador": ("Indicador", "Indicator"),
    "page_marco": ("Marco lógico", "Logical framework"),
    "program": ("Programa", "Program"),
    "period": ("Periodo", "Period"),
    "level": ("Nivel de la cadena", "Chain level"),
    "all_levels": ("Todos los niveles", "All levels"),
    "region": ("Región", "Region"),
    "province": ("Provincia", "Province"),
    "district": ("Distrito", "District"),
    "all_regions": ("Todas las regiones", "All regions"),
    "indicator": ("Indicador", "Indicator"),
    "national": ("Perú (nacional)", "Peru (national)"),
    "your_regions": ("Sus regiones", "Your regions"),
    "level_budget": ("Presupuesto", "Budget"),
    "level_critical_input": ("Insumos críticos", "Critical inputs"),
    "level_product": ("Productos", "Products"),
    "level_intermediate_result": ("Resultados intermedios", "Intermediate results"),
    "level_final_result": ("Resultado final", "Final result"),
    "map_title": ("Mapa de regiones", "Regions map"),
    "map_hint": (
        "Haga clic en una región para ver su cadena causal.",
        "Click a region to open its causal chain.",
    ),
    "scorecard_title": ("Tablero de indicadores por región", "Indicator scorecard by region"),
    "scorecard_hint": (
        "Ordene por cualquier columna; la fila nacional queda arriba. ▲▼ = cambio frente al periodo "
        "anterior.",
        "Sort by any column; the national row stays on top. ▲▼ = change against the previous period.",
    ),
    "kpi_title": ("Indicadores principales (nacional)", "Headline indicators (national)"),
    "data_of_month": ("datos a {month} de {year}", "data as of {month} {year}"),
    "data_of_year": ("datos de {year}", "data of {year}"),
    "source": ("Fuente", "Source"),
    "target": ("Meta", "Target"),
    "value": ("Valor", "Value"),
    "status": ("Estado", "Status"),
    "trend": ("Tendencia", "Trend"),
    "previous": ("anterior", "previous"),
    "legend_title": ("Cómo leer el semáforo", "How to read the traffic lights"),
    "rules_title": ("Reglas de cada indicador", "Rule of each indicator"),
    "chain_title": ("Cadena causal", "Causal chain"),
    "chain_hint": (
        "De izquierda a derecha: el presupuesto financia insumos, que hacen posibles los productos, que "
        "mejoran los resultados.",
        "Left to right: budget pays for inputs, which make products possible, which improve results.",
    ),
    "trends_title": ("Tendencias mensuales", "Monthly trends"),
    "survey_title": (
        "Estimaciones ENDES con intervalo de confianza al 95 %",
        "ENDES estimates with 95% confidence interval",
    ),
    "drill_title": (
        "Detalle por provincia, distrito y establecimiento",
        "Detail by province, district and facility",
    ),
    "drill_survey_note": (
        "Las estimaciones de la ENDES representan a la región: no se desagregan por provincia ni distrito.",
        "ENDES estimates represent the region: they are not broken down by province or district.",
    ),
    "drill_budget_note": (
        "El presupuesto se asigna por departamento de la meta: no se desagrega por provincia.",
        "Budget is recorded by the department of the target: it is not broken down by province.",
    ),
    "ranking_title": ("Ranking de regiones", "Regions ranking"),
    "multiples_title": ("Evolución por región", "Trend by region"),
    "table_title": ("Tabla", "Table"),
    "definition_title": ("Definición", "Definition"),
    "numerator": ("Numerador", "Numerator"),
    "denominator": ("Denominador", "Denominator"),
    "rule": ("Regla del semáforo", "Traffic-light rule"),
    "unit": ("Unidad", "Unit"),
    "direction": ("Sentido favorable", "Good direction"),
    "direction_up": ("mayor es mejor", "higher is better"),
    "direction_down": ("menor es mejor", "lower is better"),
    "periodicity": ("Periodicidad", "Periodicity"),
    "monthly": ("mensual", "monthly"),
    "annual": ("anual", "annual"),
    "method": ("Método", "Method"),
    "contributes_to": ("Contribuye a", "Contributes to"),
    "objective": ("Objetivo", "Objective"),
    "indicators": ("Indicadores", "Indicators"),
    "verification": ("Medios de verificación", "Means of verification"),
    "assumptions": ("Supuestos", "Assumptions"),
    "national_status": ("Situación nacional", "National status"),
    "activities_inputs": ("Actividades e insumos", "Activities and inputs"),
    "specific_results": ("Resultados específicos", "Specific results"),
    "products": ("Productos", "Products"),
    "final_result": ("Resultado final", "Final result"),
    "not_found": ("Página no encontrada", "Page not found"),
    "back_home": ("Volver al resumen nacional", "Back to the national summary"),
    "no_data_period": ("No hay datos para este periodo.", "No data for this period."),
    "reporting": ("reportan", "reporting"),
    "facilities": ("establecimientos", "facilities"),
    "months_supply": ("meses de stock (mediana)", "months of supply (median)"),
    "months_of_supply": ("Meses de stock", "Months of supply"),
    "months_word": ("meses", "months"),
    "cpm": ("Consumo mensual (CPM)", "Monthly use (CPM)"),
    "cpm_help": (
        "Consumo promedio mensual: unidades usadas por mes en promedio; meses de stock = stock / CPM.",
        "Average monthly consumption: units used per month on average; months of supply = stock / CPM.",
    ),
    "normal_stock": ("con normostock", "in normal stock"),
    "executed": ("ejecutado", "executed"),
    "expected_pace": ("avance esperado", "expected pace"),
    "budget_vs_results": ("Presupuesto y resultados", "Budget and results"),
    "budget_vs_results_sub": (
        "{year}: gasto devengado del programa por {who} (Padrón Nominal) frente a {result} (ENDES), por región.",
        "{year}: program spending (accrued) per {who} (nominal register) against {result} (ENDES), by region.",
    ),
    "budget_vs_results_hint": (
        "Cada punto es una región, con su color del semáforo; la barra vertical es el intervalo de confianza al "
        "95 %. Las regiones {corner} gastan más por {who} que el país y aun así tienen peor resultado: siga su "
        "cadena causal.",
        "Each dot is a region, in its traffic-light colour; the vertical bar is the 95% confidence interval. "
        "Regions {corner} spend more per {who} than the country and still have worse results: follow their "
        "causal chain.",
    ),
    "corner_top_right": ("arriba a la derecha", "top right"),
    "corner_bottom_right": ("abajo a la derecha", "bottom right"),
    "budget_vs_results_none": (
        "Aún no hay un año con presupuesto, población y resultado final a la vez.",
        "No year has budget, population and final result together yet.",
    ),
    "budget_vs_results_no_population": (
        "El catálogo no declara la población objetivo de este programa en el Padrón Nominal: no se calcula el "
        "gasto por beneficiario.",
        "The catalogue declares no nominal-register target population for this program: spending per "
        "beneficiary is not computed.",
    ),
    "spent_per": ("Devengado por {who} (S/)", "Spent per {who} (S/)"),
    "per_who": ("por {who}", "per {who}"),
    "national_lines": ("- - - valores nacionales", "- - - national values"),
    "ci95": ("IC 95 %", "95% CI"),
    "referential_note": (
        "Marcador vacío y entre paréntesis: estimación referencial (CV > {cv} %).",
        "Hollow marker in parentheses: referential estimate (CV > {cv}%).",
    ),
    "open_region": ("Ver la cadena causal de la región", "Open the region's causal chain"),
    "open_indicator": ("Ver el indicador en todas las regiones", "Open the indicator across regions"),
    "language": ("English", "Español"),
    "loading_app": ("Cargando el tablero…", "Loading the dashboard…"),
    "upload": ("Cargar archivo", "Load a file"),
    "login": ("Ingresar", "Sign in"),
    "logout": ("Salir", "Sign out"),
    "public_view": ("Vista pública", "Public view"),
    "public_only": (
        "La vista pública muestra las cifras publicadas por región. Ingrese con su usuario para ver provincias, "
        "distritos y establecimientos.",
        "The public view shows published figures by region. Sign in to see provinces, districts and facilities.",
    ),
    "drill_indicator": ("Indicador a desagregar", "Indicator to break down"),
    "level_eess": ("Establecimiento", "Facility"),
    "level_red": ("Red", "Network (Red)"),
    "level_microred": ("MicroRed", "Micro-network (MicroRed)"),
    "tree": ("Árbol", "Tree"),
    "tree_territorio": ("Territorio", "Territory"),
    "tree_red": ("Red de salud", "Health network"),
    "drill_title_red": (
        "Detalle por red, microred y establecimiento",
        "Detail by network (Red), micro-network (MicroRed) and facility",
    ),
    "drill_network_note": (
        "Una red puede abarcar varias provincias; se muestran solo los establecimientos de esta región. "
        "Las estimaciones ENDES no se desagregan por red.",
        "A Red may span several provinces; only this region's facilities are shown. "
        "ENDES estimates are not broken down by Red.",
    ),
    "level_distrito": ("Distrito", "District"),
    "level_provincia": ("Provincia", "Province"),
    "level_region": ("Región", "Region"),
    "level_pais": ("País", "Country"),
    "stock_class": ("Clase de stock", "Stock class"),
    "code": ("Código", "Code"),
    "name": ("Nombre", "Name"),
    "change": ("Cambio", "Change"),
    "page_presupuesto": ("Presupuesto", "Budget"),
    "page_calidad": ("Calidad de datos", "Data quality"),
    "quality_sub": (
        "¿Cuánto confiar en los semáforos? Reporte mensual, valores sospechosos, registros frente a la encuesta y "
        "procedencia · {month}",
        "How far to trust the lights? Monthly reporting, suspect values, records against the survey and "
        "provenance · {month}",
    ),
    "completeness": ("Completitud del reporte", "Reporting completeness"),
    "timeliness": ("Oportunidad del reporte", "Reporting timeliness"),
    "suspect_values": ("Valores sospechosos del mes", "Suspect values this month"),
    "survey_gaps": ("Registros fuera del IC de la ENDES", "Records outside the ENDES CI"),
    "completeness_title": (
        "Reporte mensual: completitud y oportunidad",
        "Monthly reporting: completeness and timeliness",
    ),
    "missing_title": ("No reportaron en {month}", "Did not report in {month}"),
    "outliers_title": ("Valores sospechosos de {month}", "Suspect values of {month}"),
    "triangulation_title": ("Registros frente a la encuesta (ENDES)", "Records against the survey (ENDES)"),
    "batches_title": ("Historial de cargas", "Load history"),
    "quarantine_title": ("Filas en cuarentena", "Quarantined rows"),
    "territory": ("Territorio", "Territory"),
    "quality_mark": ("calidad del dato", "data quality"),
    "batch": ("lote", "batch"),
    "quality_col": ("Calidad del dato (⚑)", "Data quality (⚑)"),
    "quarantine_none": (
        "Ninguna fila en cuarentena: todos los archivos se cargaron enteros.",
        "No quarantined rows: every file loaded whole.",
    ),
    "reports_received": ("recibidos", "received"),
    "on_time": ("a tiempo", "on time"),
    "budget_sub": (
        "{program} · {territory} · {months} de {year} (acumulado)",
        "{program} · {territory} · {months} {year} (year to date)",
    ),
    "months_range": ("{first} a {last}", "{first} to {last}"),
    "pace_word": ("Ejecución", "Execution"),
    "coverage_word": ("Cobertura", "Coverage"),
    "unknown_region": (
        "No hay una región con el código «{code}» entre las que puede ver: se muestra el país.",
        "There is no region with code '{code}' among those you may see: the country is shown.",
    ),
    "change_sub_program": (
        "De {base} a {last}, por región: cambio del PIM por niño del programa frente al cambio de {result}. "
        "Elija un producto para comparar también su cobertura. Verde: mejoró; rojo: empeoró.",
        "From {base} to {last}, by region: change in the program's PIM per child against the change in {result}. "
        "Choose a product to compare its coverage too. Green: improved; red: worsened.",
    ),
    "budget_none": (
        "No hay ejecución presupuestal cargada del programa para {year}. Cargue el archivo del MEF con "
        "'semaforo load … budget'.",
        "No budget execution of the program is loaded for {year}. Load MEF's file with 'semaforo load … budget'.",
    ),
    "execution": ("Avance de ejecución", "Execution"),
    "expected_of_month": ("esperado a {month}: {pct}", "expected by {month}: {pct}"),
    "bottlenecks_title": ("Cuellos de botella", "Bottlenecks"),
    "bottlenecks_hint": (
        "Productos cuyo presupuesto se ejecuta lento mientras su cobertura está rezagada: ejecución (devengado / "
        "PIM) por debajo del ritmo esperado del mes y cobertura por debajo de la meta.",
        "Products whose budget executes slowly while their coverage lags: execution (accrued / PIM) below the "
        "month's expected pace and coverage below target.",
    ),
    "bottlenecks_none": (
        "Ningún producto tiene a la vez ejecución lenta y cobertura rezagada.",
        "No product has both slow execution and lagging coverage.",
    ),
    "bottleneck_line": (
        "avance {execution} (esperado {expected}) · cobertura {coverage} (meta {target})",
        "execution {execution} (expected {expected}) · coverage {coverage} (target {target})",
    ),
    "by_product_hint": (
        "Montos acumulados de enero al mes del corte. Por beneficiario: PIM y devengado divididos entre las niñas "
        "y niños de la población objetivo del producto en el Padrón Nominal (sin dato para gestantes, que el "
        "padrón no registra).",
        "Amounts from January to the cut-off month. Per beneficiary: PIM and accrued divided by the children of "
        "the product's target population in the nominal register (none for pregnant women, whom the register "
        "does not hold).",
    ),
    "by_product": ("Ejecución por producto", "Execution by product"),
    "product_filter": ("Producto", "Product"),
    "whole_program": ("Todo el programa", "Whole program"),
    "months_title": ("Ejecución mes a mes", "Month by month"),
    "units_title": ("Por unidad ejecutora", "By executing unit"),
    "regions_title": ("Por región", "By region"),
    "regions_hint": (
        "PIM y devengado por niño: entre las niñas y niños de la población del programa en el Padrón Nominal; "
        "por beneficiario: entre la población objetivo del producto elegido.",
        "PIM and accrued per child: divided by the program's children in the nominal register; per "
        "beneficiary: by the chosen product's target population.",
    ),
    "change_title": ("Dinero y resultados entre años", "Money and results across years"),
    "change_sub": (
        "De {base} a {last}, por región: cambio del PIM por niño ({budget}) frente al cambio de la cobertura de "
        "{product} y de {result}. Verde: mejoró; rojo: empeoró.",
        "From {base} to {last}, by region: change in PIM per child ({budget}) against the change in the coverage "
        "'{product}' and in {result}. Green: improved; red: worsened.",
    ),
    "change_hint": (
        "Si las regiones que más aumentaron su presupuesto por niño no son las que más mejoraron, el dinero solo "
        "no explica el resultado: mire la gestión (ejecución, insumos, cobertura). Es una comparación, no una "
        "prueba de causalidad.",
        "If the regions that raised budget per child most are not those that improved most, money alone does not "
        "explain the result: look at management (execution, inputs, coverage). A comparison, not proof of "
        "causation.",
    ),
    "change_none": (
        "Hacen falta dos años con presupuesto y resultado de la encuesta para comparar.",
        "Two years with budget and a survey result are needed to compare.",
    ),
    "base_year": ("Año base", "Base year"),
    "change_pim_per_child": ("Cambio del PIM por niño (S/)", "Change in PIM per child (S/)"),
    "change_coverage": ("Cambio de cobertura (puntos)", "Change in coverage (points)"),
    "change_result": ("Cambio de {result} (puntos)", "Change in {result} (points)"),
    "accrued": ("Devengado", "Accrued"),
    "millions_soles": ("Millones de soles", "Millions of soles"),
    "choose_product_for_coverage": (
        "Elija un producto para ver su cobertura.",
        "Choose a product to see its coverage.",
    ),
    "yes": ("Sí", "Yes"),
    "download": ("Descargar", "Download"),
    "copy_link": ("Copiar enlace a esta vista", "Copy link to this view"),
    "print_view": ("Versión para imprimir", "Print view"),
    "data_dates": ("Datos: {items}", "Data: {items}"),
    "why_red": (
        "¿Por qué está en rojo? Siga la cadena hacia la izquierda: productos, insumos y presupuesto.",
        "Why is it red? Follow the chain to the left: products, inputs and budget.",
    ),
}


def t(key: str, lang: str = "es", **kw: object) -> str:
    es, en = WORDS[key]
    text = en if lang == "en" else es
    return text.format(**kw) if kw else text


def level_name(level: str, lang: str = "es") -> str:
    return t(f"level_{level}", lang)


# AG Grid's own words (pagination, empty grid, filters) in Spanish; English is the grid's default.
GRID_LOCALE_ES = {
    "page": "Página",
    "more": "más",
    "to": "a",
    "of": "de",
    "next": "Siguiente",
    "last": "Última",
    "first": "Primera",
    "previous": "Anterior",
    "pageSizeSelectorLabel": "Filas por página:",
    "ariaPageSizeSelectorLabel": "Filas por página",
    "pageLastRowUnknown": "?",
    "loadingOoo": "Cargando…",
    "noRowsToShow": "Sin filas",
    "filterOoo": "Filtrar…",
    "equals": "Igual a",
    "notEqual": "Distinto de",
    "contains": "Contiene",
    "notContains": "No contiene",
    "startsWith": "Empieza con",
    "endsWith": "Termina con",
    "blank": "Vacío",
    "notBlank": "No vacío",
    "lessThan": "Menor que",
    "greaterThan": "Mayor que",
    "lessThanOrEqual": "Menor o igual que",
    "greaterThanOrEqual": "Mayor o igual que",
    "inRange": "Entre",
    "andCondition": "Y",
    "orCondition": "O",
    "applyFilter": "Aplicar",
    "resetFilter": "Restablecer",
    "clearFilter": "Limpiar",
}


def grid_locale(lang: str) -> dict[str, str]:
    return GRID_LOCALE_ES if lang == "es" else {}


def scope_name(wh, region: str | None, lang: str) -> str:
    """What a page or download covers: a region's name, the country, or — for a user who sees only some regions —
    those regions (their 'national' figures hold only them)."""
    names = wh.snapshot.names
    if region:
        return names.get(region, region)
    if wh.allowed is None:
        return t("national", lang)
    return f"{t('your_regions', lang)}: " + ", ".join(names.get(r, r) for r in sorted(wh.allowed))
