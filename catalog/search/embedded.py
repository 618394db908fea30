"""The embedded search backend: SQLite FTS5 over CJK bigrams, facets by GROUP BY, no server needed.

Tables and rows: `embedded_schema`; a query plan compiled to SQL and ranked: `embedded_query`; the vocabulary's
document frequencies and their change log: `embedded_terms`. This module keeps the connections, the writes of
documents and the reads. No result cache: every search runs its statement (the benchmark measures it cold).
"""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from catalog.search.analysis import Vocabulary, lexicon_for
from catalog.search.base import Progress, SearchQuery, SearchResult, Visibility
from catalog.search.documents import SearchDocument
from catalog.search.embedded_query import phrase, run, where_sql
from catalog.search.embedded_schema import (
    BATCH, DELETE_RANK, DOC_COLUMNS, DROP, FORMAT, INSERT_FTS, INSERT_KEYS, INSERT_RANK, INSERT_TEXT, RANK_TABLES,
    RESTATE_DOC, RESTATE_KEYS, SCHEMA, TABLES, WEIGHTS, doc_id, doc_row, fts_row, key_row, next_id, rank_id, restate_rows, same_text,
    terms_of, text_row,
)
from catalog.search.embedded_terms import VocabularyCache, apply_terms, bump
from catalog.search.labels import facet_label
from catalog.search.plan import Planner, QueryPlan, explain, nearby, pinyin_prefix

_SCHEMA_TABLES = frozenset(re.findall(r"CREATE (?:VIRTUAL )?TABLE IF NOT EXISTS (\w+)", SCHEMA))


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (taken at once: no upgrade from a read lock to fail), rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


MMAP_BYTES = 1 << 30  # address space, not memory: the OS pages the index file in and out
CACHE_KIB = 32 * 1024  # per connection (one per thread)
REBUILD_CACHE_KIB = 512 * 1024  # while rebuilding


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, *, path: Path, standards: Any) -> None:
        self.path = Path(path)
        self.standards = standards
        self.planner = Planner(lexicon=lexicon_for(standards), departments=standards.departments.values())
        self._local = threading.local()
        self.vocab = VocabularyCache(standards=standards)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.stale = self._open()

    def _open(self) -> bool:
        """Create the tables; an index file of another format (an older mulu's) is emptied and made again in this
        one. True when that happened to an index that held documents: it must be rebuilt (`attach_to` reindexes)."""
        conn = self._conn()
        if self._current(conn):  # the usual case: a read, no write lock (a request holding the database's write
            return False        # lock may open the backend lazily on the same file: waiting here would deadlock)
        with _immediate(conn):
            conn.execute("CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID")
            row = conn.execute("SELECT value FROM search_meta WHERE key = 'format'").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            stale = False
            if (row[0] if row else None) != FORMAT:
                stale = "search_docs" in tables and conn.execute("SELECT 1 FROM search_docs LIMIT 1").fetchone() is not None
                for statement in DROP.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO search_meta(key, value) VALUES ('format', ?) ON CONFLICT(key) DO UPDATE SET "
                         "value = excluded.value", (FORMAT,))
            apply_terms(conn, Counter(), logged=False)  # a new or emptied index: every reader loads its vocabulary
            if stale:
                bump(conn, "docs_version")
        return stale

    @staticmethod
    def _current(conn: sqlite3.Connection) -> bool:
        """The file already holds this format's tables (read only)."""
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "search_meta" not in tables or not _SCHEMA_TABLES <= tables:
            return False
        row = conn.execute("SELECT value FROM search_meta WHERE key = 'format'").fetchone()
        return row is not None and row[0] == FORMAT

    # -- connections ---------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")  # pages read in place: no read() and copy per page
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- writing -------------------------------------------------------------------------------
    def index(self, docs: Iterable[SearchDocument]) -> int:
        docs = list(docs)
        if not docs:
            return 0
        conn = self._conn()
        with _immediate(conn):
            delta: Counter[str] = Counter()
            for doc in docs:
                if self._restate(conn, doc):
                    continue
                rowid = self._delete(conn, doc.code, delta) or self._free_id(conn, doc.code)
                self._insert(conn, rowid, doc)
                delta.update(terms_of(doc))
            apply_terms(conn, delta)
            bump(conn, "docs_version")
        return len(docs)

    @staticmethod
    def _free_id(conn: sqlite3.Connection, code: str) -> int:
        rowid = doc_id(code)
        while conn.execute("SELECT 1 FROM search_docs WHERE rowid = ?", (rowid,)).fetchone():
            rowid = next_id(rowid)
        return rowid

    @staticmethod
    def _insert(conn: sqlite3.Connection, rowid: int, doc: SearchDocument) -> None:
        conn.execute(f"INSERT INTO search_docs(rowid, {', '.join(DOC_COLUMNS)}) "
                     f"VALUES (?, {', '.join('?' * len(DOC_COLUMNS))})", (rowid, *doc_row(doc)))
        text = fts_row(doc)
        conn.execute(INSERT_FTS, (rowid, *text))
        conn.execute(INSERT_RANK["search_names"], (rank_id(rowid, doc.name), *text[:1]))
        conn.execute(INSERT_RANK["search_rank"], (rank_id(rowid, doc.name), *text[1:]))
        conn.execute(INSERT_TEXT, text_row(rowid, doc))
        conn.execute(INSERT_KEYS, key_row(rowid, doc))

    def _restate(self, conn: sqlite3.Connection, doc: SearchDocument) -> bool:
        """Rewrite only the facet columns and JSON of an indexed document whose text is unchanged (a state
        change): no re-tokenising, and the full-text row and vocabulary stay as they are."""
        row = conn.execute("SELECT rowid, doc FROM search_docs WHERE code = ?", (doc.code,)).fetchone()
        if row is None or not same_text(json.loads(row[1]), doc):
            return False
        doc_params, key_params = restate_rows(row[0], doc)
        conn.execute(RESTATE_DOC, doc_params)
        conn.execute(RESTATE_KEYS, key_params)
        return True

    def remove(self, codes: Iterable[str]) -> int:
        conn = self._conn()
        with _immediate(conn):
            delta: Counter[str] = Counter()
            removed = sum(1 for code in codes if self._delete(conn, code, delta))
            apply_terms(conn, delta)
            bump(conn, "docs_version")
        return removed

    def _delete(self, conn: sqlite3.Connection, code: str, delta: Counter[str]) -> int:
        """Remove `code`'s rows; its rowid (0 when it was not indexed)."""
        row = conn.execute("SELECT rowid, terms, name FROM search_docs WHERE code = ?", (code,)).fetchone()
        if row is None:
            return 0
        rowid = int(row[0])
        for statement in DELETE_RANK.values():  # before search_fts: their text is read there
            conn.execute(statement, (rank_id(rowid, row[2] or ""), rowid))
        for table in ("search_fts", "search_text", "search_facets", "search_docs"):
            conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        delta.subtract(json.loads(row[1]))
        return rowid

    def reset(self) -> None:
        conn = self._conn()
        conn.executescript(DROP + SCHEMA)
        with _immediate(conn):
            apply_terms(conn, Counter(), logged=False)
            bump(conn, "docs_version")

    def rebuild(self, docs: Iterable[SearchDocument], *, progress: Progress | None = None) -> int:
        """Drop and refill the index in batches (one transaction, so searches see old or new). Rowids are hashes, so
        the inserts land all over the tables' B-trees: a large page cache meanwhile keeps them from re-reading pages."""
        conn = self._conn()
        conn.execute(f"PRAGMA cache_size=-{REBUILD_CACHE_KIB}")
        try:
            return self._rebuild(conn, docs, progress=progress)
        finally:
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")

    def _rebuild(self, conn: sqlite3.Connection, docs: Iterable[SearchDocument], *, progress: Progress | None) -> int:
        with _immediate(conn):
            for table in TABLES:
                if table in RANK_TABLES:  # contentless
                    conn.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
                else:
                    conn.execute(f"DELETE FROM {table}")
            total, terms, batch, used = 0, Counter[str](), list[SearchDocument](), set[int]()
            for doc in docs:
                batch.append(doc)
                if len(batch) >= BATCH:
                    total += self._insert_batch(conn, batch, used, terms)
                    batch = []
                    if progress:
                        progress(total)
            total += self._insert_batch(conn, batch, used, terms)
            apply_terms(conn, terms, logged=False)
            bump(conn, "docs_version")
        self.stale = False
        if progress:
            progress(total)
        return total

    def _insert_batch(self, conn: sqlite3.Connection, batch: list[SearchDocument], used: set[int],
                      terms: Counter[str]) -> int:
        ids: list[int] = []
        for d in batch:
            rowid = doc_id(d.code)
            while rowid in used:
                rowid = next_id(rowid)
            used.add(rowid)
            ids.append(rowid)
        conn.executemany(
            f"INSERT INTO search_docs(rowid, {', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * (len(DOC_COLUMNS) + 1))})",
            [(i, *doc_row(d)) for i, d in zip(ids, batch)],
        )
        texts = [fts_row(d) for d in batch]
        conn.executemany(INSERT_FTS, [(i, *t) for i, t in zip(ids, texts)])
        ranks = [rank_id(i, d.name) for i, d in zip(ids, batch)]
        conn.executemany(INSERT_RANK["search_names"], [(r, *t[:1]) for r, t in zip(ranks, texts)])
        conn.executemany(INSERT_RANK["search_rank"], [(r, *t[1:]) for r, t in zip(ranks, texts)])
        conn.executemany(INSERT_TEXT, [text_row(i, d) for i, d in zip(ids, batch)])
        conn.executemany(INSERT_KEYS, [key_row(i, d) for i, d in zip(ids, batch)])
        for d in batch:
            terms.update(terms_of(d))
        return len(batch)

    # -- reading -------------------------------------------------------------------------------
    def vocabulary(self) -> Vocabulary:
        """The index's vocabulary at its current version (the changes since this backend's last read, applied)."""
        return self.vocab.get(self._conn())

    def plan(self, q: str) -> QueryPlan:
        return self.planner.plan(q, vocabulary=self.vocabulary()) if q.strip() else QueryPlan(q=q)

    def search(self, query: SearchQuery) -> SearchResult:
        def run_plan(p: QueryPlan, q: SearchQuery) -> SearchResult:
            return run(self._conn(), q, p, backend=self.name,
                       label=lambda facet, value: facet_label(facet, value, standards=self.standards))

        plan = self.plan(query.q)
        result = run_plan(plan, query)
        result.nearby = nearby(query, plan, result, run_plan)
        return explain(result, plan, self.vocabulary())

    def suggest(self, prefix: str, *, limit: int = 10, visibility: Visibility | None = None) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        query = SearchQuery(visibility=visibility or Visibility(), size=limit)
        clauses, params = where_sql(query)
        conn = self._conn()
        names: list[str] = []
        pinyin = pinyin_prefix(prefix)
        if pinyin:
            expr: str | None = f'pinyin : "{pinyin}"*'
        else:
            rows = conn.execute(
                "SELECT d.name FROM search_docs d WHERE d.name >= ? AND d.name < ?"
                + "".join(" AND " + c for c in clauses) + " ORDER BY d.name LIMIT ?",
                [prefix, prefix + "\U0010ffff", *params, limit],
            ).fetchall()
            names = [r[0] for r in rows]
            p = phrase(prefix)
            expr = f"name : {p}" if p else None
        if expr and len(names) < limit:
            rows = conn.execute(
                "SELECT d.name FROM search_fts f CROSS JOIN search_docs d ON d.rowid = f.rowid WHERE search_fts MATCH ?"
                + "".join(" AND " + c for c in clauses) + f" ORDER BY bm25(search_fts, {WEIGHTS}) LIMIT ?",
                [expr, *params, limit * 2],
            ).fetchall()
            names += [r[0] for r in rows]
        return list(dict.fromkeys(names))[:limit]

    def health(self) -> dict[str, Any]:
        try:
            n = self._conn().execute("SELECT count(*) FROM search_docs").fetchone()[0]
            return {"backend": self.name, "ok": True, "documents": n, "path": str(self.path)}
        except sqlite3.Error as exc:
            return {"backend": self.name, "ok": False, "error": str(exc)}

    def count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM search_docs").fetchone()[0])
