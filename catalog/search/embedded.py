"""The embedded search backend: SQLite FTS5 over CJK bigrams, facets by GROUP BY, no server needed.

Tables (prefixed `search_`, in the main SQLite file or in `<data_dir>/search.db`):
    search_docs   one row per resource: facet columns + the document as JSON
    search_facets the facet/filter/sort columns only (narrow rows: facet counts over many matches stay cheap)
    search_fts    FTS5 (unicode61) over bigram-tokenised text; rowid = search_docs.rowid
    search_terms  item names and keywords with document frequency (the fuzzy vocabulary)
    search_meta   counters (vocabulary version, documents version for the result cache)
Any substring of ≥ 2 characters is an exact phrase over bigrams; a single character is a prefix
query over bigrams, so 1- and 2-character queries work.
"""
from __future__ import annotations

import copy
import json
import sqlite3
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from catalog.search.analysis import Group, QueryCache, Vocabulary, bigram_tokens, lexicon_for, pinyin_tokens, standard_terms, understand
from catalog.search.base import FACET_FILTER, FACETS, FacetValue, Hit, Progress, SearchQuery, SearchResult, Visibility
from catalog.search.documents import SearchDocument
from catalog.search.highlight import fragments
from catalog.search.labels import facet_label

TEXT_COLUMNS = ("name", "provider", "keywords", "items", "abstract", "codes")
WEIGHTS = "10.0, 2.0, 6.0, 4.0, 1.0, 3.0, 4.0"  # + pinyin
FACET_COLUMNS = FACETS
DOC_COLUMNS = ("code", *FACET_COLUMNS, "classification", "name", "published_on", "updated_at", "doc", "terms")
BATCH = 2000

SCHEMA = """
CREATE TABLE IF NOT EXISTS search_docs (
    rowid INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, provider_code TEXT, classification_class TEXT,
    classification_item TEXT, share_type TEXT, format_category TEXT, update_cycle TEXT,
    open_to_public TEXT, state TEXT, classification TEXT, name TEXT, published_on TEXT, updated_at TEXT,
    doc TEXT NOT NULL, terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_search_docs_state ON search_docs(state, provider_code);
CREATE INDEX IF NOT EXISTS ix_search_docs_name ON search_docs(name);
CREATE INDEX IF NOT EXISTS ix_search_docs_published ON search_docs(published_on);
CREATE TABLE IF NOT EXISTS search_facets (
    rowid INTEGER PRIMARY KEY, code TEXT NOT NULL, provider_code TEXT, classification_class TEXT,
    classification_item TEXT, share_type TEXT, format_category TEXT, update_cycle TEXT,
    open_to_public TEXT, state TEXT, classification TEXT, published_on TEXT
);
CREATE INDEX IF NOT EXISTS ix_search_facets_published ON search_facets(published_on, code);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    name, provider, keywords, items, abstract, codes, pinyin, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
"""
DROP = ("DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search_docs; DROP TABLE IF EXISTS search_terms; "
        "DROP TABLE IF EXISTS search_facets;")
KEY_COLUMNS = ("code", *FACET_COLUMNS, "classification", "published_on")  # search_facets
INSERT_KEYS = f"INSERT INTO search_facets(rowid, {', '.join(KEY_COLUMNS)}) VALUES ({', '.join('?' * (len(KEY_COLUMNS) + 1))})"
RESULT_CACHE = 512


def _joined(values: Iterable[str]) -> str:
    return " ".join(t for v in values for t in bigram_tokens(v))


def _fts_row(doc: SearchDocument) -> tuple[str, ...]:
    return (
        _joined([doc.name]),
        _joined([doc.provider]),
        _joined(doc.keywords),
        _joined([*doc.item_names, *(i.replace("_", " ") for i in doc.item_identifiers)]),
        _joined([doc.abstract]),
        _joined(doc.codes),
        " ".join(pinyin_tokens([doc.name, *doc.keywords, *doc.item_names])),
    )


def _terms(doc: SearchDocument) -> list[str]:
    return sorted({t for t in (*doc.keywords, *doc.item_names) if 2 <= len(t) <= 24})


def _key_row(rowid: int, doc: SearchDocument) -> tuple[Any, ...]:
    return (rowid, doc.code, *(doc.facet_value(f) for f in FACET_COLUMNS), doc.classification, doc.published_on)


def _doc_row(doc: SearchDocument) -> tuple[Any, ...]:
    facets = [doc.facet_value(f) for f in FACET_COLUMNS]
    return (doc.code, *facets, doc.classification, doc.name, doc.published_on, doc.updated_at,
            json.dumps(doc.to_dict(), ensure_ascii=False), json.dumps(_terms(doc), ensure_ascii=False))


def _phrase(alternative: str) -> str | None:
    tokens = bigram_tokens(alternative)
    if not tokens:
        return None
    if len(tokens) == 1 and len(tokens[0]) == 1:
        return f'"{tokens[0]}"*'  # a single CJK character: prefix over bigrams
    return '"' + " ".join(tokens) + '"'


def match_expression(groups: list[Group], *, any_group: bool = False) -> str | None:
    parts = []
    for g in groups:
        phrases = [p for p in (_phrase(a) for a in g.alternatives) if p]
        alts = []
        if phrases:
            alts.append("{%s} : (%s)" % (" ".join(TEXT_COLUMNS), " OR ".join(phrases)))
        if g.pinyin:
            alts.append(f'pinyin : "{g.pinyin}"*')
        if alts:
            parts.append("(" + " OR ".join(alts) + ")")
    if not parts:
        return None
    return (" OR " if any_group else " AND ").join(parts)


def _bump(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("INSERT INTO search_meta(key, value) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1", (key,))


def like_prefix(value: str) -> str:
    """A LIKE pattern matching `value` as a literal prefix: `%`, `_` and `\\` escaped (not stripped, which
    turned `classification=%` into "match everything")."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, *, path: Path, standards: Any) -> None:
        self.path = Path(path)
        self.standards = standards
        self.lexicon = lexicon_for(standards)
        self._local = threading.local()
        self._vocab: tuple[int, Vocabulary] | None = None
        self._lock = threading.Lock()
        self._queries = QueryCache()
        self._results: dict[tuple[Any, ...], SearchResult] = {}
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
                self._delete(conn, doc.code, delta)
                cur = conn.execute(
                    f"INSERT INTO search_docs({', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * len(DOC_COLUMNS))})",
                    _doc_row(doc),
                )
                conn.execute("INSERT INTO search_fts(rowid, name, provider, keywords, items, abstract, codes, pinyin)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (cur.lastrowid, *_fts_row(doc)))
                conn.execute(INSERT_KEYS, _key_row(cur.lastrowid, doc))
                delta.update(_terms(doc))
            self._apply_terms(conn, delta)
            _bump(conn, "docs_version")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return len(docs)

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
            total, terms, batch = 0, Counter(), []
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
        rows = [(start + i + 1, *_doc_row(d)) for i, d in enumerate(batch)]
        conn.executemany(
            f"INSERT INTO search_docs(rowid, {', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * (len(DOC_COLUMNS) + 1))})",
            rows,
        )
        conn.executemany(
            "INSERT INTO search_fts(rowid, name, provider, keywords, items, abstract, codes, pinyin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(start + i + 1, *_fts_row(d)) for i, d in enumerate(batch)],
        )
        conn.executemany(INSERT_KEYS, [_key_row(start + i + 1, d) for i, d in enumerate(batch)])
        for d in batch:
            terms.update(_terms(d))
        return len(batch)

    # -- reading -------------------------------------------------------------------------------
    def vocabulary(self) -> Vocabulary:
        conn = self._conn()
        row = conn.execute("SELECT value FROM search_meta WHERE key = 'terms_version'").fetchone()
        version = row[0] if row else 0
        cached = self._vocab
        if cached is None or cached[0] != version:
            terms = [r[0] for r in conn.execute("SELECT term FROM search_terms")]
            cached = (version, Vocabulary([*terms, *standard_terms(self.standards)]))
            self._vocab = cached
        return cached[1]

    def groups(self, q: str) -> list[Group]:
        return self._queries.groups(q, lexicon=self.lexicon, vocabulary=self.vocabulary()) if q.strip() else []

    def _version(self) -> int:
        row = self._conn().execute("SELECT value FROM search_meta WHERE key = 'docs_version'").fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _filter(key: str, values: tuple[str, ...], *, prefix: str = "d.") -> tuple[str, list[Any]]:
        """One filter as SQL: values OR-ed within the field (`classification` by prefix, the others exactly)."""
        if key == "classification":
            return ("(" + " OR ".join(f"{prefix}classification LIKE ? ESCAPE '\\'" for _ in values) + ")",
                    [like_prefix(v) for v in values])
        return f"{prefix}{key} IN ({', '.join('?' * len(values))})", list(values)

    def _where(self, query: SearchQuery, *, with_filters: bool = True) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        vis = query.visibility
        if not vis.unrestricted:
            states = sorted(vis.states or ())
            own = ["d.provider_code = ?"] if vis.own_department else []
            ins = [f"d.state IN ({', '.join('?' * len(states))})"] if states else []
            clauses.append("(" + (" OR ".join(ins + own) or "0") + ")")
            params += states + ([vis.own_department] if vis.own_department else [])
        if with_filters:
            for key, values in query.active_filters().items():
                clause, values_ = self._filter(key, values)
                clauses.append(clause)
                params += values_
        return clauses, params

    def search(self, query: SearchQuery) -> SearchResult:
        """Results are cached per query for the current documents version (any write, from any process, bumps it)."""
        key = (self._version(), query.q, tuple(sorted(query.filters.items())), query.page, query.size, query.sort,
               query.visibility, query.facets, query.highlight)
        cached = self._results.get(key)
        if cached is not None:
            return copy.copy(cached)
        groups = self.groups(query.q)
        expr = match_expression(groups)
        result = self._run(query, groups, expr)
        if result.count == 0 and len(groups) > 1:
            result = self._run(query, groups, match_expression(groups, any_group=True))
        result.interpreted = [g.alternatives for g in groups]
        if len(self._results) >= RESULT_CACHE:
            self._results.pop(next(iter(self._results)), None)
        self._results[key] = result
        return copy.copy(result)

    def _run(self, query: SearchQuery, groups: list[Group], expr: str | None) -> SearchResult:
        """One statement: the matches (FTS evaluated once, joined to the narrow search_facets rows) materialised,
        then the page of hits and every facet's counts from them; the page's documents fetched by rowid.

        Disjunctive facets: with filters (and facets wanted), the materialised matches carry the text query and
        the visibility only, plus `ok` (every filter holds; only those rows are scored). Hits, count and the
        facets of unfiltered fields take the `ok` rows; a filtered field's facet, every other filter.
        """
        conn = self._conn()
        active = query.active_filters() if query.facets else {}
        clauses, params = self._where(query, with_filters=not active)
        if query.q.strip() and expr is None:
            return SearchResult(hits=[], count=0, backend=self.name)
        source = "search_facets d"
        if expr is not None:
            source = "search_fts f CROSS JOIN search_facets d ON d.rowid = f.rowid"  # FTS first
            clauses.insert(0, "search_fts MATCH ?")
            params.insert(0, expr)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        ranked = expr is not None and query.sort == "relevance"
        score = f"bm25(search_fts, {WEIGHTS})" if ranked else "0.0"
        order = "score, code" if ranked else "published_on IS NULL, published_on DESC, code"
        cols = ", ".join(f"d.{c} AS {c}" for c in FACET_COLUMNS) if query.facets else "d.state AS state"
        filters = {k: self._filter(k, v) for k, v in active.items()}
        select_params: list[Any] = []
        ok = ""
        if active:
            every = " AND ".join(c for c, _ in filters.values())
            every_params = [p for _, ps in filters.values() for p in ps]
            score = f"CASE WHEN {every} THEN {score} END" if ranked else score
            select_params = every_params if ranked else []
            ok, select_params = f", ({every}) AS ok", [*select_params, *every_params]
            cols += ", d.classification AS classification" if "classification" in active else ""
        mf = "(SELECT * FROM m WHERE ok)" if active else "m"
        parts = [f"SELECT * FROM (SELECT 'hit', id, score FROM {mf} ORDER BY {order} LIMIT ? OFFSET ?)"]
        part_params: list[Any] = [query.size, query.offset]
        if query.facets:
            for c in FACET_COLUMNS:
                if FACET_FILTER[c] not in active:
                    parts.append(f"SELECT '{c}', {c}, count(*) FROM {mf} GROUP BY {c}")
                    continue
                others = [self._filter(k, v, prefix="") for k, v in active.items() if k != FACET_FILTER[c]]
                own_where = ("WHERE " + " AND ".join(c_ for c_, _ in others)) if others else ""
                parts.append(f"SELECT '{c}', {c}, count(*) FROM m {own_where} GROUP BY {c}")
                part_params += [p for _, ps in others for p in ps]
        parts.append(f"SELECT 'count', NULL, count(*) FROM {mf}")
        rows = conn.execute(
            f"WITH m AS MATERIALIZED (SELECT d.rowid AS id, d.code AS code, d.published_on AS published_on, "
            f"{score} AS score{ok}, {cols} FROM {source} {where}) " + " UNION ALL ".join(parts),
            [*select_params, *params, *part_params],
        ).fetchall()
        page = [(r[1], r[2]) for r in rows if r[0] == "hit"]
        docs = dict(conn.execute(f"SELECT rowid, doc FROM search_docs WHERE rowid IN ({', '.join('?' * len(page))})",
                                 [i for i, _ in page]).fetchall()) if page else {}
        facets: dict[str, list[FacetValue]] = {}
        if query.facets:
            facets = {c: [] for c in FACET_COLUMNS}
            for facet, value, n in rows:
                if facet in facets and value not in (None, ""):
                    facets[facet].append(FacetValue(value, facet_label(facet, value, standards=self.standards), n))
            for values in facets.values():
                values.sort(key=lambda v: (-v.count, v.value))
        count = sum(n for f, _, n in rows if f == "count")
        terms = [a for g in groups for a in g.alternatives] if query.highlight else []
        hits = [self._hit(json.loads(docs[i]), -score, terms) for i, score in page if i in docs]
        return SearchResult(hits=hits, count=count, facets=facets, backend=self.name)

    def _hit(self, doc: dict[str, Any], score: float, terms: list[str]) -> Hit:
        d = SearchDocument.from_dict(doc)
        marks = fragments(
            {"name": [d.name], "abstract": [d.abstract], "item_names": d.item_names, "keywords": d.keywords,
             "provider": [d.provider]},
            terms,
        ) if terms else {}
        return Hit(code=d.code, name=d.name, provider=d.provider, provider_code=d.provider_code,
                   classification=d.classification, share_type=d.share_type, format_category=d.format_category,
                   update_cycle=d.update_cycle, open_to_public=d.open_to_public, state=d.state,
                   published_on=d.published_on, abstract=d.abstract, score=float(score or 0.0), highlight=marks)

    def suggest(self, prefix: str, *, limit: int = 10, visibility: Visibility | None = None) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        query = SearchQuery(visibility=visibility or Visibility(), size=limit)
        clauses, params = self._where(query)
        conn = self._conn()
        names: list[str] = []
        if prefix.isascii() and prefix.replace(" ", "").isalpha():
            expr = f'pinyin : "{prefix.lower().replace(" ", "")}"*'
        else:
            rows = conn.execute(
                "SELECT d.name FROM search_docs d WHERE d.name >= ? AND d.name < ?"
                + "".join(" AND " + c for c in clauses) + " ORDER BY d.name LIMIT ?",
                [prefix, prefix + "\U0010ffff", *params, limit],
            ).fetchall()
            names = [r[0] for r in rows]
            phrase = _phrase(prefix)
            expr = f"name : {phrase}" if phrase else None
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
