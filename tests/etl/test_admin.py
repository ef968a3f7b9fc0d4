"""The administrative-records loader on small real-format files, messy variants included."""

from __future__ import annotations

from tests.conftest import load, rows, write


def test_loads_facility_rows_and_aggregates_to_every_level(territory_db, tmp_path):
    f = write(
        tmp_path / "his_2024_06.csv",
        "periodo,ubigeo,cod_ipress,indicador,numerador,denominador\n"
        "2024-06,010101,00010101,PAN_P_CRED,30,40\n"
        "2024-06,010102,00010102,PAN_P_CRED,10,40\n"
        "2024-06,080101,00080101,PAN_P_CRED,5,10\n",
    )
    r = load(territory_db, "admin", f)
    assert r.status == "loaded" and r.rows_loaded == 3 and r.exit_code == 0
    got = dict(
        rows(
            territory_db,
            "select territory_code, value from mart_indicator_agg "
            "where indicator_code = 'PAN_P_CRED' and territory_level in ('region', 'pais')",
        )
    )
    assert got["01"] == 50.0  # (30 + 10) / (40 + 40)
    assert got["08"] == 50.0
    assert round(got["PE"], 4) == round(100 * 45 / 90, 4)
    districts = dict(
        rows(
            territory_db,
            "select territory_code, value from mart_indicator_agg where territory_level = 'distrito'",
        )
    )
    assert districts == {"010101": 75.0, "010102": 25.0, "080101": 50.0}


def test_latin1_semicolon_decimal_comma_and_english_headers(territory_db, tmp_path):
    f = write(
        tmp_path / "his.csv",
        "Period;UBIGEO;Indicator;Numerator;Denominator\r\n"
        "2024-06;10101;pan_p_hierro;12,5;50\r\n"
        "2024-06;010102;PAN_P_HIERRO;7;50\r\n",
        "latin-1",
    )
    r = load(territory_db, "admin", f)
    assert r.status == "loaded", r.problems
    assert any("ceros a la izquierda" in w for w in r.warnings)
    assert rows(territory_db, "select ubigeo, numerator from raw_admin order by ubigeo") == [
        ("010101", 12.5),
        ("010102", 7.0),
    ]


def test_every_bad_row_is_reported_at_once_and_none_loaded(territory_db, tmp_path):
    f = write(
        tmp_path / "bad.csv",
        "periodo,ubigeo,indicador,numerador,denominador\n"
        "2024-13,010101,PAN_P_CRED,10,20\n"
        "2024-01,999999,PAN_P_CRED,5,10\n"
        "2099-01,010101,PAN_P_CRED,5,10\n"
        "2024-01,010101,NO_EXISTE,5,10\n"
        "2024-02,010101,PAN_P_CRED,abc,10\n"
        "2024-02,010102,PAN_P_CRED,-3,10\n"
        "2024-02,020101,PAN_P_CRED,30,10\n",
    )
    r = load(territory_db, "admin", f)
    assert r.status == "refused" and r.exit_code == 3
    text = "\n".join(str(p) for p in r.problems)
    for row, reason in [
        (2, "periodo mal formado"),
        (3, "ubigeo desconocido"),
        (4, "periodo futuro"),
        (5, "indicador desconocido"),
        (6, "no es un número"),
        (7, "valor negativo"),
        (8, "numerador es mayor que el denominador"),
    ]:
        assert f"bad.csv, fila {row}" in text and reason in text, (row, reason, text)
    assert rows(territory_db, "select count(*) from raw_admin") == [(0,)]
    assert rows(territory_db, "select count(*) from mart_indicator_agg") == [(0,)]
    assert rows(territory_db, "select status from etl_batch where source = 'admin'") == [("refused",)]
    assert rows(territory_db, "select count(*) from etl_quarantine")[0][0] == len(r.problems)


def test_partial_load_keeps_valid_rows_and_strict_refuses(territory_db, tmp_path):
    text = (
        "periodo,ubigeo,indicador,numerador,denominador\n"
        "2024-03,010101,PAN_P_CRED,10,20\n"
        "2024-03,010101,PAN_P_CRED,11,20\n"
        "2024-03,010102,PAN_P_CRED,5,10\n"
    )
    f = write(tmp_path / "dup.csv", text)
    strict = load(territory_db, "admin", f, strict=True)
    assert strict.status == "refused"
    assert rows(territory_db, "select count(*) from raw_admin") == [(0,)]
    r = load(territory_db, "admin", f, force=True)  # 2 of 3 rows rejected: above the 5 % threshold
    assert r.status == "partial" and r.exit_code == 1 and r.rows_loaded == 1
    assert {p.row for p in r.problems} == {2, 3}
    assert "clave duplicada" in r.problems[0].reason


def test_same_file_twice_adds_nothing_and_correction_replaces_period(territory_db, tmp_path):
    f1 = write(
        tmp_path / "m.csv", "periodo,ubigeo,indicador,numerador,denominador\n2024-05,010101,PAN_P_CRED,1,2\n"
    )
    assert load(territory_db, "admin", f1).status == "loaded"
    count = "select (select count(*) from raw_admin) + (select count(*) from etl_batch)"
    before = rows(territory_db, count)
    again = load(territory_db, "admin", f1)
    assert again.status == "skipped" and again.exit_code == 0
    assert rows(territory_db, count) == before
    f2 = write(
        tmp_path / "m2.csv", "periodo,ubigeo,indicador,numerador,denominador\n2024-05,010101,PAN_P_CRED,2,2\n"
    )
    assert load(territory_db, "admin", f2).status == "loaded"
    assert rows(territory_db, "select numerator from raw_admin") == [(2.0,)]
    assert rows(territory_db, "select status from etl_batch order by batch_id")[-2:] == [
        ("superseded",),
        ("loaded",),
    ]


def test_missing_required_column_and_empty_file_load_nothing(territory_db, tmp_path):
    r = load(
        territory_db, "admin", write(tmp_path / "nocol.csv", "periodo,ubigeo,indicador\n2024-01,010101,X\n")
    )
    assert r.status == "refused" and "numerador" in str(r.problems[0])
    r = load(territory_db, "admin", write(tmp_path / "empty.csv", ""))
    assert r.status == "refused" and "vacío" in str(r.problems[0])
    r = load(
        territory_db,
        "admin",
        write(tmp_path / "head.csv", "periodo,ubigeo,indicador,numerador,denominador\n"),
    )
    assert r.status == "refused" and "solo encabezado" in str(r.problems[0])


def test_unit_that_stops_reporting_is_no_reportado(territory_db, tmp_path):
    body = "periodo,ubigeo,indicador,numerador,denominador\n"
    load(
        territory_db,
        "admin",
        write(tmp_path / "a.csv", body + "2024-01,010101,PAN_P_CRED,1,2\n2024-01,080101,PAN_P_CRED,20,40\n"),
    )
    # 40 children: above the minimum n, so the unit that reports gets a light, not "muestra pequeña"
    load(territory_db, "admin", write(tmp_path / "b.csv", body + "2024-02,080101,PAN_P_CRED,20,40\n"))
    got = dict(
        rows(
            territory_db,
            "select territory_code, status from mart_indicator_status where period = '2024-02-01' "
            "and territory_level = 'region' and indicator_code = 'PAN_P_CRED'",
        )
    )
    assert got["01"] == "no_reportado"
    assert got["08"] in ("critico", "en_riesgo", "adecuado")


def test_a_late_report_of_one_unit_replaces_its_own_rows_only(territory_db, tmp_path):
    districts = ("010101", "010102", "010201", "010202", "010301")
    full = write(
        tmp_path / "his_2024_06.csv",
        "periodo,ubigeo,indicador,numerador,denominador\n"
        + "".join(
            f"2024-06,{ubigeo},{ind},{k},10\n"
            for k, (ubigeo, ind) in enumerate(
                (u, i) for u in districts for i in ("PAN_P_CRED", "PAN_P_VACUNA")
            )
        ),
    )
    first = load(territory_db, "admin", full)
    assert first.status == "loaded" and first.warnings == []  # nothing replaced: nothing said
    one = write(
        tmp_path / "his_2024_06_amazonas.csv",
        "periodo,ubigeo,indicador,numerador,denominador\n2024-06,010101,PAN_P_CRED,3,4\n",
    )
    # Its scope is June, Amazonas (01), CRED: 5 stored rows of which it carries 1 (20 % < 90 %): a thin cover.
    preview = load(territory_db, "admin", one, dry_run=True)
    assert preview.dry_run and preview.status == "loaded" and preview.batch_id is None
    assert preview.replacement.replaced == 1 and preview.replacement.gone["filas"] == 0
    assert preview.replacement.kept == {
        "filas": 4, "establecimientos": 0, "distritos": 4, "indicadores": 1, "meses": 1, "años": 1,
    }  # fmt: skip
    r = load(territory_db, "admin", one)
    assert r.status == "loaded"
    assert any("se conservan 4 filas" in w and "--completo" in w for w in r.warnings), r.warnings
    assert rows(territory_db, "select count(*) from raw_admin") == [(10,)]
    assert rows(territory_db, "select numerator from raw_admin where ubigeo = '010101' and "
                "indicator_code = 'PAN_P_CRED'") == [(3.0,)]  # fmt: skip
    # --completo: the file stands for the whole scope; what disappears is said first (dry run) and after.
    whole = load(territory_db, "admin", one, force=True, options={"completo": True}, dry_run=True)
    assert whole.replacement.gone["filas"] == 4 and whole.replacement.gone["distritos"] == 4
    assert rows(territory_db, "select count(*) from raw_admin") == [(10,)]  # the dry run changed nothing
    again = load(territory_db, "admin", one, force=True, options={"completo": True})
    assert any("DESAPARECEN 4 filas" in w for w in again.warnings), again.warnings
    assert rows(territory_db, "select count(*) from raw_admin where indicator_code = 'PAN_P_CRED'") == [(1,)]
    assert rows(territory_db, "select count(*) from raw_admin where indicator_code = 'PAN_P_VACUNA'") == [
        (5,)
    ]
