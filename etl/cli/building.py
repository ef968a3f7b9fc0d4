"""``semaforo compute`` (indicators from nominal records, DuckDB or Spark) and ``semaforo demo`` (the demo
warehouse: generator → real loaders)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from warehouse.command import DB, err


@click.command()
@click.option(
    "--engine",
    "engine_name",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="Motor: DuckDB en este proceso, o Apache Spark (PySpark; local o --spark-master).",
)
@click.option(
    "--records",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Registros nominales: un CSV o Parquet, o una carpeta de ellos (Parquet particionado por año), o una "
    "carpeta de exportaciones del HIS-MINSA (ZIP o CSV: tramas, MaestroPaciente, maestros).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Carpeta de salida: Parquet particionado por año (anio=AAAA/) para «semaforo load admin».",
)
@click.option("--indicador", "indicators", multiple=True, help="Solo estos indicadores (repetible).")
@click.option("--strict", is_flag=True, help="No calcular nada si algún registro tiene problemas.")
@click.option(
    "--desde",
    "since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Primer día que cubre el extracto (por defecto, la primera atención).",
)
@click.option(
    "--hasta",
    "until",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Último día que cubre el extracto (por defecto, la última atención).",
)
@click.option("--spark-master", help="URL del clúster Spark (por defecto local[2] o SPARK_MASTER).")
@click.option("--threads", type=int, help="Hilos de DuckDB (por defecto, todos los núcleos).")
@click.option(
    "--memoria",
    "memory_limit",
    help="Memoria máxima de DuckDB, p. ej. 4GB (lo demás va a disco); por defecto, el 80 % de la RAM.",
)
@click.option(
    "--clave",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Archivo con la clave que seudonimiza los documentos de las exportaciones del HIS (o SEMAFORO_CLAVE).",
)
@click.option("--json", "as_json", is_flag=True, help="Informe en JSON.")
def compute(
    engine_name,
    records,
    out,
    indicators,
    strict,
    since,
    until,
    spark_master,
    threads,
    memory_limit,
    key_file,
    as_json,
) -> None:
    """Calcular indicadores desde registros nominales (definiciones del catálogo) con DuckDB o Spark.

    Solo los agregados mensuales por establecimiento salen de aquí: los registros se quedan donde están.
    """
    from ..records.compute import compute as run

    report = run(
        records,
        out,
        engine_name,
        list(indicators) or None,
        strict,
        since=since.date() if since else None,
        until=until.date() if until else None,
        echo=(lambda m: None) if as_json else err,
        key_file=key_file,
        master=spark_master,
        threads=threads,
        memory_limit=memory_limit,
    )
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        for line in report.lines():
            (
                click.echo
                if report.status in ("computed", "partial") and not line.startswith(("aviso", "…"))
                else err
            )(line)
    sys.exit(report.exit_code)


@click.command()
@DB
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    help="Carpeta donde guardar los archivos fuente generados (por defecto, una temporal).",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Semilla del generador.")
def demo(db, sources, seed) -> None:
    """Construir el almacén de demostración: generador → cargadores reales → almacén."""
    from ..demo.build import build_demo

    failures = build_demo(db, sources, seed, echo=err)
    sys.exit(1 if failures else 0)
