"""A QueryPlan compiled to Elasticsearch request bodies: matching in filter context (OR of the required clauses
with the plan's minimum-should-match), scoring as should clauses with the plan's field and term weights, the
whole query as a name phrase boost; filters, visibility and disjunctive facet aggregations."""
from __future__ import annotations

from typing import Any

from catalog.search.analysis import has_cjk, minimal_alternatives
from catalog.search.base import FACET_FILTER, FACETS, SearchQuery, Visibility
from catalog.search.elastic_mapping import MATCH_FIELD, SOURCE
from catalog.search.plan import FIELD_WEIGHTS, NEAR_GAP, PHRASE_BOOST, Clause, QueryPlan, Term

TIE_BREAK = 0.03  # BM25 over the name only orders documents of equal field-weighted score
COUNT_AGG = "_count"  # the exact count under every filter, when the facet request's query leaves filters out
HIGHLIGHT_FIELDS = {"name": {"number_of_fragments": 0}, "abstract": {"fragment_size": 120, "number_of_fragments": 1},
                    "item_names": {"number_of_fragments": 3}, "keywords": {"number_of_fragments": 3},
                    "provider": {"number_of_fragments": 0}}


def _phrase_match(text: str, *, field: str = MATCH_FIELD) -> dict[str, Any]:
    if len(text) == 1 and has_cjk(text):  # one character: the unigram subfields
        return {"multi_match": {"query": text, "fields": [f"{f}.uni" for f in FIELD_WEIGHTS]}}
    return {"match_phrase": {field: text}}


def near_match(t: Term, *, field: str = MATCH_FIELD) -> dict[str, Any]:
    """A near term: its parts in order, at most NEAR_GAP characters between two (one bigram position more: the
    bigram across the joint of adjacent parts)."""
    rule: dict[str, Any] = {"match": {"query": t.parts[0], "max_gaps": 0}}
    for p in t.parts[1:]:
        rule = {"all_of": {"ordered": True, "max_gaps": NEAR_GAP + 1,
                           "intervals": [rule, {"match": {"query": p, "max_gaps": 0}}]}}
    return {"intervals": {field: rule}}


def clause_match(c: Clause) -> dict[str, Any]:
    """Does a document match the clause: any term as a phrase (provider-only terms in the provider field)."""
    open_terms = minimal_alternatives([t.text for t in c.terms if not t.provider_only and not t.parts])
    should = [_phrase_match(t) for t in open_terms]
    should += [near_match(t) for t in c.terms if t.parts]
    should += [{"match_phrase": {"provider": t.text}} for t in c.terms if t.provider_only]
    if c.pinyin:
        should.append({"match": {"pinyin": c.pinyin}})
    return should[0] if len(should) == 1 else {"bool": {"should": should, "minimum_should_match": 1}}


def plan_match(plan: QueryPlan) -> dict[str, Any]:
    clauses = [clause_match(c) for c in plan.required]
    return {"bool": {"should": clauses, "minimum_should_match": plan.minimum_should_match}}


def _field_match(field: str, t: Term, *, one: bool) -> dict[str, Any]:
    if t.parts:
        return near_match(t, field=field)
    return {"match": {f"{field}.uni": t.text}} if one else {"match_phrase": {field: t.text}}


def _term_fields(t: Term) -> dict[str, float]:
    """The fields a term is scored in, with their weights (as `plan.clause_score` weighs them)."""
    fields = dict(FIELD_WEIGHTS)
    if not has_cjk(t.text):
        fields |= {"item_identifiers": FIELD_WEIGHTS["item_names"], "codes": 3.0}
    if t.department:  # a department typed by name: its resources (provider) weigh as much as a name match
        fields["provider"] = FIELD_WEIGHTS["name"] + FIELD_WEIGHTS["provider"]
    return fields


def _term_score(t: Term, weight: float) -> dict[str, Any]:
    """A constant score per field the term appears in (field weight × term weight × clause weight), summed over the
    fields: how `plan.score_document` ranks. BM25 would let a long synonym phrase (six bigrams) outscore the word
    typed, and a frequent word in a long abstract outscore a name."""
    boost = t.weight * weight
    if t.provider_only:
        return {"constant_score": {"filter": {"match_phrase": {"provider": t.text}},
                                   "boost": round(boost * FIELD_WEIGHTS["provider"] * 2, 4)}}
    one = len(t.text) == 1 and has_cjk(t.text)
    should = [{"constant_score": {"filter": _field_match(f, t, one=one and f in FIELD_WEIGHTS),
                                  "boost": round(boost * w, 4)}} for f, w in _term_fields(t).items()]
    return {"bool": {"should": should}}


def _highlight_query(text: str) -> dict[str, Any]:
    one = len(text) == 1 and has_cjk(text)
    fields = [f"{f}.uni" if one else f for f in FIELD_WEIGHTS]
    fields += [] if has_cjk(text) else ["item_identifiers", "codes"]
    return {"multi_match": {"query": text, "type": "phrase", "fields": fields}}


def clause_score(c: Clause) -> dict[str, Any]:
    """The best term's field-weighted score (dis_max: synonyms do not add up), times the clause weight."""
    queries = [_term_score(t, c.weight) for t in c.terms]
    if c.pinyin:
        # the pinyin of a name, keyword or item: weighs as the name would
        queries.append({"constant_score": {"filter": {"match": {"pinyin": c.pinyin}},
                                           "boost": FIELD_WEIGHTS["name"] * c.weight}})
    return {"dis_max": {"queries": queries}}


def _other_terms(plan: QueryPlan, typed: set[str]) -> dict[str, float]:
    """The plan's terms other than the words typed (not provider-only, not near), each with its best weight."""
    out: dict[str, float] = {}
    for c in plan.clauses:
        for t in c.terms:
            if t.text not in typed and not t.provider_only and not t.parts:
                out[t.text] = max(out.get(t.text, 0.0), t.weight * c.weight)
    return out


def plan_score(plan: QueryPlan) -> list[dict[str, Any]]:
    should = [clause_score(c) for c in plan.clauses]
    for p in plan.phrases:
        should.append({"constant_score": {"filter": {"match_phrase": {"name": p}}, "boost": PHRASE_BOOST}})
        should.append({"constant_score": {"filter": {"match_phrase": {"name": {"query": p, "slop": 3}}}, "boost": 2}})
    # ties: BM25 in the name of the words typed and, weighted as they are, of the plan's other terms (synonyms,
    # corrections, department names) as phrases: as the embedded backend's BM25 over the whole match expression
    typed = list(dict.fromkeys(c.typed for c in plan.clauses))
    should.append({"match": {"name": {"query": " ".join(typed), "boost": TIE_BREAK}}})
    should += [{"match_phrase": {"name": {"query": t, "boost": round(TIE_BREAK * w, 4)}}}
               for t, w in _other_terms(plan, set(typed)).items()]
    should += [{"match": {"pinyin": {"query": c.pinyin, "boost": TIE_BREAK}}} for c in plan.clauses if c.pinyin]
    return should


def visibility_filter(vis: Visibility) -> list[dict[str, Any]]:
    if vis.unrestricted:
        return []
    should: list[dict[str, Any]] = []
    if vis.states:
        should.append({"terms": {"state": sorted(vis.states)}})
    if vis.own_department:
        should.append({"term": {"provider_code": vis.own_department}})
    return [{"bool": {"should": should or [{"match_none": {}}], "minimum_should_match": 1}}]


def filter_clause(key: str, values: tuple[str, ...]) -> dict[str, Any]:
    """One filter: values OR-ed within the field (`classification` by prefix, the others exactly)."""
    if key == "classification":
        return {"bool": {"should": [{"prefix": {"classification": v}} for v in values], "minimum_should_match": 1}}
    return {"terms": {key: list(values)}}


def filter_clauses(query: SearchQuery) -> list[dict[str, Any]]:
    return visibility_filter(query.visibility) + [filter_clause(k, v) for k, v in query.active_filters().items()]


def facet_body(query: SearchQuery, base: list[dict[str, Any]]) -> dict[str, Any]:
    """The size-0 facet request. Disjunctive facets: with filters, its query is the text and the visibility only;
    each facet is a `filter` aggregation with every other field's filters, and `_count` applies them all."""
    active = {k: filter_clause(k, v) for k, v in query.active_filters().items()}
    if not active:
        return {"query": {"bool": {"filter": base}}, "size": 0, "track_total_hits": True,
                "aggs": {f: {"terms": {"field": f, "size": 100}} for f in FACETS}}
    aggs: dict[str, Any] = {COUNT_AGG: {"filter": {"bool": {"filter": list(active.values())}}}}
    for f in FACETS:
        others = [c for k, c in active.items() if k != FACET_FILTER[f]]
        terms = {"terms": {"field": f, "size": 100}}
        aggs[f] = {"filter": {"bool": {"filter": others}}, "aggs": {"v": terms}} if others else terms
    return {"query": {"bool": {"filter": base}}, "size": 0, "track_total_hits": False, "aggs": aggs}


def search_bodies(query: SearchQuery, plan: QueryPlan) -> list[dict[str, Any]]:
    """The request bodies of one search, sent together with `_msearch`: the page of hits (scored, highlighted, total
    not counted) and, when facets are wanted, a size-0 request in filter context that counts and aggregates."""
    filters = filter_clauses(query)
    base = visibility_filter(query.visibility)  # the facet request: filters applied per aggregation
    if not plan.empty:
        text = plan_match(plan)
        filters.append(text)
        base.append(text)
    scored = not plan.empty and query.sort == "relevance"
    hits: dict[str, Any] = {
        "query": {"bool": {"filter": filters, **({"should": plan_score(plan)} if scored else {})}},
        "from": query.offset, "size": query.size, "_source": SOURCE,
        "track_total_hits": not query.facets,
    }
    if scored:
        hits["sort"] = ["_score", {"code": "asc"}]
    else:
        hits["sort"] = [{"published_on": {"order": "desc", "missing": "_last"}}, {"code": "asc"}]
    if query.highlight and not plan.empty:
        terms = [_highlight_query(t) for t in dict.fromkeys(plan.highlight_terms())]
        hits["highlight"] = {"pre_tags": ["<em>"], "post_tags": ["</em>"], "encoder": "html",
                             "highlight_query": {"bool": {"should": terms}}, "fields": HIGHLIGHT_FIELDS}
    if not query.facets:
        return [hits]
    return [hits, facet_body(query, base)]
