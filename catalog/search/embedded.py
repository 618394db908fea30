"""The embedded search backend: SQLite FTS5 over CJK bigrams, facets by GROUP BY, no server needed.

Tables and rows: `embedded_schema`; a query plan compiled to SQL and ranked: `embedded_query`. This module
keeps the connections, the writes (documents, the vocabulary's document frequencies) and the reads. No result
cache: every search runs its statement (the benchmark measures it cold).
"""
from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from catalog.search.analysis import Vocabulary, lexicon_for, standard_terms
from catalog.search.base import Progress, SearchQuery, SearchResult, Visibility
from catalog.search.documents import SearchDocument
from catalog.search.embedded_query import phrase, run, where_sql
from catalog.search.embedded_schema import (
    BATCH, DOC_COLUMNS, DROP, INSERT_KEYS, KEY_COLUMNS, RESTATE_DOC, RESTATE_KEYS, SCHEMA, WEIGHTS, doc_row, fts_row,
    key_row, restate_rows, same_text, terms_of,
)
from catalog.search.labels import facet_label
from catalog.search.plan import Planner, QueryPlan, explain, pinyin_prefix


def _bump(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("INSERT INTO search_meta(key, value) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1", (key,))


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, *, path: Path, standards: Any) -> None:
        self.path = Path(path)
        self.standards = standards
        self.planner = Planner(lexicon=lexicon_for(standards), departments=standards.departments.values())
        self._local = threading.local()
        self._vocab: tuple[int, Vocabulary] | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._conn()
        conn.executescript(SCHEMA)
        if conn.execute("SELECT 1 FROM search_docs LIMIT 1").fetchone() and not conn.execute(
                "SELECT 1 FROM search_facets LIMIT 1").fetchone():  # an index made before search_facets existed
            conn.execute(f"INSERT INTO search_facets(rowid, {', '.join(KEY_COLUMNS)}) "
                         f"SELECT rowid, {', '.join(KEY_COLUMNS)} FROM search_docs")

    # -- connections ---------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
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
        conn.execute("BEGIN IMMEDIATE")
        try:
            delta: Counter[str] = Counter()
            for doc in docs:
                if self._restate(conn, doc):
                    continue
                self._delete(conn, doc.code, delta)
                cur = conn.execute(
                    f"INSERT INTO search_docs({', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * len(DOC_COLUMNS))})",
                    doc_row(doc),
                )
                conn.execute("INSERT INTO search_fts(rowid, name, provider, keywords, items, abstract, codes, pinyin)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (cur.lastrowid, *fts_row(doc)))
                assert cur.lastrowid is not None  # an INSERT sets it
                conn.execute(INSERT_KEYS, key_row(cur.lastrowid, doc))
                delta.update(terms_of(doc))
            self._apply_terms(conn, delta)
            _bump(conn, "docs_version")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return len(docs)

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
        conn.execute("BEGIN IMMEDIATE")
        try:
            delta: Counter[str] = Counter()
            removed = sum(self._delete(conn, code, delta) for code in codes)
            self._apply_terms(conn, delta)
            _bump(conn, "docs_version")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return removed

    def _delete(self, conn: sqlite3.Connection, code: str, delta: Counter[str]) -> int:
        row = conn.execute("SELECT rowid, terms FROM search_docs WHERE code = ?", (code,)).fetchone()
        if row is None:
            return 0
        conn.execute("DELETE FROM search_fts WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM search_facets WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM search_docs WHERE rowid = ?", (row[0],))
        delta.subtract(json.loads(row[1]))
        return 1

    def _apply_terms(self, conn: sqlite3.Connection, delta: Counter[str]) -> None:
        changes = [(t, n) for t, n in delta.items() if n]
        if not changes:
            return
        conn.executemany(
            "INSERT INTO search_terms(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            changes,
        )
        conn.execute("DELETE FROM search_terms WHERE df <= 0")
        _bump(conn, "terms_version")

    def reset(self) -> None:
        conn = self._conn()
        conn.executescript(DROP + SCHEMA)
        _bump(conn, "terms_version")
        _bump(conn, "docs_version")

    def rebuild(self, docs: Iterable[SearchDocument], *, progress: Progress | None = None) -> int:
        """Drop and refill the index in batches (one transaction, so searches see old or new)."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in ("search_fts", "search_docs", "search_terms", "search_facets"):
                conn.execute(f"DELETE FROM {table}")
            total, terms, batch = 0, Counter[str](), list[SearchDocument]()
            for doc in docs:
                batch.append(doc)
                if len(batch) >= BATCH:
                    total += self._insert_batch(conn, batch, total, terms)
                    batch = []
                    if progress:
                        progress(total)
            total += self._insert_batch(conn, batch, total, terms)
            self._apply_terms(conn, terms)
            _bump(conn, "docs_version")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if progress:
            progress(total)
        return total

    def _insert_batch(self, conn: sqlite3.Connection, batch: list[SearchDocument], start: int, terms: Counter[str]) -> int:
        if not batch:
            return 0
        rows = [(start + i + 1, *doc_row(d)) for i, d in enumerate(batch)]
        conn.executemany(
            f"INSERT INTO search_docs(rowid, {', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * (len(DOC_COLUMNS) + 1))})",
            rows,
        )
        conn.executemany(
            "INSERT INTO search_fts(rowid, name, provider, keywords, items, abstract, codes, pinyin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(start + i + 1, *fts_row(d)) for i, d in enumerate(batch)],
        )
        conn.executemany(INSERT_KEYS, [key_row(start + i + 1, d) for i, d in enumerate(batch)])
        for d in batch:
            terms.update(terms_of(d))
        return len(batch)

    # -- reading -------------------------------------------------------------------------------
    def vocabulary(self) -> Vocabulary:
        conn = self._conn()
        row = conn.execute("SELECT value FROM search_meta WHERE key = 'terms_version'").fetchone()
        version = row[0] if row else 0
        cached = self._vocab
        if cached is None or cached[0] != version:
            df = dict(conn.execute("SELECT term, df FROM search_terms").fetchall())
            cached = (version, Vocabulary([*df, *standard_terms(self.standards)], df=df))
            self._vocab = cached
        return cached[1]

    def plan(self, q: str) -> QueryPlan:
        return self.planner.plan(q, vocabulary=self.vocabulary()) if q.strip() else QueryPlan(q=q)

    def search(self, query: SearchQuery) -> SearchResult:
        plan = self.plan(query.q)
        result = run(self._conn(), query, plan, backend=self.name,
                     label=lambda facet, value: facet_label(facet, value, standards=self.standards))
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
