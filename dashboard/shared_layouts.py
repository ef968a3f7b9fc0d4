"""Layouts shared by the server's worker processes: one render per warehouse version, page and viewer for the
whole server, instead of one per worker (each of ``semaforo serve``'s workers used to render every layout itself,
and a load's new version had every one of them rendered again, by every worker, while fifty users waited).

A version's layouts are files in a folder of their own, named by the warehouse's path and the file's identity
(inode and modification time: a load renames a new file over the path, so a new version is a new folder and a
layout of the old one is never served for it). Each layout is kept as rendered (``<key>.json``) and as sent in
each encoding (``<key>.br``, ``<key>.gzip``), written whole and renamed into place; a worker that wants a layout
another one is rendering waits for it on the key's file lock. The key is a digest of the page and the viewer
(:func:`dashboard.response_cache.viewer`: who they are and what they may see), so a viewer never reads another's.

When a worker first sees a version, the layouts most asked in its previous version (at a server's start: every
page, national and per region) are rendered at once, in a background thread of one worker (a file lock), before
the crowd asks for them. The folders of older versions of the same warehouse are removed then."""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

import dash
import flask

from .data import Version, Warehouse
from .delivery import cache_root, compressed_answer

log = logging.getLogger("semaforo.web")

Page = tuple[str, str, bool]  # path, query, whether known (dashboard.app.page_url)
WARM_PAGES = 400  # at most, per version: the previous version's most asked, then every page
Compute = Callable[[], bytes | flask.Response]
WAREHOUSE = "almacen.txt"  # in a warehouse's folder: its path


def _canonical(value: object) -> object:
    """``value`` as JSON the same in every process (sets sorted: their order follows the hash seed)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            type(value).__name__,
            *(_canonical(getattr(value, f.name)) for f in dataclasses.fields(value)),
        ]
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def digest(key: object) -> str:
    return hashlib.sha256(json.dumps(_canonical(key), ensure_ascii=False).encode()).hexdigest()[:40]


@contextlib.contextmanager
def _locked(path: Path, wait: bool = True) -> Iterator[IO[bytes] | None]:
    """An exclusive lock on ``path`` (created), or None without ``wait`` when another process holds it."""
    with open(path, "a+b") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield None
            return
        try:
            yield f
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{threading.get_native_id()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class SharedLayouts:
    """The layouts of one warehouse's versions in ``folder``, shared by the processes serving it. Each process
    writes at most ``budget`` bytes per version (past that, layouts stay in its memory only). ``warm(page)`` asks
    for a page's layout as an anonymous visitor would (``None`` to warm nothing)."""

    def __init__(
        self,
        folder: Path,
        warehouse: Path,
        budget: int,
        warm: Callable[[Page], int] | None = None,
        pages: Callable[[], Iterable[Page]] | None = None,
    ):
        self.root = folder / hashlib.sha256(str(warehouse.resolve()).encode()).hexdigest()[:16]
        self.warehouse = warehouse.resolve()
        self.budget = budget
        self.warm = warm
        self.pages = pages or (lambda: ())
        self._lock = threading.Lock()
        self._written: dict[int, int] = {}  # version number → bytes this process wrote
        self._asked: dict[int, collections.Counter] = {}  # version number → pages asked of this process
        self._seen: int | None = None  # the newest version number this process has seen

    def _tidy(self) -> None:
        """Name this warehouse in its folder, and remove the folders of warehouses that are gone (a test's, a
        scratch copy's): nothing else would."""
        with contextlib.suppress(OSError):
            (self.root / WAREHOUSE).write_text(str(self.warehouse), encoding="utf-8")
        for other in self.root.parent.iterdir():
            with contextlib.suppress(OSError):
                if other != self.root and not Path((other / WAREHOUSE).read_text(encoding="utf-8")).exists():
                    shutil.rmtree(other, ignore_errors=True)

    def folder(self, v: Version) -> Path:
        return self.root / f"{v.stamp[0]}-{v.stamp[1]}"

    # --- reading and writing --------------------------------------------------------------------------------

    def get(self, v: Version, key: tuple, compute: Compute) -> bytes | flask.Response:
        """The layout of ``key`` as rendered: from the version's folder, or rendered here (``compute``: its bytes,
        or a response not to keep) while the key's lock keeps the other workers waiting for it."""
        self.seen(v)
        path = self.folder(v) / f"{digest(key)}.json"
        raw = self._read(path)
        if raw is not None:
            return raw
        with contextlib.ExitStack() as stack:
            try:
                held = stack.enter_context(_locked(path.with_suffix(".lock")))
            except OSError:  # no folder (removed by a newer version, or not writable): rendered here alone
                held = None
            if held is not None and (raw := self._read(path)) is not None:
                return raw  # rendered by another worker while this one waited
            got = compute()
            if held is not None and isinstance(got, bytes):
                self._keep(v, path, got)
            return got

    def encoded(self, v: Version, key: tuple, raw: bytes, encoding: str) -> bytes:
        """The layout ``raw`` as sent in ``encoding``: from the version's folder, or compressed here and kept."""
        path = self.folder(v) / f"{digest(key)}.{encoding}"
        body = self._read(path)
        if body is None:
            body = compressed_answer(raw, encoding)
            self._keep(v, path, body)
        return body

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            return None

    def _keep(self, v: Version, path: Path, data: bytes) -> None:
        with self._lock:
            written = self._written.get(v.number, 0)
            if written + len(data) > self.budget:
                return
            self._written[v.number] = written + len(data)
        with contextlib.suppress(OSError):  # a removed or unwritable folder: kept in memory only
            _write(path, data)

    # --- versions: their folders and the layouts rendered before they are asked ------------------------------

    def asked(self, v: Version, page: Page) -> None:
        """Count a page asked of this version (what the next version renders first)."""
        self.seen(v)
        with self._lock:
            self._asked.setdefault(v.number, collections.Counter())[page] += 1

    def seen(self, v: Version) -> None:
        """On a version this process sees for the first time: its folder made, older ones of this warehouse
        removed, and its layouts warmed in a background thread if no other process is warming them."""
        with self._lock:
            if self._seen is not None and v.number <= self._seen:
                return
            last = self._seen
            first = last is None
            previous = None if last is None else self._asked.get(last)
            self._seen = v.number
            self._asked = {n: c for n, c in self._asked.items() if n >= v.number - 1}
        folder = self.folder(v)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            log.info("sin diseños compartidos en %s (%s): cada proceso los calcula", folder, e)
            return
        for old in self.root.iterdir():
            with contextlib.suppress(OSError):  # another worker may be removing it too
                if old != folder and old.is_dir() and old.stat().st_mtime < folder.stat().st_mtime:
                    shutil.rmtree(old, ignore_errors=True)
        if first:
            self._tidy()
        if self.warm is not None:
            asked = [p for p, _ in previous.most_common()] if previous else []
            threading.Thread(
                target=self._warm, args=(v, folder, asked), name="semaforo-warm", daemon=True
            ).start()

    def _warm(self, v: Version, folder: Path, asked: list[Page]) -> None:
        assert self.warm is not None
        try:
            with _locked(folder / ".warming", wait=False) as held:
                if held is None or (folder / ".warmed").exists():
                    return  # another worker warms (or warmed) this version
                started, done = time.perf_counter(), 0
                pages = list(dict.fromkeys([*asked, *self.pages()]))[:WARM_PAGES]
                for page in pages:
                    if self.warm(page) != 200:
                        break  # visitors must sign in: nothing to render for them
                    done += 1
                (folder / ".warmed").touch()
        except OSError:
            return  # the folder was removed: a newer version is being served
        except Exception:
            log.exception("no se pudieron precalcular los diseños de la versión %d", v.number)
            return
        log.info(
            "versión %d: %d diseños de página calculados de antemano en %.1f s",
            v.number,
            done,
            time.perf_counter() - started,
        )


def every_page(wh: Warehouse) -> list[Page]:
    """The pages a server's visitors open, at their default filters: each page of the country, then each region's
    pages (those the server serves), region by region."""
    from .pages import PAGES

    regions = [
        r for r in wh.snapshot.regions.region_code if wh.server_allowed is None or r in wh.server_allowed
    ]
    national = [(p.path, "", True) for p in PAGES]
    regional = [(f"{p.path}/{r}", "", True) for r in regions for p in PAGES if p.regional]
    return national + regional


def for_server(app: dash.Dash, wh: Warehouse) -> SharedLayouts:
    """The layouts of ``wh`` shared by the workers of a server (in ``cache_root()/layouts``), warmed by asking
    ``app`` for them in-process as an anonymous visitor would."""
    url = app.config.routes_pathname_prefix + "_dash-layout"

    def warm(page: Page) -> int:
        path, query, _known = page
        headers = {"Referer": f"http://localhost{path}{query}", "Accept-Encoding": "br"}
        return app.server.test_client().get(url, headers=headers).status_code

    return SharedLayouts(
        cache_root() / "layouts", wh.path, max(1, wh.cache_bytes // 4), warm, lambda: every_page(wh)
    )
