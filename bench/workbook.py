"""The month's HIS file as an Excel workbook, for the bench's Excel loads (built by the ``build`` task)."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter


def write_xlsx_copy(csv_path: Path) -> Path:
    """The month's HIS file as a workbook (the admin loader takes both): the Excel loader at national size."""
    import duckdb

    out = csv_path.with_suffix(".xlsx")
    if out.exists() and out.stat().st_mtime >= csv_path.stat().st_mtime:
        return out
    con = duckdb.connect()
    rel = con.execute("select * from read_csv(?, all_varchar = true)", [str(csv_path)])
    header = [d[0] for d in rel.description]
    rows = rel.fetchall()
    con.close()
    tmp = out.with_name(out.name + ".tmp")
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    sheet = book.add_worksheet("HIS")
    sheet.write_row(0, 0, header)
    numeric = {"numerador", "denominador"}
    for k, row in enumerate(rows, 1):
        for j, (name, v) in enumerate(zip(header, row, strict=True)):
            if name in numeric and v is not None:
                sheet.write_number(k, j, float(v))
            else:
                sheet.write_string(k, j, v or "")
    book.close()
    tmp.replace(out)
    return out
