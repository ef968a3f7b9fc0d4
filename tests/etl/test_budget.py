"""The MEF budget loader: the 62-column open-data CSV (written here row by row so every sum is known), its
messy variants, and the real Consulta Amigable XLSX exports of ../shared/data/mef."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt

import pytest

from etl.demo.mef import COLUMNS
from tests.conftest import load, rows, shared, write

THIS_YEAR = dt.date.today().year
LAST_YEAR = THIS_YEAR - 1


def line(year=LAST_YEAR, month=1, program="0001", product="3033255", dept="09", dep_ejec="09", prov_ejec="01",
         pia=0, pim=100, dev=50, **extra) -> dict:  # fmt: skip
    """One row of the open-data CSV; columns the loader does not read get plausible text."""
    r = {c: "X" for c in COLUMNS}
    r.update(
        ANO_EJE=year, MES_EJE=month, PROGRAMA_PPTO=program, PRODUCTO_PROYECTO=product,
        PRODUCTO_PROYECTO_NOMBRE=f"PRODUCTO {product}", DEPARTAMENTO_META=dept, DEPARTAMENTO_EJECUTORA=dep_ejec,
        PROVINCIA_EJECUTORA=prov_ejec, MONTO_PIA=pia, MONTO_PIM=pim, MONTO_CERTIFICADO=pim,
        MONTO_COMPROMETIDO_ANUAL=pim, MONTO_COMPROMETIDO=dev, MONTO_DEVENGADO=dev, MONTO_GIRADO=dev,
    )  # fmt: skip
    r.update(extra)
    return r


# The files as MEF publishes them today: "Gasto Diario" (COLUMNS, the 63 of PAN.md's list) and "Devengado Mensual"
# (73, as MEF's dictionary Gasto_Devengado_Diccionario.csv lists them: no MES_EJE nor TIPO_ACT_PROY_NOMBRE, a
# TIPO_TRANSACCION_NOMBRE; year-to-date amounts, each month's devengado and the year's).
DIARIO = COLUMNS
MONTHS = ("ENERO", "FEBRERO", "MARZO", "ABRIL", "MAYO", "JUNIO", "JULIO", "AGOSTO", "SEPTIEMBRE", "OCTUBRE",
          "NOVIEMBRE", "DICIEMBRE")  # fmt: skip
_DESCRIPTORS = [c for c in DIARIO[:-7] if c not in ("MES_EJE", "TIPO_ACT_PROY_NOMBRE")]
_DESCRIPTORS.insert(_DESCRIPTORS.index("TIPO_TRANSACCION") + 1, "TIPO_TRANSACCION_NOMBRE")
DEVENGADO_MENSUAL = (
    *_DESCRIPTORS, "MONTO_PIA", "MONTO_PIM", "MONTO_CERTIFICADO_ANUAL", "MONTO_COMPROMETIDO_ANUAL",
    *(f"MONTO_DEVENGADO_{m}" for m in MONTHS), "MONTO_DEVENGADO_ANUAL", "MONTO_GIRADO_ANUAL",
)  # fmt: skip


def mef_csv(path, lines, encoding="utf-8", columns=COLUMNS):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(lines)
    return path


def execution(db, code, territory, year, month):
    got = rows(
        db,
        "select value, numerator, denominator from mart_indicator_agg "
        "where indicator_code = ? and territory_code = ? and period = ?",
        (code, territory, dt.date(year, month, 1)),
    )
    return got[0] if got else None


def test_open_data_csv_cumulates_months_splits_lima_and_skips_other_programs(territory_db, tmp_path):
    f = mef_csv(
        tmp_path / "gasto.csv",
        [
            line(month=1, pim=1000, dev=100),
            line(month=2, pim=0, dev=300),
            line(month=2, product="3033256", pim=500, dev=50),  # iron: counts in the program total
            line(month=1, dept="15", dep_ejec="15", prov_ejec="01", pim=800, dev=400),  # Lima Metropolitana
            line(month=1, dept="15", dep_ejec="15", prov_ejec="05", pim=200, dev=20),  # Lima Región
            line(month=1, program="0068", pim=9999, dev=9999),  # another program: not staged
            line(month=1, program="0002", product="3033172", pim=70, dev=7),
        ],
    )
    r = load(territory_db, "budget", f)
    assert r.status == "loaded", r.problems
    assert r.rows_loaded == 6
    assert "0001" in r.scope and "0002" in r.scope
    # CRED in Huancavelica: PIM 1000, devengado 100 + 300 by February.
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 1) == (10.0, 100, 1000)
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 2) == (40.0, 400, 1000)
    # The program total adds the iron product; Lima splits by the executing unit's province.
    assert execution(territory_db, "PAN_B_TOTAL", "09", LAST_YEAR, 2)[1:] == (450, 1500)
    assert execution(territory_db, "PAN_B_TOTAL", "LM", LAST_YEAR, 1)[1:] == (400, 800)
    assert execution(territory_db, "PAN_B_TOTAL", "LR", LAST_YEAR, 1)[1:] == (20, 200)
    assert execution(territory_db, "PAN_B_TOTAL", "PE", LAST_YEAR, 2)[1:] == (870, 2500)
    assert rows(territory_db, "select count(*) from raw_budget where program_code = '0068'") == [(0,)]
    status = rows(territory_db, "select options from etl_batch where source = 'budget' and status = 'loaded'")
    assert '"filas_otros_programas": 1' in status[0][0]


def test_a_new_file_of_a_year_replaces_it_and_a_bad_row_is_located_by_line(territory_db, tmp_path):
    first = mef_csv(tmp_path / "gasto_v1.csv", [line(month=1, pim=1000, dev=100)])
    assert load(territory_db, "budget", first).status == "loaded"
    second = mef_csv(
        tmp_path / "gasto_v2.csv",
        [
            line(month=1, program="0068"),  # line 2, skipped: other program
            line(month=1, pim=2000, dev=200),  # line 3
            line(month=1, program="0068"),  # line 4
            line(month=2, pim=0, dev="-5-"),  # line 5: not a number
            line(month=13, pim=0, dev=1),  # line 6: no such month
            line(month=2, dept="31"),  # line 7: no such department
            line(month=2, dev="12,5,0"),  # line 8: not a number
        ],
    )
    r = load(territory_db, "budget", second, force=True)  # 4 of 5 rows rejected: only with --force
    assert r.status == "partial" and r.rows_loaded == 1
    found = {(p.row, p.column, p.reason) for p in r.problems}
    assert (5, "MONTO_DEVENGADO", "no es un número") in found
    assert (6, "MES_EJE", "mes fuera del rango 1–12") in found
    assert any(
        p.row == 7 and p.column == "DEPARTAMENTO_META" and "departamento" in p.reason for p in r.problems
    )
    assert (8, "MONTO_DEVENGADO", "no es un número") in found
    # The year was replaced, not added to: PIM 2000, not 3000.
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 1) == (10.0, 200, 2000)
    assert rows(territory_db, "select status from etl_batch where source = 'budget' order by batch_id") == [
        ("superseded",),
        ("partial",),
    ]


def test_strict_refusal_and_ragged_rows_leave_the_warehouse_as_it_was(territory_db, tmp_path):
    good = mef_csv(tmp_path / "gasto.csv", [line(month=1, pim=1000, dev=100)])
    assert load(territory_db, "budget", good).status == "loaded"
    before = rows(territory_db, "select * from raw_budget order by all")
    bad = mef_csv(
        tmp_path / "gasto_mal.csv", [line(month=1, pim=5, dev=1), line(month=2, MONTO_DEVENGADO="1-")]
    )
    r = load(territory_db, "budget", bad, strict=True)
    assert r.status == "refused" and r.exit_code != 0
    assert [(p.row, p.column) for p in r.problems] == [(3, "MONTO_DEVENGADO")]
    ragged = write(
        tmp_path / "gasto_cortado.csv",
        good.read_text(encoding="utf-8") + ",".join([str(LAST_YEAR), "3"] + ["X"] * 10) + "\n",
    )
    r = load(territory_db, "budget", ragged, strict=True)
    assert [(p.row, p.reason) for p in r.problems] == [(3, "la fila tiene menos columnas que el encabezado")]
    assert r.status == "refused"
    assert rows(territory_db, "select * from raw_budget order by all") == before
    # Without --strict too: a line the reader cannot split is structural damage, the whole file is refused.
    r = load(territory_db, "budget", ragged, force=True)
    assert r.status == "refused" and "estructura dañada" in r.message
    assert rows(territory_db, "select * from raw_budget order by all") == before


def test_latin1_semicolons_and_a_missing_amount_column(territory_db, tmp_path):
    f = tmp_path / "gasto_latin1.csv"
    with open(f, "w", encoding="latin-1", newline="") as out:
        w = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";")
        w.writeheader()
        w.writerow(line(pim=300, dev=30, PRODUCTO_PROYECTO_NOMBRE="NIÑOS CON CRED COMPLETO"))
    r = load(territory_db, "budget", f)
    assert r.status == "loaded", r.problems
    assert rows(territory_db, "select product_name from raw_budget") == [("NIÑOS CON CRED COMPLETO",)]
    no_pim = write(tmp_path / "sin_pim.csv", "ANO_EJE,MES_EJE,PROGRAMA_PPTO,MONTO_DEVENGADO\n2025,1,0001,5\n")
    r = load(territory_db, "budget", no_pim)
    assert r.status == "refused"
    assert any(p.row == 1 and "PIM" in p.reason for p in r.problems)


def test_year_columns_of_the_running_year_need_the_cutoff_month(territory_db, tmp_path):
    f = write(
        tmp_path / "multianual.csv",
        f"PROGRAMA_PPTO,DEPARTAMENTO_META,PIM_{LAST_YEAR},DEVENGADO_{LAST_YEAR},PIM_{THIS_YEAR},"
        f"DEVENGADO_{THIS_YEAR}\n0001,09,1000,900,1200,600\n",
    )
    r = load(territory_db, "budget", f)
    assert r.status == "refused" and "--mes-corte" in r.problems[0].reason
    r = load(territory_db, "budget", f, options={"cutoff_month": 6})
    assert r.status == "loaded", r.problems
    assert execution(territory_db, "PAN_B_TOTAL", "09", LAST_YEAR, 12) == (90.0, 900, 1000)
    assert execution(territory_db, "PAN_B_TOTAL", "09", THIS_YEAR, 6) == (50.0, 600, 1200)


def test_monthly_devengado_columns_stop_at_the_last_month_with_amounts(territory_db, tmp_path):
    months = ["ENERO", "FEBRERO", "MARZO", "ABRIL"]
    f = write(
        tmp_path / "devengado_mensual.csv",
        "ANO_EJE,PROGRAMA_PPTO,PRODUCTO_PROYECTO,DEPARTAMENTO_META,MONTO_PIA,MONTO_PIM,"
        + ",".join(f"MONTO_DEVENGADO_{m}" for m in months)
        + f"\n{LAST_YEAR},0001,3033255,09,800,1000,100,200,0,0\n",
    )
    r = load(territory_db, "budget", f)
    assert r.status == "loaded", r.problems
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 2) == (30.0, 300, 1000)
    assert rows(territory_db, "select max(month) from raw_budget") == [(2,)]


def test_consulta_amigable_by_department(territory_db):
    f = shared("mef", "consulta_amigable_gn_salud_por_departamento_2020.xlsx")
    r = load(territory_db, "budget", f)
    assert r.status == "refused" and "--programa" in r.problems[0].reason
    r = load(territory_db, "budget", f, options={"program": "1"})
    assert r.status == "loaded", r.problems
    assert r.rows_loaded == 26
    # Lima's row as published (SOURCES.md): S/ 10.94 bn PIM; 'Exterior' (98) counts only in the national total.
    assert rows(territory_db, "select pim from raw_budget where department_code = '15'") == [
        (10_944_425_587.0,)
    ]
    exterior = rows(territory_db, "select count(*) from raw_budget where department_code is null")
    assert exterior == [(1,)]
    national = execution(territory_db, "PAN_B_TOTAL", "PE", 2020, 12)
    regional = rows(
        territory_db,
        "select sum(denominator) from mart_indicator_agg where indicator_code = 'PAN_B_TOTAL' "
        "and territory_level = 'region' and period = '2020-12-01'",
    )[0][0]
    assert national[2] > regional  # the exterior row


def test_consulta_amigable_municipalities_with_thousands_commas(territory_db):
    f = shared("mef", "consulta_amigable_gl_municipalidades_2024_2025.xlsx")
    r = load(territory_db, "budget", f, options={"program": "0001"})
    assert r.status == "loaded", r.problems
    assert r.rows_loaded == 3782
    got = rows(
        territory_db,
        "select year, sum(source_rows), count(distinct ejecutora_province) from raw_budget group by year "
        "order by year",
    )
    assert got == [(2024, 1891, 196), (2025, 1891, 196)]
    # Amounts were text with thousands commas ('62,334,134'): all parsed, none zero-filled.
    assert rows(territory_db, "select count(*) from raw_budget where pim is null or pim <= 0") == [(0,)]
    # Each municipality is an executing unit: '010101-300001: MUNICIPALIDAD …' → SEC_EJEC 300001 and its name.
    assert rows(
        territory_db,
        "select distinct sec_ejec, ejecutora_name from raw_budget where ejecutora_province = '0101' "
        "and sec_ejec = '300001'",
    ) == [("300001", "MUNICIPALIDAD PROVINCIAL DE CHACHAPOYAS")]
    assert rows(territory_db, "select count(*) from raw_budget where sec_ejec is null") == [(0,)]


def test_executing_units_are_kept_by_their_sec_ejec(territory_db, tmp_path):
    f = mef_csv(
        tmp_path / "gasto.csv",
        [
            line(month=1, pim=100, dev=10, SEC_EJEC="001234", EJECUTORA_NOMBRE="REGION HUANCAVELICA - SALUD"),
            line(month=2, pim=0, dev=20, SEC_EJEC="1234", EJECUTORA_NOMBRE="REGION HUANCAVELICA - SALUD"),
            line(
                month=1,
                pim=50,
                dev=5,
                SEC_EJEC="300712",
                EJECUTORA_NOMBRE="MUNICIPALIDAD PROVINCIAL DE HUANCAVELICA",
            ),
        ],
    )
    assert load(territory_db, "budget", f).status == "loaded"
    assert rows(
        territory_db,
        "select sec_ejec, ejecutora_name, sum(pim), sum(devengado) from raw_budget group by all order by 1",
    ) == [
        ("1234", "REGION HUANCAVELICA - SALUD", 100.0, 30.0),
        ("300712", "MUNICIPALIDAD PROVINCIAL DE HUANCAVELICA", 50.0, 5.0),
    ]


@pytest.mark.parametrize("program", ["9999", "abc"])
def test_unknown_program_option_is_refused(territory_db, tmp_path, program):
    f = write(tmp_path / "anual.csv", f"Año,Departamento,PIM,Devengado\n{LAST_YEAR},09,10,5\n")
    r = load(territory_db, "budget", f, options={"program": program})
    assert r.status == "refused" and "catálogo" in r.problems[0].reason


# --- Reversals: negative monthly movements ------------------------------------------------------------------

MEASURE_COLUMNS = {
    "pia": "MONTO_PIA", "pim": "MONTO_PIM", "certificado": "MONTO_CERTIFICADO",
    "comprometido_anual": "MONTO_COMPROMETIDO_ANUAL", "comprometido": "MONTO_COMPROMETIDO",
    "devengado": "MONTO_DEVENGADO", "girado": "MONTO_GIRADO",
}  # fmt: skip


def movement(month: int, product: str, dept: str, pim: float, amount: float) -> dict:
    """One row moving certificado, compromiso, devengado and girado by ``amount`` (negative: a reversal)."""
    return line(
        month=month, product=product, dept=dept, dep_ejec=dept, pia=0, pim=pim,
        MONTO_CERTIFICADO=f"{amount * 1.5:.2f}", MONTO_COMPROMETIDO_ANUAL=f"{amount * 1.4:.2f}",
        MONTO_COMPROMETIDO=f"{amount:.2f}", MONTO_DEVENGADO=f"{amount:.2f}", MONTO_GIRADO=f"{amount * 0.9:.2f}",
    )  # fmt: skip


def reversals() -> list[dict]:
    """Six months of movements as MEF publishes them: one row in three reverses part of certificado, compromiso,
    devengado and girado on its own line (amounts with cents, as in the file)."""
    out = []
    for month in range(1, 7):
        for product, dept in (("3033255", "09"), ("3033256", "09"), ("3033255", "02"), ("3033254", "15")):
            amount = 1000 + 37.41 * month + (11.07 if dept == "02" else 0)
            out.append(movement(month, product, dept, pim=amount * 2, amount=amount))
            if month % 2 == 0:
                out.append(movement(month, product, dept, pim=0, amount=-(300.25 + month)))
    return out


def file_sums(path) -> dict[tuple, dict[str, float]]:
    """What the file says, summed in Python per year × month × program × product × department."""
    sums: dict[tuple, dict[str, float]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = (int(r["ANO_EJE"]), int(r["MES_EJE"]), r["PROGRAMA_PPTO"], r["PRODUCTO_PROYECTO"],
                   r["DEPARTAMENTO_META"])  # fmt: skip
            got = sums.setdefault(key, dict.fromkeys(MEASURE_COLUMNS, 0.0))
            for m, column in MEASURE_COLUMNS.items():
                got[m] += float(r[column])
    return sums


def test_reversals_are_loaded_and_the_warehouse_holds_the_files_sums(territory_db, tmp_path):
    f = mef_csv(tmp_path / f"{LAST_YEAR}-Gasto-Diario.csv", reversals(), columns=DIARIO)
    assert len(DIARIO) == 63
    r = load(territory_db, "budget", f)
    assert (r.status, r.rows_rejected, r.problems) == ("loaded", 0, [])
    assert r.rows_loaded == len(reversals())
    assert not [w for w in r.warnings if "desconocidas" in w]  # every one of the 63 columns is known
    assert not [w for w in r.warnings if "sospechoso" in w]  # no year-to-date total goes below zero
    stored = rows(
        territory_db,
        "select year, month, program_code, product_code, department_code, "
        + ", ".join(f"sum({m})" for m in MEASURE_COLUMNS)
        + " from raw_budget group by all",
    )
    got = {tuple(s[:5]): dict(zip(MEASURE_COLUMNS, s[5:], strict=True)) for s in stored}
    expected = file_sums(f)
    assert set(got) == set(expected)
    for key, sums in expected.items():
        assert got[key] == pytest.approx(sums, abs=0.005), key
    # The dashboard's devengado to date (the mart) is the file's too: February = Jan + Feb − the reversal.
    cred = [v for k, v in expected.items() if k[3] == "3033255" and k[4] == "09" and k[1] <= 2]
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 2)[1] == pytest.approx(
        sum(v["devengado"] for v in cred), abs=0.005
    )


def suspected(warning: str) -> str:
    """The measure a suspect-value warning names ('gasto.csv: valor sospechoso: girado acumulado …')."""
    return warning.split("valor sospechoso: ")[1].split(" acumulado")[0]


def test_a_negative_total_to_date_is_flagged_as_suspect_and_kept(territory_db, tmp_path, catalogue):
    f = mef_csv(
        tmp_path / "gasto.csv",
        [
            line(month=1, pim=1000, dev=100, MONTO_GIRADO=100),
            line(month=2, pim=0, dev=-250.5, MONTO_GIRADO=-250.5),  # reverses more than was executed
            line(month=3, pim=0, dev=400, MONTO_GIRADO=400),
        ],
    )
    r = load(territory_db, "budget", f)
    assert r.status == "loaded" and r.problems == []
    suspect = [w for w in r.warnings if "sospechoso" in w]
    assert [suspected(w) for w in suspect] == ["comprometido", "devengado", "girado"]  # line() copies dev
    assert "devengado acumulado negativo" in suspect[1] and "-150.50" in suspect[1] and "mes 02" in suspect[1]
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 2)[1] == pytest.approx(-150.5)
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 3)[1] == pytest.approx(249.5)
    stored = rows(
        territory_db, "select message from etl_batch where source = 'budget' and status = 'loaded'"
    )[0][0]
    assert "valor sospechoso" in stored
    # mef.non_negative: [] means no measure is checked (not "all of them").
    none = dataclasses.replace(catalogue, mef={**catalogue.mef, "non_negative": []})
    r = load(territory_db, "budget", f, force=True, catalogue=none)
    assert r.status == "loaded" and not [w for w in r.warnings if "sospechoso" in w]
    only_girado = dataclasses.replace(catalogue, mef={**catalogue.mef, "non_negative": ["girado"]})
    r = load(territory_db, "budget", f, force=True, catalogue=only_girado)
    assert [suspected(w) for w in r.warnings if "sospechoso" in w] == ["girado"]
    wrong = dataclasses.replace(catalogue, mef={**catalogue.mef, "non_negative": ["devengdo"]})
    r = load(territory_db, "budget", f, force=True, catalogue=wrong)
    assert r.exit_code == 4 and "devengdo" in r.message


# --- "Devengado Mensual": 73 columns --------------------------------------------------------------------------


def accrual(product="3033255", dept="09", months=(), **amounts) -> dict:
    """One row of the 73-column file: ``months`` the devengado of January, February…; the year's is their sum."""
    r = line(product=product, dept=dept, dep_ejec=dept)
    monthly = dict(zip(MONTHS, [*months, *[0] * (12 - len(months))], strict=True))
    r.update({f"MONTO_DEVENGADO_{m}": v for m, v in monthly.items()})
    r.update(MONTO_DEVENGADO_ANUAL=round(sum(monthly.values()), 2))
    r.update({f"MONTO_{k.upper()}": v for k, v in amounts.items()})
    return r


def test_devengado_mensual_reads_every_year_to_date_amount_at_the_cutoff_month(territory_db, tmp_path):
    assert len(DEVENGADO_MENSUAL) == 73
    ytd = dict(pia=800, pim=1000, certificado_anual=900.5, comprometido_anual=850, girado_anual=340.25)
    f = mef_csv(
        tmp_path / f"{LAST_YEAR}-Gasto-Devengado-Mensual.csv",
        [
            accrual(months=(100, 200.5, 90, -40.25), **ytd),  # April reverses part of March
            accrual(
                product="3033256",
                months=(10, 0, 0, 5),
                pia=0,
                pim=50,
                certificado_anual=15,
                comprometido_anual=15,
                girado_anual=15,
            ),
        ],
        columns=DEVENGADO_MENSUAL,
    )
    r = load(territory_db, "budget", f)
    assert r.status == "loaded", r.problems
    assert not [w for w in r.warnings if "desconocidas" in w or "ignora" in w]
    assert any("al mes 04" in w and "--mes-corte" in w for w in r.warnings)
    got = rows(
        territory_db,
        "select month, pia, pim, certificado, comprometido_anual, devengado, girado from raw_budget "
        "where product_code = '3033255' order by month",
    )
    # Each month's devengado; the year-to-date amounts once, at the cut-off month (April), not at January.
    assert got == [
        (1, None, None, None, None, 100.0, None),
        (2, None, None, None, None, 200.5, None),
        (3, None, None, None, None, 90.0, None),
        (4, 800.0, 1000.0, 900.5, 850.0, -40.25, 340.25),
    ]
    assert execution(territory_db, "PAN_B_CRED", "09", LAST_YEAR, 4)[1:] == (350.25, 1000)
    # --mes-corte names the month the file was cut: a later month with devengado is a located problem.
    r = load(territory_db, "budget", f, force=True, options={"cutoff_month": 3})
    assert r.status == "refused"
    assert {(p.row, p.column) for p in r.problems} == {
        (2, "MONTO_DEVENGADO_ABRIL"),
        (3, "MONTO_DEVENGADO_ABRIL"),
    }
    assert "posterior al mes de corte" in r.problems[0].reason


def test_devengado_mensual_whose_year_total_is_not_the_sum_of_its_months_is_refused_by_row(
    territory_db, tmp_path
):
    good = accrual(months=(100, 200), pim=1000, certificado_anual=400, girado_anual=300)
    bad = accrual(product="3033256", months=(10, 20), pim=50)
    bad["MONTO_DEVENGADO_ANUAL"] = 40
    f = mef_csv(tmp_path / "devengado.csv", [good, bad], columns=DEVENGADO_MENSUAL)
    r = load(territory_db, "budget", f, force=True)  # 1 of 2 rows rejected: past the threshold
    assert r.status == "partial" and r.rows_loaded == 1
    assert [(p.row, p.column, p.value) for p in r.problems] == [(3, "MONTO_DEVENGADO_ANUAL", "40")]
    assert "no es la suma del devengado de los meses (30" in r.problems[0].reason
    assert rows(territory_db, "select sum(devengado), sum(certificado), sum(girado) from raw_budget") == [
        (300.0, 400.0, 300.0)
    ]
