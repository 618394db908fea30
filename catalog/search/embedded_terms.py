"""The embedded index's vocabulary: the document frequency of each term (`search_terms`), kept by every write, and
the `Vocabulary` each backend builds from it and keeps.

A write adds and subtracts the terms of the documents it touched and bumps `terms_version`. It also logs those
changes in `search_terms_log` (version, term, delta). A backend whose vocabulary is of an older version applies the
logged changes since then to it (`Vocabulary.changed`) instead of loading every term again: that reload cost about
1.4 s at 100,000 documents, and with a trickle of writes nearly every search paid it.

The log keeps the changes of the last `KEEP_VERSIONS` versions, and at most `KEEP_ROWS` rows (when it grows past
that, the oldest versions go until half are left). `terms_floor` (in `search_meta`) is the version
after which it holds every change. A backend whose version is older than the floor loads the whole vocabulary, as
does everyone after a rebuild, a reset, or one write of more than `MAX_LOGGED` terms (these empty the log and move
the floor up to their version). Several API processes share one file, each with its own vocabulary: a reader takes
the version, the floor and the logged rows in one read transaction, so they describe one state of the file, and each
process sees the others' writes at its next search. A version without a logged row (bumped by a writer that does not
log: an older mulu on the same file) makes the reader load it all too.
"""
from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from contextlib import contextmanager
from typing import Any, Iterator

from catalog.search.analysis import MAX_TERM, Vocabulary, normalise, standard_terms

KEEP_VERSIONS = 1000  # single writes log a few dozen terms each
KEEP_ROWS = 20_000  # a reader catching up over the whole log reads this many rows at most
MAX_LOGGED = 5000  # < KEEP_ROWS / 2; a write changing more terms than this (an import batch, a rebuild) makes readers load it all

# Made by the first write that logs, not when the index is opened: opening an index of this format only reads
# (a request holding the database's write lock may open the backend on the same file).
LOG_TABLE = ("CREATE TABLE IF NOT EXISTS search_terms_log (version INTEGER NOT NULL, term TEXT NOT NULL, "
             "delta INTEGER NOT NULL, PRIMARY KEY (version, term)) WITHOUT ROWID")
UPSERT = "INSERT INTO search_terms(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df"


def bump(conn: sqlite3.Connection, key: str, by: int = 1) -> int:
    """Add `by` to the counter `key` of search_meta; its new value."""
    row = conn.execute("INSERT INTO search_meta(key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value RETURNING value", (key, by)).fetchone()
    return int(row[0])


def meta(conn: sqlite3.Connection, key: str) -> int | None:
    row = conn.execute("SELECT value FROM search_meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else int(row[0])


def _set(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute("INSERT INTO search_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (key, value))


def apply_terms(conn: sqlite3.Connection, delta: Counter[str], *, logged: bool = True) -> None:
    """Add `delta` to the document frequencies, inside the caller's write transaction. A term that falls to 0 goes
    (only the terms of this write are looked at). Logged: readers apply the same changes to their vocabulary.
    Not logged (a rebuild, a reset): the version moves even without changes and every reader loads it all."""
    changes = [(t, n) for t, n in delta.items() if n]
    if changes:
        conn.executemany(UPSERT, changes)
        conn.executemany("DELETE FROM search_terms WHERE term = ? AND df <= 0", [(t,) for t, n in changes if n < 0])
    elif logged:
        return
    version = bump(conn, "terms_version")
    if not logged or len(changes) > MAX_LOGGED:
        restart_log(conn, version)
        return
    floor = meta(conn, "terms_floor")
    if floor is None:  # the first logged write to this file
        conn.execute(LOG_TABLE)
        _set(conn, "terms_floor", floor := version - 1)
        _set(conn, "terms_log_rows", 0)
    conn.executemany("INSERT INTO search_terms_log(version, term, delta) VALUES (?, ?, ?)",
                     [(version, t, n) for t, n in changes])
    _prune(conn, floor=floor, version=version, rows=bump(conn, "terms_log_rows", len(changes)))


def _prune(conn: sqlite3.Connection, *, floor: int, version: int, rows: int) -> None:
    """Drop the versions the log no longer keeps (by count of versions, then of rows) and move the floor up."""
    upto = version - KEEP_VERSIONS
    if rows > KEEP_ROWS:
        # the newest version outside the newest half of the rows: older than this write (at most MAX_LOGGED rows)
        row = conn.execute("SELECT version FROM search_terms_log ORDER BY version DESC LIMIT 1 OFFSET ?",
                           (KEEP_ROWS // 2,)).fetchone()
        upto = max(upto, int(row[0]) if row else upto)
    if upto > floor:
        deleted = conn.execute("DELETE FROM search_terms_log WHERE version <= ?", (upto,)).rowcount
        _set(conn, "terms_floor", upto)
        bump(conn, "terms_log_rows", -deleted)


def restart_log(conn: sqlite3.Connection, version: int) -> None:
    """Forget the logged changes: a reader of a version before `version` loads the whole vocabulary."""
    conn.execute(LOG_TABLE)
    conn.execute("DELETE FROM search_terms_log")
    _set(conn, "terms_floor", version)
    _set(conn, "terms_log_rows", 0)


@contextmanager
def _reading(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction (one snapshot of a WAL file) unless the connection is already in one."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


class VocabularyCache:
    """One backend's vocabulary and its version: brought up to the file's version at each read, by the logged
    changes when the log reaches back to it, else by loading every term."""

    def __init__(self, *, standards: Any) -> None:
        self.standards = standards
        self._fixed = frozenset(t for t in (normalise(x) for x in standard_terms(standards)) if 2 <= len(t) <= MAX_TERM)
        self._lock = threading.Lock()  # one thread catches up; the others wait for its result
        self._cached: tuple[int, Vocabulary] | None = None
        self.loads = 0  # full loads (tests and the benchmark read these)
        self.catch_ups = 0

    def get(self, conn: sqlite3.Connection) -> Vocabulary:
        with self._lock, _reading(conn):
            version = meta(conn, "terms_version") or 0
            cached = self._cached
            if cached is not None and cached[0] == version:
                return cached[1]
            rows = self._changes(conn, since=cached[0], version=version) if cached is not None else None
            if cached is not None and rows is not None:
                vocab = cached[1].changed(rows, fixed=self._fixed)
                self.catch_ups += 1
            else:
                vocab = self.load(conn)
                self.loads += 1
            self._cached = (version, vocab)
            return vocab

    @staticmethod
    def _changes(conn: sqlite3.Connection, *, since: int, version: int) -> list[tuple[str, int]] | None:
        """The logged changes after version `since` up to `version`, in order; None when the log does not hold them
        all: older than the floor, or a version without a row (a logged write always has one; a version bumped by a
        writer that does not log, such as an older mulu on the same file, has none)."""
        floor = meta(conn, "terms_floor")
        if floor is None or not floor <= since < version:
            return None
        rows = conn.execute("SELECT version, term, delta FROM search_terms_log WHERE version > ? AND version <= ? "
                            "ORDER BY version", (since, version)).fetchall()
        if len({v for v, _, _ in rows}) != version - since:
            return None
        return [(term, delta) for _, term, delta in rows]

    def load(self, conn: sqlite3.Connection) -> Vocabulary:
        """Every term of the index plus the standards' terms. Terms that normalise alike (GDP, gdp) add up, as
        their changes do in `Vocabulary.changed`."""
        df: Counter[str] = Counter()
        for term, n in conn.execute("SELECT term, df FROM search_terms"):
            df[normalise(term)] += n
        return Vocabulary([*df, *standard_terms(self.standards)], df=dict(df))

    def clear(self) -> None:
        with self._lock:
            self._cached = None
