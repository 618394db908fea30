"""A QueryPlan compiled for the embedded index: an FTS5 MATCH expression (OR of the required clauses, or of
their pairs when two must match), SQL for visibility, filters and disjunctive facets in one statement, and the
BM25 top window ranked again with the plan's shared scorer."""
from __future__ import annotations

import json
import sqlite3
from itertools import combinations
from typing import Any, Callable

from catalog.search.analysis import bigram_tokens, minimal_alternatives
from catalog.search.base import FACET_FILTER, FacetValue, Hit, SearchQuery, SearchResult
from catalog.search.embedded_schema import FACET_COLUMNS, TEXT_COLUMNS, WEIGHTS
from catalog.search.highlight import fragments
from catalog.search.plan import Clause, QueryPlan, document_fields, score_document

RANK_WINDOW = 300  # BM25's best matches ranked again by the plan's scorer
MAX_PAIRS = 28  # eight required clauses; more: any one of them
EXACT_LIMIT = 5000  # text matches counted and faceted exactly; above, the broad path (`_run_broad`)
SAMPLE = 4000  # the broad path's count and facets: about this many matches (a hash of the rowid divisible by k)


def phrase(text: str) -> str | None:
    tokens = bigram_tokens(text)
    if not tokens:
        return None
    if len(tokens) == 1 and len(tokens[0]) == 1:
        return f'"{tokens[0]}"*'  # a single CJK character: prefix over bigrams
    return '"' + " ".join(tokens) + '"'


def clause_expression(c: Clause) -> str | None:
    phrases = [p for p in (phrase(t) for t in minimal_alternatives([t.text for t in c.terms if not t.provider_only])) if p]
    alts = ["{%s} : (%s)" % (" ".join(TEXT_COLUMNS), " OR ".join(phrases))] if phrases else []
    alts += [f"provider : {p}" for p in (phrase(t.text) for t in c.terms if t.provider_only) if p]
    if c.pinyin:
        alts.append(f'pinyin : "{c.pinyin}"*')
    return "(" + " OR ".join(alts) + ")" if alts else None


def match_expression(plan: QueryPlan) -> str | None:
    """At least `minimum_should_match` of the required clauses (FTS5 has no such operator: OR of pairs)."""
    parts = [e for e in (clause_expression(c) for c in plan.required) if e]
    if not parts:
        return None
    pairs = list(combinations(parts, 2)) if plan.minimum_should_match >= 2 and len(parts) >= 2 else []
    if pairs and len(pairs) <= MAX_PAIRS:
        return " OR ".join(f"({a} AND {b})" for a, b in pairs)
    return " OR ".join(parts)


def like_prefix(value: str) -> str:
    """A LIKE pattern matching `value` as a literal prefix: `%`, `_` and `\\` escaped (not stripped, which
    turned `classification=%` into "match everything")."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filter_sql(key: str, values: tuple[str, ...], *, prefix: str = "d.") -> tuple[str, list[Any]]:
    """One filter as SQL: values OR-ed within the field (`classification` by prefix, the others exactly)."""
    if key == "classification":
        return ("(" + " OR ".join(f"{prefix}classification LIKE ? ESCAPE '\\'" for _ in values) + ")",
                [like_prefix(v) for v in values])
    return f"{prefix}{key} IN ({', '.join('?' * len(values))})", list(values)


def where_sql(query: SearchQuery, *, with_filters: bool = True) -> tuple[list[str], list[Any]]:
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
            clause, values_ = filter_sql(key, values)
            clauses.append(clause)
            params += values_
    return clauses, params


def run(conn: sqlite3.Connection, query: SearchQuery, plan: QueryPlan, *, backend: str,
        label: Callable[[str, str], str]) -> SearchResult:
    """Exact below `EXACT_LIMIT` text matches (one statement: hits, count, every facet); above it, ranked by relevance,
    the broad path: hits from the high-weight columns first, count and facets estimated from a stratified sample."""
    expr = match_expression(plan)
    if not plan.empty and expr is None:
        return SearchResult(hits=[], count=0, backend=backend)
    if expr is not None and query.sort == "relevance":
        probe = conn.execute(f"SELECT count(*), max(r) FROM (SELECT rowid AS r FROM search_fts WHERE search_fts MATCH ? "
                             f"LIMIT {EXACT_LIMIT + 1})", (expr,)).fetchone()
        if probe[0] > EXACT_LIMIT:
            return _run_broad(conn, query, plan, expr, last=probe[1], backend=backend, label=label)
    source = "search_facets d"
    source_params: list[Any] = []
    if expr is not None:
        source = "search_fts f CROSS JOIN search_facets d ON d.rowid = f.rowid"  # FTS first
        source_params = [expr]
    ranked = expr is not None and query.sort == "relevance"
    rows = _statement(conn, query, source=source, source_params=source_params, matched=expr is not None,
                      ranked=ranked, hits=True)
    found = _fetch(conn, [(r[1], r[2]) for r in rows if r[0] == "hit"])
    return _result(conn, query, plan, found, rows, ranked=ranked, backend=backend, label=label)


def _statement(conn: sqlite3.Connection, query: SearchQuery, *, source: str, source_params: list[Any], matched: bool,
               ranked: bool, hits: bool, every: int = 1) -> list[tuple[Any, ...]]:
    """One statement: the matches of `source` (FTS evaluated once, joined to the narrow search_facets rows; with
    `every` > 1 only rowids divisible by it) materialised, then the hits (when `hits`) and every facet's counts.

    Disjunctive facets: with filters (and facets wanted), the materialised matches carry the text query and the
    visibility only, plus `ok` (every filter holds; only those rows are scored). Hits, count and the facets of
    unfiltered fields take the `ok` rows; a filtered field's facet, every other filter.
    """
    active = query.active_filters() if query.facets else {}
    clauses, params = where_sql(query, with_filters=not active)
    if matched:
        clauses.insert(0, "search_fts MATCH ?")
    if every > 1:
        # a hash of the rowid, not the rowid: entries made in cycles (a batch per template) would alias with k
        clauses.insert(1, f"(f.rowid * 2654435761) % 4294967291 % {int(every)} = 0")  # before the join: rowids only
    params = [*source_params, *params]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    score = f"bm25(search_fts, {WEIGHTS})" if ranked and hits else "0.0"
    order = "score, code" if ranked else "published_on IS NULL, published_on DESC, code"
    cols = ", ".join(f"d.{c} AS {c}" for c in FACET_COLUMNS) if query.facets else "d.state AS state"
    filters = {k: filter_sql(k, v) for k, v in active.items()}
    select_params: list[Any] = []
    ok = ""
    if active:
        all_hold = " AND ".join(c for c, _ in filters.values())
        every_params = [p for _, ps in filters.values() for p in ps]
        score = f"CASE WHEN {all_hold} THEN {score} END" if ranked and hits else score
        select_params = every_params if ranked and hits else []
        ok, select_params = f", ({all_hold}) AS ok", [*select_params, *every_params]
        cols += ", d.classification AS classification" if "classification" in active else ""
    mf = "(SELECT * FROM m WHERE ok)" if active else "m"
    window = max(RANK_WINDOW, query.offset + query.size) if ranked else query.size
    parts: list[str] = []
    part_params: list[Any] = []
    if hits:
        parts.append(f"SELECT * FROM (SELECT 'hit', id, score FROM {mf} ORDER BY {order} LIMIT ? OFFSET ?)")
        part_params += [window, 0 if ranked else query.offset]
    if query.facets:
        for c in FACET_COLUMNS:
            if FACET_FILTER[c] not in active:
                parts.append(f"SELECT '{c}', {c}, count(*) FROM {mf} GROUP BY {c}")
                continue
            others = [filter_sql(k, v, prefix="") for k, v in active.items() if k != FACET_FILTER[c]]
            own_where = ("WHERE " + " AND ".join(c_ for c_, _ in others)) if others else ""
            parts.append(f"SELECT '{c}', {c}, count(*) FROM m {own_where} GROUP BY {c}")
            part_params += [p for _, ps in others for p in ps]
    parts.append(f"SELECT 'count', NULL, count(*) FROM {mf}")
    score_col = f"{score} AS score, " if hits else ""
    return conn.execute(
        f"WITH m AS MATERIALIZED (SELECT d.rowid AS id, d.code AS code, d.published_on AS published_on, "
        f"{score_col}1 AS one{ok}, {cols} FROM {source} {where}) " + " UNION ALL ".join(parts),
        [*select_params, *params, *part_params],
    ).fetchall()


def _run_broad(conn: sqlite3.Connection, query: SearchQuery, plan: QueryPlan, expr: str, *, last: int, backend: str,
               label: Callable[[str, str], str]) -> SearchResult:
    """More than `EXACT_LIMIT` matches: ranking BM25 over all of them, and counting them with their facets, cost
    hundreds of milliseconds at 100,000 resources. The top window comes from the columns that weigh most (the name,
    and the provider when a department was typed), BM25 over every column only when those give too few; count and
    facets come from about `SAMPLE` matches whose rowid hashes to a multiple of k (spread over the whole index: rows
    imported together stay together, so a range of rowids would be biased; rowid % k aliases with entries made in
    cycles, +13 % on the benchmark's catalogue, the hash ±2 %), scaled up and marked as an estimate."""
    clauses, params = where_sql(query)
    where = "".join(" AND " + c for c in clauses)
    window = max(RANK_WINDOW, query.offset + query.size)
    statement = (f"SELECT f.rowid, bm25(search_fts, {WEIGHTS}) AS b FROM search_fts f CROSS JOIN search_facets d "
                 f"ON d.rowid = f.rowid WHERE search_fts MATCH ?{where} ORDER BY b LIMIT ?")
    columns = "{name provider}" if any(t.department or t.provider_only for c in plan.required for t in c.terms) else "name"
    page = conn.execute(statement, [f"{columns} : ({expr})", *params, window]).fetchall()
    if len(page) < window:
        seen = {i for i, _ in page}
        page += [r for r in conn.execute(statement, [expr, *params, window]).fetchall() if r[0] not in seen]
    found = _fetch(conn, [(i, b) for i, b in page[:window]])
    lo, hi = conn.execute("SELECT (SELECT min(rowid) FROM search_facets), (SELECT max(rowid) FROM search_facets)"
                          ).fetchone()  # apart: min() and max() together scan the table
    estimate = (EXACT_LIMIT + 1) / max(last - lo + 1, 1) * (hi - lo + 1)  # matches, from the probe's density
    every = max(1, round(estimate / SAMPLE))
    rows = _statement(conn, query, source="search_fts f CROSS JOIN search_facets d ON d.rowid = f.rowid",
                      source_params=[expr], matched=True, ranked=True, hits=False, every=every)
    rows = [(k, v, n * every) for k, v, n in rows]
    result = _result(conn, query, plan, found, rows, ranked=True, backend=backend, label=label)
    result.count = max(result.count, len(found))
    result.estimated = True
    return result


_LIGHT = ("name", "keywords", "item_names", "item_identifiers", "abstract", "provider", "code")


def _fetch(conn: sqlite3.Connection, page: list[tuple[int, float | None]]) -> list[tuple[dict[str, Any], float]]:
    """The window's documents, only the fields the plan's scorer reads (the whole document: `_documents`)."""
    if not page:
        return []
    cols = ", ".join(f"json_extract(doc, '$.{f}')" for f in _LIGHT)
    rows = {r[0]: r[1:] for r in conn.execute(
        f"SELECT rowid, {cols} FROM search_docs WHERE rowid IN ({', '.join('?' * len(page))})", [i for i, _ in page])}
    out = []
    for i, s in page:
        if i in rows:
            d = dict(zip(_LIGHT, rows[i]))
            for f in ("keywords", "item_names", "item_identifiers"):
                d[f] = json.loads(d[f]) if d[f] else []
            out.append(({**d, "_rowid": i}, -(s or 0.0)))
    return out


def _documents(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, dict[str, Any]]:
    rows = conn.execute(f"SELECT rowid, doc FROM search_docs WHERE rowid IN ({', '.join('?' * len(rowids))})",
                        rowids).fetchall() if rowids else []
    return {i: json.loads(doc) for i, doc in rows}


def _result(conn: sqlite3.Connection, query: SearchQuery, plan: QueryPlan, found: list[tuple[dict[str, Any], float]],
            rows: list[tuple[Any, ...]], *, ranked: bool, backend: str, label: Callable[[str, str], str]) -> SearchResult:
    """The page ranked again by the plan's scorer, the facets and the count of the statement's rows."""
    end = query.offset + query.size
    if ranked:
        scored = [(score_document(plan, document_fields(d), bm25=b), b, d) for d, b in found]
        scored.sort(key=lambda x: (-x[0], -x[1], x[2]["code"]))
        found = [(d, s) for s, _, d in scored][query.offset:end]
    full = _documents(conn, [d["_rowid"] for d, _ in found])
    found = [(full[d["_rowid"]], s) for d, s in found if d["_rowid"] in full]
    facets: dict[str, list[FacetValue]] = {}
    if query.facets:
        facets = {c: [] for c in FACET_COLUMNS}
        for facet, value, n in rows:
            if facet in facets and value not in (None, "") and n:
                facets[facet].append(FacetValue(value, label(facet, value), n))
        for values in facets.values():
            values.sort(key=lambda v: (-v.count, v.value))
    count = sum(n for f, _, n in rows if f == "count")
    terms = plan.highlight_terms() if query.highlight else []
    hits = [Hit.from_source(d, score=s, highlight=_marks(d, terms)) for d, s in found]
    return SearchResult(hits=hits, count=count, facets=facets, backend=backend)


def _marks(d: dict[str, Any], terms: list[str]) -> dict[str, list[str]]:
    if not terms:
        return {}
    return fragments({"name": [d.get("name") or ""], "abstract": [d.get("abstract") or ""],
                      "item_names": d.get("item_names") or [], "keywords": d.get("keywords") or [],
                      "provider": [d.get("provider") or ""]}, terms)
