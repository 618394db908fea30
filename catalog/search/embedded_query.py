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
from catalog.search.embedded_schema import (
    FACET_COLUMNS, ID_BITS, ID_MASK, SCORED_COLUMNS, TEXT_COLUMNS, WEIGHTS,
)
from catalog.search.highlight import fragments
from catalog.search.plan import NEAR_GAP, Clause, QueryPlan, Term, score_document

RANK_WINDOW = 300  # BM25's best matches ranked again by the plan's scorer
MAX_PAIRS = 28  # eight required clauses; more: any one of them
EXACT_LIMIT = 1000  # text matches counted and faceted exactly; above, estimated from the first EXACT_LIMIT + 1
BM25_LIMIT = 1000  # this many text matches or fewer: BM25 over all of them picks the window; more: `_window`
NAME_WINDOW = 100  # more: the shortest names of each walk of `_window`
OTHER_WINDOW = 50


def phrase(text: str) -> str | None:
    tokens = bigram_tokens(text)
    if not tokens:
        return None
    if len(tokens) == 1 and len(tokens[0]) == 1:
        return f'"{tokens[0]}"*'  # a single CJK character: prefix over bigrams
    return '"' + " ".join(tokens) + '"'


def near(t: Term) -> str | None:
    """A near term: its parts within NEAR_GAP + 1 bigrams of each other (FTS5's NEAR has no order: the scorer checks it)."""
    parts = [phrase(p) for p in t.parts]
    return f"NEAR({' '.join(p for p in parts if p)}, {NEAR_GAP + 1})" if all(parts) else None


def _phrases(terms: list[Term]) -> list[str]:
    """The FTS5 alternatives of a clause's terms (the provider-only ones apart)."""
    plain = minimal_alternatives([t.text for t in terms if not t.provider_only and not t.parts])
    return [p for p in [*(phrase(t) for t in plain), *(near(t) for t in terms if t.parts)] if p]


def clause_expression(c: Clause, *, columns: tuple[str, ...] = TEXT_COLUMNS) -> str | None:
    phrases = _phrases(c.terms)
    alts = ["{%s} : (%s)" % (" ".join(columns), " OR ".join(phrases))] if phrases else []
    alts += [f"provider : {p}" for p in (phrase(t.text) for t in c.terms if t.provider_only) if p]
    if c.pinyin:
        alts.append(f'pinyin : "{c.pinyin}"*')
    return "(" + " OR ".join(alts) + ")" if alts else None


def match_expression(plan: QueryPlan, *, columns: tuple[str, ...] = TEXT_COLUMNS) -> str | None:
    """At least `minimum_should_match` of the required clauses (FTS5 has no such operator: OR of pairs)."""
    parts = [e for e in (clause_expression(c, columns=columns) for c in plan.required) if e]
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
    """Ranked by relevance with text: count and facets from the first `EXACT_LIMIT` + 1 matches (all of them, or a
    uniform sample: `_counted`), the window by BM25 over all matches when few, else from the shortest names
    (`_window`), ranked again by the plan's scorer. Without text, or by date: one exact statement (hits, count, every facet)."""
    expr = match_expression(plan)
    if not plan.empty and expr is None:
        return SearchResult(hits=[], count=0, backend=backend)
    if expr is not None and query.sort == "relevance":
        return _run_ranked(conn, query, plan, expr, backend=backend, label=label)
    source = "search_facets d"
    source_params: list[Any] = []
    if expr is not None:
        source = "search_fts f CROSS JOIN search_facets d ON d.rowid = f.rowid"  # FTS first
        source_params = [expr]
    rows = _statement(conn, query, source=source, source_params=source_params, matched=expr is not None,
                      ranked=False, hits=True)
    found = _fetch(conn, [(r[1], r[2]) for r in rows if r[0] == "hit"])
    return _result(conn, query, plan, found, rows, ranked=False, backend=backend, label=label)


def _run_ranked(conn: sqlite3.Connection, query: SearchQuery, plan: QueryPlan, expr: str, *, backend: str,
                label: Callable[[str, str], str]) -> SearchResult:
    rows, walked, last = _counted(conn, query, expr)
    window = max(RANK_WINDOW, query.offset + query.size)
    broad = walked > EXACT_LIMIT
    if broad:  # a uniform sample (rowids are hashes of the codes), scaled by the share of the rowid range it covers
        scale = ID_MASK / max(last, 1)
        rows = [(k, v, n if k == "hit" else round(n * scale)) for k, v, n in rows]
    visible = [r[1] for r in rows if r[0] == "hit"]
    if walked <= BM25_LIMIT:  # few: BM25 over every match picks the window, as it always did
        scores = dict(conn.execute(f"SELECT rowid, bm25(search_fts, {WEIGHTS}) FROM search_fts WHERE search_fts MATCH ?",
                                   [expr]).fetchall())
        page = sorted(((i, scores.get(i)) for i in visible), key=lambda x: (x[1] or 0.0, x[0]))[:window]
    else:
        page = _window(conn, query, plan)
    found = _fetch(conn, page)
    result = _result(conn, query, plan, found, [r for r in rows if r[0] != "hit"], ranked=True, backend=backend,
                     label=label)
    if broad:
        result.count = max(result.count, len(found))
        result.estimated = True
    return result


def _counted(conn: sqlite3.Connection, query: SearchQuery, expr: str) -> tuple[list[tuple[Any, ...]], int, int]:
    """Facets and count of the first `EXACT_LIMIT` + 1 matches in rowid order, and the rowids of up to
    `BM25_LIMIT` + 1 of them that are visible and pass the filters; how many matches were walked, the last rowid.
    The walk stops there: its cost does not grow with the number of matches."""
    rows = _statement(conn, query, source="f CROSS JOIN search_facets d ON d.rowid = f.rowid", source_params=[],
                      matched=False, ranked=False, hits=False, walk=expr)
    walked = next(((n, v) for k, v, n in rows if k == "walked"), (0, 0))
    return [r for r in rows if r[0] != "walked"], int(walked[0]), int(walked[1] or 0)


def _window(conn: sqlite3.Connection, query: SearchQuery, plan: QueryPlan) -> list[tuple[int, float | None]]:
    """The documents ranked again when many match, each with a tie-break in place of BM25 (FTS5's bm25() counts every
    match of each phrase for its IDF: the cost this avoids) that prefers short names. search_names and search_rank
    put the shortest names first (the name weighs most; BM25 and the scorer's coverage both prefer short names), so
    each walk stops after a few hundred matches, whatever the number of matches:
      - each required clause in the name, its strongest words apart from the others (a synonym's short names
        must not crowd out the word typed);
      - every required clause in the name, when there are several; the same with each clause's strongest word and
        one of its others both in the name (the fields and the words add up: names that hold more of them);
      - a department's name in the provider;
      - the query in the other columns (keywords, items, provider, pinyin …)."""
    clauses, params = where_sql(query)
    where = "".join(" AND " + c for c in clauses)
    walks: list[tuple[str, str, int]] = []
    names: list[str] = []
    fullest: list[str] = []
    for c in plan.required:
        strongest = max((t.weight for t in c.terms if not t.provider_only), default=0.0)
        strong = _phrases([t for t in c.terms if t.weight >= strongest])
        weak = _phrases([t for t in c.terms if t.weight < strongest])
        if strong:
            walks.append(("search_names", " OR ".join(strong), NAME_WINDOW))
        if weak:
            walks.append(("search_names", " OR ".join(weak), NAME_WINDOW // 2))
        if strong or weak:
            names.append("(" + " OR ".join(strong + weak) + ")")
            fullest.append(" AND ".join("(" + " OR ".join(ps) + ")" for ps in (strong, weak) if ps))
        departments = [p for p in (phrase(t.text) for t in c.terms if t.provider_only or t.department) if p]
        if departments:  # the provider weighs as a name for a department's name
            walks.append(("search_rank", f"provider : ({' OR '.join(departments)})", NAME_WINDOW))
    if len(names) > 1:
        walks.append(("search_names", " AND ".join(names), NAME_WINDOW))
    if fullest and (len(fullest) > 1 or " AND " in fullest[0]):
        walks.append(("search_names", " AND ".join(f"({f})" for f in fullest), NAME_WINDOW))
    other = match_expression(plan, columns=TEXT_COLUMNS[1:])
    if other:
        walks.append(("search_rank", other, OTHER_WINDOW))
    seen: dict[int, float | None] = {}
    for table, match, limit in walks:
        rows = conn.execute(f"SELECT r.rowid FROM {table} r CROSS JOIN search_facets d ON d.rowid = r.rowid & {ID_MASK} "
                            f"WHERE {table} MATCH ?{where} ORDER BY r.rowid LIMIT ?", [match, *params, limit]).fetchall()
        for (r,) in rows:
            seen.setdefault(r & ID_MASK, -10.0 / (1 + (r >> ID_BITS)))
    return list(seen.items())


def _statement(conn: sqlite3.Connection, query: SearchQuery, *, source: str, source_params: list[Any], matched: bool,
               ranked: bool, hits: bool, walk: str | None = None) -> list[tuple[Any, ...]]:
    """One statement: the matches of `source` (FTS evaluated once, joined to the narrow search_facets rows)
    materialised, then the hits (when `hits`) and every facet's counts. With `walk` (a match expression), `source`
    reads `f`, the first `EXACT_LIMIT` + 1 matches in rowid order, and the statement also gives ('walked', last rowid,
    how many) and up to `BM25_LIMIT` + 1 ('hit', rowid, 0) rows that pass.

    Disjunctive facets: with filters (and facets wanted), the materialised matches carry the text query and the
    visibility only, plus `ok` (every filter holds; only those rows are scored). Hits, count and the facets of
    unfiltered fields take the `ok` rows; a filtered field's facet, every other filter.
    """
    active = query.active_filters() if query.facets else {}
    clauses, params = where_sql(query, with_filters=not active)
    if matched:
        clauses.insert(0, "search_fts MATCH ?")
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
    walked = ""
    if walk is not None:  # its parameter comes first: `f` is the statement's first CTE
        walked = (f"f AS MATERIALIZED (SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid "
                  f"LIMIT {EXACT_LIMIT + 1}), ")
        select_params = [walk, *select_params]
        parts += ["SELECT 'walked', max(rowid), count(*) FROM f",
                  f"SELECT * FROM (SELECT 'hit', id, 0 FROM {mf} LIMIT {BM25_LIMIT + 1})"]
    return conn.execute(
        f"WITH {walked}m AS MATERIALIZED (SELECT d.rowid AS id, d.code AS code, d.published_on AS published_on, "
        f"{score_col}1 AS one{ok}, {cols} FROM {source} {where}) " + " UNION ALL ".join(parts),
        [*select_params, *params, *part_params],
    ).fetchall()


def _fetch(conn: sqlite3.Connection, page: list[tuple[int, float | None]]) -> list[tuple[dict[str, Any], float]]:
    """The window's documents as the plan's scorer reads them: search_text's normalised fields (the whole document:
    `_documents`)."""
    if not page:
        return []
    rows = {r[0]: r[1:] for r in conn.execute(
        f"SELECT rowid, {', '.join(SCORED_COLUMNS)} FROM search_text WHERE rowid IN ({', '.join('?' * len(page))})",
        [i for i, _ in page])}
    return [({**dict(zip(SCORED_COLUMNS, rows[i])), "_rowid": i}, -(s or 0.0)) for i, s in page if i in rows]


def _documents(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, dict[str, Any]]:
    rows = conn.execute(f"SELECT rowid, doc FROM search_docs WHERE rowid IN ({', '.join('?' * len(rowids))})",
                        rowids).fetchall() if rowids else []
    return {i: json.loads(doc) for i, doc in rows}


def _result(conn: sqlite3.Connection, query: SearchQuery, plan: QueryPlan, found: list[tuple[dict[str, Any], float]],
            rows: list[tuple[Any, ...]], *, ranked: bool, backend: str, label: Callable[[str, str], str]) -> SearchResult:
    """The page ranked again by the plan's scorer, the facets and the count of the statement's rows."""
    end = query.offset + query.size
    if ranked:
        scored = [(score_document(plan, d, bm25=b), b, d) for d, b in found]
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
