"""No traceback reaches a user: an error no command anticipated is one line naming what failed and the file
holding the full trace, with exit code 5 (never 0, nor 1, which means a partial load)."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from etl import cli
from etl.cli import loading
from etl.crash import EXIT_UNEXPECTED
from semaforo.cli import run


def semaforo(*args: str, traces: Path) -> subprocess.CompletedProcess[str]:
    """``semaforo ARGS`` as the installed command runs it (``semaforo.cli.run``: the crash handler, the exit code),
    in this process with its output captured: a child process would cost 0.7 CPU-second to start and add nothing
    these tests check (``python -m semaforo`` itself starts in ``tests/test_layering.py``)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "argv", ["semaforo", *args])
        mp.setenv("SEMAFORO_TRAZAS", str(traces))
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            pytest.raises(SystemExit) as ended,
        ):
            run()
    code = ended.value.code  # as a process exits: None is 0, a message 1
    returncode = code if isinstance(code, int) else 0 if code is None else 1
    return subprocess.CompletedProcess(args, returncode, out.getvalue(), err.getvalue())


def trace_file(stderr: str) -> Path:
    m = re.search(r"detalle completo en (\S+)", stderr)
    assert m, stderr
    return Path(m[1])


def test_an_unanticipated_error_is_one_line_and_a_trace_file(tmp_path):
    # A real gap: the users file's folder does not exist (an OSError the command does not handle).
    proc = semaforo(
        "usuarios", "agregar", str(tmp_path / "no" / "existe" / "u.yaml"), "ana", "--rol", "admin",
        "--clave", "una-clave-larga", traces=tmp_path / "trazas",
    )  # fmt: skip
    assert proc.returncode == EXIT_UNEXPECTED == 5
    assert "Traceback" not in proc.stderr + proc.stdout
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("Error inesperado en «semaforo usuarios»: FileNotFoundError: ")
    trace = trace_file(line)
    assert trace.parent == tmp_path / "trazas"
    text = trace.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "FileNotFoundError" in text
    assert "usuarios agregar" in text.splitlines()[1]


def test_a_bug_inside_load_exits_5_not_1(monkeypatch, tmp_path, capsys):
    def broken(*args, **kwargs):
        raise KeyError("batch_id")

    monkeypatch.setattr(loading, "load_file", broken)
    monkeypatch.setenv("SEMAFORO_TRAZAS", str(tmp_path))
    f = tmp_path / "x.csv"
    f.write_text("COD_IPRESS,NOMBRE,UBIGEO\n00099999,P.S. NUEVO,010101\n", encoding="utf-8")
    monkeypatch.setattr(
        sys, "argv", ["semaforo", "load", "--db", str(tmp_path / "w.duckdb"), "facilities", str(f)]
    )
    with pytest.raises(SystemExit) as e:
        cli.run()
    assert e.value.code == 5
    err = capsys.readouterr().err
    assert "Error inesperado en «semaforo load»: KeyError: 'batch_id'" in err
    assert "Traceback" not in err and trace_file(err).exists()


def test_usage_errors_and_refusals_keep_their_own_codes(tmp_path):
    proc = semaforo("load", "--db", str(tmp_path / "w.duckdb"), "presupuesto", "x.csv", traces=tmp_path)
    assert proc.returncode == 2 and "Error inesperado" not in proc.stderr


def test_without_a_writable_trace_folder_it_is_still_one_line(tmp_path):
    blocked = tmp_path / "archivo"
    blocked.write_text("no es una carpeta", encoding="utf-8")
    proc = semaforo(
        "usuarios", "agregar", str(tmp_path / "no" / "u.yaml"), "ana", "--rol", "admin", "--clave", "una-clave-larga",
        traces=blocked / "trazas",
    )  # fmt: skip
    assert proc.returncode == 5
    (line,) = proc.stderr.strip().splitlines()
    assert "no se pudo escribir el detalle en" in line and "Traceback" not in line


def test_ctrl_c_exits_130_not_1(monkeypatch, tmp_path, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(loading, "load_file", interrupted)
    f = tmp_path / "x.csv"
    f.write_text("COD_IPRESS,NOMBRE,UBIGEO\n00099999,P.S. NUEVO,010101\n", encoding="utf-8")
    monkeypatch.setattr(
        sys, "argv", ["semaforo", "load", "--db", str(tmp_path / "w.duckdb"), "facilities", str(f)]
    )
    with pytest.raises(SystemExit) as e:
        cli.run()
    assert e.value.code == 130
    assert "Interrumpido" in capsys.readouterr().err


def test_version_help_and_success_exit_0(tmp_path):
    for args in (["--version"], ["--help"], ["status", "--help"]):
        proc = semaforo(*args, traces=tmp_path)
        assert proc.returncode == 0 and proc.stdout, (args, proc.stderr)
