"""The output folder of ``semaforo compute``: built beside the target and renamed over it only when complete;
what killed runs left behind is removed."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from ..load import program_version
from .report import PROBLEMS, SUMMARY, ComputeReport


def remove_abandoned(out: Path) -> None:
    """Scratch folders of runs that were killed (their process is gone): they may hold extracted HIS masters."""
    for stale in out.parent.glob(f"{out.name}.tmp-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except (ProcessLookupError, OverflowError):
            shutil.rmtree(stale, ignore_errors=True)
        except PermissionError:  # another user's live process
            continue


def count_parquet(folder: Path) -> dict[str, int]:
    """Output rows per indicator, read back from the files written (whichever engine wrote them)."""
    import duckdb

    if not any(folder.rglob("*.parquet")):
        return {}
    return dict(
        duckdb.execute(
            f"select indicador, count(*) from read_parquet('{folder}/**/*.parquet') group by 1"
        ).fetchall()
    )


def finish(work: Path, out: Path, report: ComputeReport, chosen) -> None:
    """Move the data and the quarantine into place: the new folder replaces the old one in one rename."""
    final = work.with_name(f"{out.name}.new-{os.getpid()}")
    shutil.rmtree(final, ignore_errors=True)
    (work / "datos").mkdir(exist_ok=True)
    (work / "datos").rename(final)
    if (work / PROBLEMS).exists():
        shutil.move(work / PROBLEMS, final / PROBLEMS)
    summary = report.as_dict() | {
        "generado": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "programa": program_version(),
        "definiciones_texto": {d.indicator: d.describe() for d in chosen},
        "ajustes": {d.indicator: d.adjustment.code for d in chosen if d.adjustment},
        "fuentes": {d.indicator: d.source for d in chosen},
        "no_verificado": {d.indicator: d.unverified for d in chosen if d.unverified},
    }
    (final / SUMMARY).write_text(
        json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    old = out.with_name(f"{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    final.rename(out)
    shutil.rmtree(old, ignore_errors=True)
