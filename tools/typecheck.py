"""mypy with a baseline that may only shrink: ``python -m tools.typecheck`` (``make test`` runs it).

mypy's settings are in pyproject.toml (strict on warehouse/, gradual elsewhere). The errors known when the check
was introduced are listed in ``tools/mypy-baseline.txt`` without line numbers (so that editing a file does not
move them). The check fails on any error not in the baseline, and on baseline entries that no longer occur, so
that a fix is recorded: ``python -m tools.typecheck --update`` rewrites the list (only ever shorter — review it).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
_ERROR = re.compile(
    r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: error: (?P<message>.+?)(?:\s+\[(?P<code>[\w-]+)\])?$"
)


def current() -> tuple[Counter[str], str]:
    """The errors mypy reports now, as baseline entries, and its full output."""
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--show-error-codes", "--no-pretty"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode not in (0, 1):
        raise SystemExit(f"mypy no pudo ejecutarse (código {proc.returncode}):\n{proc.stderr or proc.stdout}")
    entries: Counter[str] = Counter()
    for line in proc.stdout.splitlines():
        m = _ERROR.match(line)
        if m:
            entries[f"{m['path']}: [{m['code'] or 'misc'}] {m['message']}"] += 1
    return entries, proc.stdout


def baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    return Counter(
        x for x in BASELINE.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update", action="store_true", help="reescribir la línea base con los errores de hoy"
    )
    args = parser.parse_args(argv)
    now, output = current()
    known = baseline()
    strict = sorted(e for e in known if e.startswith("warehouse/"))
    if strict:
        print(f"warehouse/ se revisa estricto, sin línea base: quite {strict[0]!r}")
        return 1
    new, fixed = now - known, known - now
    if args.update:
        header = "# mypy errors known in code not yet fully typed (tools/typecheck.py); this list may only shrink.\n"
        BASELINE.write_text(header + "".join(f"{e}\n" for e in sorted(now.elements())), encoding="utf-8")
        print(
            f"{BASELINE.name}: {sum(now.values())} errores ({sum(new.values())} nuevos, {sum(fixed.values())} corregidos)"
        )
        return 0
    for entry in sorted(new.elements()):
        path = entry.split(":", 1)[0]
        lines = [x for x in output.splitlines() if x.startswith(path + ":") and entry.split("] ", 1)[1] in x]
        print(f"error nuevo de tipos: {lines[0] if lines else entry}")
    for entry in sorted(fixed.elements()):
        print(f"corregido (quítelo de la línea base con --update): {entry}")
    if new or fixed:
        return 1
    print(f"mypy: sin errores nuevos ({sum(now.values())} en la línea base, a reducir)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
