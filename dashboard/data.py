"""The dashboard's access to the warehouse: one read-only DuckDB connection per version of the file, one cursor
per thread, each request pinned to one version while the ETL may swap in the next. Slow-changing lookups
(catalogue, territories, periods) and repeated queries are cached per version."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import cachetools
import duckdb
import pandas as pd

from warehouse.access import Asker, Refused, permit
from warehouse.db import connect_readonly, reader_cursor

from . import format as fmt
from .lookups import Snapshot, read_snapshot
from .reads import named_query
from .state import Filters

if TYPE_CHECKING:
    from .components.region_map import Shapes

log = logging.getLogger(__name__)

__all__ = ["FULL_ACCESS", "Access", "Forbidden", "Version", "Warehouse"]  # access names: dashboard.access


class Forbidden(PermissionError):
    """The caller may not see what was asked for (another region, figures below the region level)."""


@dataclass(frozen=True)
class Access:
    """What the person behind the current request may see: ``regions`` (None = all), whether figures below the
    region level (provinces, districts, facilities, executing units: not for the public, who see published
    region-level figures only) and the administrator's pages. Outside a request (CLI, tests): everything."""

    regions: frozenset[str] | None = None
    below_region: bool = True
    admin: bool = True  # data-quality details (load history, quarantined rows) and the upload page


FULL_ACCESS = Access()


def read_arguments(wh: Warehouse, fn: Callable, args: tuple, kwargs: dict) -> dict[str, object]:
    """The keyword arguments to run ``fn(*args, **kwargs)``, a declared ``warehouse.query`` read, with for the
    current user (their regions as ``allowed`` when the read filters by region), or :class:`Forbidden`. The rules
    are the read's declaration (:mod:`warehouse.access`: closed by default), applied to who asks."""
    asker = Asker(
        regions=wh.allowed, below_region=wh.below_region, admin=wh.admin, published=wh.server_allowed
    )
    try:
        return permit(fn, asker, *args, **kwargs)
    except Refused as e:
        raise Forbidden(str(e)) from e


class Flights:
    """One computation of a key at a time: a request that needs what another request is computing waits for its
    answer instead of computing it too (fifty colleagues opening the same page as the month lands)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[object, list] = {}  # key: [its lock, requests holding or waiting for it]

    @contextlib.contextmanager
    def of(self, key: object) -> Iterator[None]:
        with self._lock:
            entry = self._keys.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._lock:
                entry[1] -= 1
                if not entry[1]:
                    del self._keys[key]


class Version:
    """One opened warehouse file: its connection, a cursor per thread, what the pages need of it (its snapshot) and
    its query cache. A file, once opened, never changes (writers rename a new one over the path), so nothing
    cached here can go stale: it dies with the version."""

    def __init__(
        self, path: Path, stamp: tuple[int, int], number: int, cache_bytes: int, threads: int | None = None
    ):
        self.con = connect_readonly(path)
        if threads:  # this in-memory database's own setting (each version has one)
            self.con.execute(f"set threads = {int(threads)}")
        self.stamp = stamp
        self.number = number
        self.users = 0  # requests pinned to this version (guarded by the Warehouse's lock)
        self.retired = False
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._lock = threading.Lock()
        self.snapshot: Snapshot | None = None
        self.cache: cachetools.LRUCache = cachetools.LRUCache(cache_bytes, getsizeof=_frame_bytes)
        # pages' layouts as sent (dashboard.response_cache), in a quarter of the same budget
        self.layouts: cachetools.LRUCache = cachetools.LRUCache(max(1, cache_bytes // 4), getsizeof=len)
        # pages' callback answers as sent (dashboard.response_cache), in another quarter
        self.answers: cachetools.LRUCache = cachetools.LRUCache(max(1, cache_bytes // 4), getsizeof=len)
        self.cache_lock = threading.Lock()
        self.flights = Flights()  # what is being computed for its caches

    def keep(self, store: cachetools.LRUCache, key: object, value: object) -> None:
        """Keep ``value`` under ``key`` in one of this version's caches; one larger than the whole cache is not kept."""
        with self.cache_lock, contextlib.suppress(ValueError):
            store[key] = value

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = reader_cursor(self.con)
            with self._lock:
                self._cursors.append(cur)
        return cur

    def close(self) -> None:
        with self._lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
        self.con.close()


def _frame_bytes(df: pd.DataFrame) -> int:
    """About what a cached frame holds: its arrays, and ~56 bytes per text cell (pandas' exact count walks every
    string and costs milliseconds per frame; the cache needs a bound, not an audit)."""
    text = sum(1 for dtype in df.dtypes if pd.api.types.is_object_dtype(dtype))
    return int(df.memory_usage(index=True, deep=False).sum()) + 56 * text * len(df) + 1024


def _hashable(value: object) -> object:
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(_hashable(v) for v in value))
    return value


T = TypeVar("T")


class Warehouse:
    """The warehouse file a process serves. Each request is pinned to one version of the file (:meth:`pin`), so
    that all its queries read the same data even if a load swaps in a new file meanwhile; the new file is opened
    on the next request, and the old one closed when its last request ends."""

    def __init__(
        self,
        path: str | os.PathLike,
        allowed: frozenset[str] | None = None,
        cache_bytes: int = 64 << 20,
        threads: int | None = None,
    ):
        self.path = Path(path)
        self.threads = threads  # DuckDB's per query (None or 0: its default, one per core)
        self.server_allowed = allowed  # a regional server's regions (``semaforo serve --regiones``)
        self.access: Callable[[], Access] = lambda: FULL_ACCESS  # the current user's, set by dashboard.auth
        self.cache_bytes = cache_bytes
        self._lock = threading.Lock()
        self._local = threading.local()
        self._version: Version | None = None
        self._opened = 0
        self.shapes: Shapes | None = None  # region polygons when the app was given a boundaries GeoJSON
        self._pool: tuple[int, ThreadPoolExecutor] | None = None  # together's threads: (their process, them)

    # --- versions -------------------------------------------------------------------------------------------

    def _file_stamp(self) -> tuple[int, int]:
        st = self.path.stat()
        return st.st_ino, st.st_mtime_ns

    def _current(self, pin: bool = False) -> Version:
        """The version of the file now at the path (opened if new); with ``pin``, counted as in use."""
        try:
            stamp = self._file_stamp()
        except FileNotFoundError:
            if self._version is None:
                raise
            stamp = self._version.stamp  # moved away mid-swap or by hand: keep serving what is open
        with self._lock:
            v = self._version
            if v is None or v.stamp != stamp:
                new = self._open(stamp, keep=v)
                if v is not None and new is not v:
                    v.retired = True
                    if v.users == 0:
                        v.close()
                self._version = v = new
            if pin:
                v.users += 1
            return v

    def _open(self, stamp: tuple[int, int], keep: Version | None) -> Version:
        try:
            self._opened += 1
            v = Version(self.path, stamp, self._opened, self.cache_bytes, self.threads)
        except Exception:
            if keep is None:
                raise
            # Serve the version we have rather than fail users; the next request tries again.
            log.exception(
                "no se pudo abrir la nueva versión de %s; se sigue sirviendo la anterior", self.path
            )
            return keep
        log.info("almacén %s: versión %d abierta", self.path, v.number)
        return v

    def pin(self) -> Version:
        """Pin this thread's request to the current version (until :meth:`release`)."""
        self.release()
        v = self._local.pinned = self._current(pin=True)
        self._local.memo = {}
        return v

    def release(self) -> None:
        self._local.__dict__.pop("memo", None)
        v = self._local.__dict__.pop("pinned", None)
        if v is None:
            return
        with self._lock:
            v.users -= 1
            if v.retired and v.users == 0:
                v.close()

    @property
    def pinned(self) -> Version | None:
        """The version this thread's request is pinned to, if any."""
        return getattr(self._local, "pinned", None)

    @property
    def version(self) -> Version:
        """The version this thread reads: its request's, or the current one outside a request."""
        return self.pinned or self._current()

    @property
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the version it reads."""
        return self.version.cursor()

    # --- who may see what -----------------------------------------------------------------------------------

    def _access(self) -> Access:
        """The current request's access (:meth:`together`'s threads: their request's, which they cannot read)."""
        given: Access | None = getattr(self._local, "access", None)
        return given if given is not None else self.access()

    def together(self, *jobs: Callable[[], T]) -> list[T]:
        """``jobs()`` run at once, each in a thread reading this request's version for this request's user and
        sharing its memo; their results in order. A page's few small queries each keep DuckDB on about one core
        (too few rows to split), so the next one need not wait for it on a machine with more."""
        v, access, memo = self.version, self._access(), getattr(self._local, "memo", None)

        def run(job: Callable[[], T]) -> T:
            self._local.pinned, self._local.access, self._local.memo = v, access, memo
            try:
                return job()
            finally:  # the request holds the pin (users) until every job is done
                del self._local.pinned, self._local.access, self._local.memo

        return list(self._threads().map(run, jobs))

    def _threads(self) -> ThreadPoolExecutor:
        """This warehouse's reading threads, made on first use in each process: a forked worker inherits none of
        its parent's threads, and a pool whose threads died (a test server stopped by killing its threads) takes
        no new ones, so each warehouse, and each process, has its own."""
        with self._lock:
            if self._pool is None or self._pool[0] != os.getpid():
                self._pool = (
                    os.getpid(),
                    ThreadPoolExecutor(max_workers=4, thread_name_prefix="semaforo-read"),
                )
            return self._pool[1]

    @property
    def allowed(self) -> frozenset[str] | None:
        """The regions the current request may see: the server's and the user's (None = all)."""
        mine = self._access().regions
        if self.server_allowed is None:
            return mine
        return self.server_allowed if mine is None else self.server_allowed & mine

    @property
    def below_region(self) -> bool:
        """Whether the current request may see figures below the region level."""
        return self._access().below_region

    @property
    def admin(self) -> bool:
        """Whether the current request may see the administrator's details: load history, quarantined rows (they
        name every region's files, so never on a regional server) and the upload page."""
        return self._access().admin and self.server_allowed is None

    def query(self, fn: Callable[..., pd.DataFrame], *args: object, **kwargs: object) -> pd.DataFrame:
        """``fn(cursor, *args, allowed=…, **kwargs)`` — a declared ``warehouse.query`` function — for the current
        user: refused (:class:`Forbidden`) unless its declaration lets them see it (:func:`warehouse.access.permit`:
        undeclared, admin only, below the region; the dashboard's side in :func:`read_arguments`);
        cached per version and scope; a copy each time (callers add columns)."""
        allowed = self.allowed
        permitted = read_arguments(self, fn, args, kwargs)
        v = self.version
        key = (fn.__name__, _hashable(args), _hashable(sorted(kwargs.items())), _hashable(allowed))
        # A request asks for the same rows more than once (a page's parts share a view); its own memo answers
        # the repeats even when the version's cache is off or has dropped them.
        memo: dict | None = getattr(self._local, "memo", None)
        df = memo.get(key) if memo is not None else None
        if df is None:
            with v.cache_lock:
                df = v.cache.get(key)
        if df is None:
            df = fn(v.cursor(), *args, **permitted)
            if self.cache_bytes:
                v.keep(v.cache, key, df)
        if memo is not None:
            memo[key] = df
        return df.copy()

    def remembered(
        self, key: tuple, compute: Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]
    ) -> pd.DataFrame:
        """``compute(cursor)`` — a read that is not a declared query, whose caller already applied the user's
        access (``key`` must name it) — once per version, from the version's cache after that; a copy each time."""
        v = self.version
        with v.flights.of(key):
            with v.cache_lock:
                df = v.cache.get(key)
            if df is None:
                df = compute(v.cursor())
                if self.cache_bytes:
                    v.keep(v.cache, key, df)
        return df.copy()

    def read(self, name: str, *args: object, **kwargs: object) -> pd.DataFrame:
        """The named query ``name`` of ``warehouse.query`` for the current user (:meth:`query`): the one place
        where the dashboard names the warehouse's reads."""
        return self.query(named_query(name), *args, **kwargs)

    @property
    def snapshot(self) -> Snapshot:
        v = self.version
        if v.snapshot is None:
            v.snapshot = read_snapshot(v.cursor())
        return v.snapshot

    def checked(self, f: Filters) -> Filters:
        """Filters this warehouse can answer: a program the catalogue does not hold (a mistyped or stale link)
        opens the first program, and a period without data the latest one, which the filter bar then shows,
        instead of an error page or a page of empty lights. (Exports of such links are 404: dashboard.export.)"""
        programs = self.snapshot.catalogue.programs
        if f.program not in programs:
            f = f.with_(program=next(iter(programs)))
        return f if self.has_period(f.program, f.period) else f.with_(period=None)

    def has_period(self, program: str, period: str | None) -> bool:
        """Whether a period filter names a month, or a year, with data of the program (a survey year counts:
        the period chooser offers it)."""
        if period is None:
            return True
        months = self.snapshot.months.get(program) or []
        if any(m.strftime("%Y-%m") == period or str(m.year) == period for m in months):
            return True
        return len(period) == 4 and int(period) in self.snapshot.years.get(program, [])  # a survey year

    def period_label(self, program: str, period: str | None, lang: str) -> str:
        """How a page names the period it shows: 'setiembre 2026' for a month; for a year, the year and the month
        its monthly figures are from ('2025 · diciembre 2025'), or the year alone when it has only survey data."""
        d = self.resolve_period(program, period)
        if not period or len(period) != 4:
            return fmt.month(d, lang)
        has_months = any(m.year == d.year for m in self.snapshot.months.get(program) or [])
        return f"{period} · {fmt.month(d, lang)}" if has_months else period

    def resolve_period(self, program: str, period: str | None) -> dt.date:
        """The month a filter means: a 'YYYY-MM' month, the last month with data of a 'YYYY' year, or the latest."""
        months = self.snapshot.months.get(program) or [m for ms in self.snapshot.months.values() for m in ms]
        if not months:
            return dt.date.today().replace(day=1)
        if period and len(period) == 7:
            return dt.date(int(period[:4]), int(period[5:]), 1)
        if period and len(period) == 4:
            in_year = [m for m in months if m.year == int(period)]
            return max(in_year) if in_year else dt.date(int(period), 12, 1)
        return max(months)
