"""The Elasticsearch backend (also OpenSearch 2 / ES 7.10 API surface): explicit mapping, CJK bigram
analysis from built-in parts, a pinyin edge-ngram field computed in Python, versioned indices behind
an alias (reindex swaps it atomically), `helpers.bulk`, aggregations for facets, highlighting.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from catalog.errors import SearchRejected
from catalog.search.analysis import Group, QueryCache, Vocabulary, has_cjk, lexicon_for, minimal_alternatives, pinyin_tokens, standard_terms, understand
from catalog.search.base import FACET_FILTER, FACETS, FacetValue, Hit, Progress, SearchQuery, SearchResult, SearchUnavailable, Visibility
from catalog.search.documents import SearchDocument
from catalog.search.labels import facet_label

TEXT_FIELDS = {"name": 10, "provider": 2, "keywords": 6, "item_names": 4, "abstract": 1}
VOCAB_TTL = 30.0
BULK_CHUNK = 2000
BULK_THREADS = 2
RESCORE_WINDOW = 50  # first-pass hits scored again with every field's phrase

ANALYSIS = {
    "filter": {"prefix_ngram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 24}},
    "analyzer": {
        "cjk_text": {"type": "custom", "tokenizer": "standard", "filter": ["cjk_width", "lowercase", "cjk_bigram"]},
        "prefix_index": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase", "prefix_ngram"]},
        "prefix_search": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
        "name_prefix_index": {"type": "custom", "tokenizer": "keyword", "filter": ["lowercase", "prefix_ngram"]},
        "name_prefix_search": {"type": "custom", "tokenizer": "keyword", "filter": ["lowercase"]},
    },
}


MATCH_FIELD = "all"  # every text field copied into one: matching is one phrase per alternative, scoring per field
COPY = {"copy_to": [MATCH_FIELD]}


def _text(raw: bool = False) -> dict[str, Any]:
    fields: dict[str, Any] = {"uni": {"type": "text", "analyzer": "standard"}}
    if raw:
        fields["raw"] = {"type": "keyword", "ignore_above": 256}
    return {"type": "text", "analyzer": "cjk_text", "fields": fields, **COPY}


MAPPING = {
    "dynamic": "strict",
    "properties": {
        "code": {"type": "keyword"},
        "name": {**_text(raw=True), "fields": {**_text(raw=True)["fields"], "prefix": {
            "type": "text", "analyzer": "name_prefix_index", "search_analyzer": "name_prefix_search"}}},
        "abstract": _text(),
        "provider": _text(),
        "keywords": _text(raw=True),
        "item_names": _text(raw=True),
        "item_identifiers": {"type": "text", "analyzer": "standard", **COPY},
        "codes": {"type": "text", "analyzer": "standard", **COPY},
        MATCH_FIELD: {"type": "text", "analyzer": "cjk_text", "norms": False},
        "pinyin": {"type": "text", "analyzer": "prefix_index", "search_analyzer": "prefix_search"},
        "classification": {"type": "keyword"},
        "published_on": {"type": "date", "format": "yyyy-MM-dd"},
        "updated_at": {"type": "date", "format": "yyyy-MM-dd"},
        "format_type": {"type": "keyword"},
        **{f: {"type": "keyword"} for f in FACETS},
    },
}
# what a Hit needs; nothing else travels back
log = logging.getLogger(__name__)
SOURCE = ["code", "name", "provider", "provider_code", "classification", "share_type", "format_category",
          "update_cycle", "open_to_public", "state", "published_on", "abstract"]


def _source(doc: SearchDocument) -> dict[str, Any]:
    body = doc.to_dict()
    body.update({f: doc.facet_value(f) for f in FACETS})
    body["pinyin"] = pinyin_tokens([doc.name, *doc.keywords, *doc.item_names])
    return body


def _alternative(alt: str) -> dict[str, Any]:
    """Scoring: the alternative as a phrase in each text field (its weight); identifiers/codes only for ASCII."""
    one_char = len(alt) == 1
    fields = [f"{f}.uni^{w}" if one_char else f"{f}^{w}" for f, w in TEXT_FIELDS.items()]
    if not has_cjk(alt):
        fields += ["item_identifiers^4", "codes^3"]
    return {"multi_match": {"query": alt, "type": "phrase", "fields": fields}}


def group_query(g: Group) -> dict[str, Any]:
    should = [_alternative(a) for a in g.alternatives]
    if g.pinyin:
        should.append({"match": {"pinyin": {"query": g.pinyin, "boost": 4}}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _match_alternatives(g: Group) -> list[dict[str, Any]]:
    should: list[dict[str, Any]] = [
        {"match_phrase": {MATCH_FIELD: a}} if len(a) > 1 else  # one character: the unigram subfields
        {"multi_match": {"query": a, "fields": [f"{f}.uni" for f in TEXT_FIELDS]}}
        for a in minimal_alternatives(g.alternatives)
    ]
    if g.pinyin:
        should.append({"match": {"pinyin": g.pinyin}})
    return should


def group_first_pass(g: Group) -> dict[str, Any]:
    """Cheap scoring of every match: the minimal alternatives over `all`, the alternatives as phrases in the name."""
    should = _match_alternatives(g)
    should += [{"match_phrase": {"name.uni" if len(a) == 1 else "name": {"query": a, "boost": TEXT_FIELDS["name"]}}}
               for a in g.alternatives]
    return {"bool": {"should": should}}


def group_match(g: Group) -> dict[str, Any]:
    """Matching (no scoring): one phrase per minimal alternative over the copied-together text field."""
    should = _match_alternatives(g)
    return should[0] if len(should) == 1 else {"bool": {"should": should, "minimum_should_match": 1}}


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


COUNT_AGG = "_count"  # the exact count under every filter, when the facet request's query leaves filters out


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


_ENSURE_LOCK = threading.Lock()


def _quick_ack_node() -> type:
    """An elastic_transport urllib3 node whose connections ask Linux to ACK the response at once.

    A server (or proxy, like the compat proxy here) that writes a response's headers and body in two writes
    without TCP_NODELAY holds the body back (Nagle) until the headers are ACKed, and a client in delayed-ACK
    mode waits up to 40 ms to ACK: measured here as a 40 ms stall on most requests. TCP_QUICKACK set just
    before reading the response removes it; everything else is the stock node.
    """
    import socket

    from elastic_transport import Urllib3HttpNode
    from urllib3.connection import HTTPConnection

    quickack = getattr(socket, "TCP_QUICKACK", None)

    class QuickAckConnection(HTTPConnection):
        def getresponse(self, *args: Any, **kwargs: Any) -> Any:
            if quickack is not None and self.sock is not None:
                try:
                    self.sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
                except OSError:
                    pass
            return super().getresponse(*args, **kwargs)

    class QuickAckNode(Urllib3HttpNode):
        def __init__(self, config: Any) -> None:
            super().__init__(config)
            if config.scheme == "http":
                self.pool.ConnectionCls = QuickAckConnection

    return QuickAckNode


class ElasticBackend:
    name = "elasticsearch"

    def __init__(self, *, url: str, alias: str, standards: Any, timeout: float = 5.0) -> None:
        from elasticsearch import Elasticsearch

        self.url = url
        self.alias = alias
        self.standards = standards
        self.lexicon = lexicon_for(standards)
        self.client = Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False,
                                    node_class=_quick_ack_node())
        self._vocab: tuple[float, Vocabulary] | None = None
        self._vocab_stale = False  # set by our own writes: refreshed before the next search
        self._refreshing = threading.Lock()
        self._queries = QueryCache()
        self._ready = False

    # -- index lifecycle -----------------------------------------------------------------------
    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        from elasticsearch import ApiError, TransportError

        try:
            return fn(*args, **kwargs)
        except (TransportError, ApiError) as exc:
            if isinstance(exc, ApiError) and getattr(exc, "status_code", 500) < 500 and getattr(exc, "status_code", 0) != 404:
                raise
            raise SearchUnavailable(f"Elasticsearch {self.url}: {exc}") from exc

    def _new_index(self) -> str:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        name = f"{self.alias}-{stamp}-{secrets.token_hex(3)}"
        self._call(self.client.indices.create, index=name, settings={
            "number_of_shards": 1, "number_of_replicas": 0, "analysis": ANALYSIS, "max_result_window": 10_000,
        }, mappings=MAPPING)
        return name

    def _concrete(self) -> list[str]:
        try:
            return sorted(self._call(self.client.indices.get_alias, name=self.alias).keys())
        except SearchUnavailable:
            if self._call(self.client.indices.exists_alias, name=self.alias):
                raise
            return []

    def ensure(self) -> None:
        """Create the first versioned index behind the alias when there is none.

        Threads (a search and the outbox worker) and processes may race here: each that finds no alias
        creates an index and adds it; then the alias may name several indices (and accept no writes), so
        every racer keeps the first by name and removes its own if it lost. All converge on one index."""
        if self._ready:
            return
        with _ENSURE_LOCK:
            if self._ready:
                return
            if not self._call(self.client.indices.exists_alias, name=self.alias):
                name = self._new_index()
                self._call(self.client.indices.put_alias, index=name, name=self.alias)
                winner, *_ = self._concrete() or [name]
                if winner != name:
                    self._call(self.client.indices.update_aliases,
                               actions=[{"remove_index": {"index": name}}])
            self._ready = True

    def reset(self) -> None:
        self.drop()
        self.ensure()

    def drop(self) -> None:
        """Delete every index behind the alias (tests; `reset`)."""
        for name in self._concrete():
            self._call(self.client.indices.delete, index=name)
        self._ready = False

    def rebuild(self, docs: Iterable[SearchDocument], *, progress: Progress | None = None) -> int:
        """Fill a new index, then swap the alias in one atomic call and delete the old index."""
        new = self._new_index()
        self._call(self.client.indices.put_settings, index=new, settings={"index": {
            "refresh_interval": "-1", "translog.durability": "async"}})  # while filling: no refreshes, no fsync per request
        try:
            total = self._bulk(self._actions(docs, index=new), progress=progress, threads=BULK_THREADS)
            self._call(self.client.indices.put_settings, index=new, settings={"index": {
                "refresh_interval": "1s", "translog.durability": "request"}})
            self._call(self.client.indices.flush, index=new)
            self._call(self.client.indices.refresh, index=new)
            old = self._concrete()
            actions = [{"remove": {"index": o, "alias": self.alias}} for o in old] + [{"add": {"index": new, "alias": self.alias}}]
            self._call(self.client.indices.update_aliases, actions=actions)
        except BaseException:
            self.client.indices.delete(index=new, ignore_unavailable=True)
            raise
        for o in old:
            self._call(self.client.indices.delete, index=o)
        self._ready, self._vocab = True, None
        return total

    # -- writing -------------------------------------------------------------------------------
    def _actions(self, docs: Iterable[SearchDocument], *, index: str) -> Iterator[dict[str, Any]]:
        for doc in docs:
            yield {"_op_type": "index", "_index": index, "_id": doc.code, "_source": _source(doc)}

    def _bulk(self, actions: Iterable[dict[str, Any]], *, progress: Progress | None = None, refresh: Any = False,
              threads: int = 1) -> int:
        """`helpers.streaming_bulk`, or `helpers.parallel_bulk` with `threads` requests in flight (a rebuild: one
        bulk request is indexed by one server thread, so two keep two cores busy)."""
        from elasticsearch import helpers

        done = 0
        if threads > 1:
            stream = helpers.parallel_bulk(self.client, actions, thread_count=threads, chunk_size=BULK_CHUNK,
                                           raise_on_error=True, refresh=refresh)
        else:
            stream = helpers.streaming_bulk(self.client, actions, chunk_size=BULK_CHUNK, raise_on_error=True,
                                            max_retries=0, refresh=refresh)
        try:
            for ok, item in stream:
                done += 1
                if progress and done % BULK_CHUNK == 0:
                    progress(done)
        except helpers.BulkIndexError as exc:
            raise SearchUnavailable(f"Elasticsearch bulk: {exc.errors[:1]}") from exc
        except Exception as exc:
            from elasticsearch import TransportError

            if isinstance(exc, (TransportError, ConnectionError)):
                raise SearchUnavailable(f"Elasticsearch {self.url}: {exc}") from exc
            raise
        if progress:
            progress(done)
        return done

    def index(self, docs: Iterable[SearchDocument]) -> int:
        docs = list(docs)
        if not docs:
            return 0
        self.ensure()
        # refresh=True: the batch is searchable at once (the outbox worker calls this off the request path,
        # one bulk per round, so refreshes stay few under load; "wait_for" waited up to refresh_interval)
        n = self._bulk(self._actions(docs, index=self.alias), refresh=True)
        self._vocab_stale = True
        return n

    def remove(self, codes: Iterable[str]) -> int:
        codes = list(codes)
        if not codes:
            return 0
        self.ensure()
        from elasticsearch import helpers

        actions = ({"_op_type": "delete", "_index": self.alias, "_id": c} for c in codes)
        try:
            ok, errors = helpers.bulk(self.client, actions, raise_on_error=False, refresh=True, max_retries=0)
        except Exception as exc:
            raise SearchUnavailable(f"Elasticsearch {self.url}: {exc}") from exc
        real = [e for e in errors if e.get("delete", {}).get("status") != 404] if isinstance(errors, list) else []
        if real:
            raise SearchUnavailable(f"Elasticsearch delete: {real[:1]}")
        self._vocab_stale = True
        return ok

    # -- reading -------------------------------------------------------------------------------
    def _fetch_vocabulary(self) -> Vocabulary:
        aggs = {f: {"terms": {"field": f"{f}.raw", "size": 10_000}} for f in ("item_names", "keywords")}
        resp = self._call(self.client.search, index=self.alias, size=0, aggs=aggs)
        terms = [b["key"] for f in aggs for b in resp["aggregations"][f]["buckets"]]
        return Vocabulary([*terms, *standard_terms(self.standards)])

    def _refresh_vocabulary(self) -> None:
        if not self._refreshing.acquire(blocking=False):
            return
        try:
            self._vocab = (time.monotonic(), self._fetch_vocabulary())
        except Exception as exc:  # keep the old one; try again after the next TTL
            log.warning("search vocabulary refresh failed: %s", exc)
            self._vocab = (time.monotonic(), self._vocab[1]) if self._vocab else None
        finally:
            self._refreshing.release()

    def vocabulary(self) -> Vocabulary:
        """Catalogue terms for corrections: fetched at first use and after our own writes; refreshed in the
        background every VOCAB_TTL seconds (other processes' writes) while searches use the previous one."""
        cached = self._vocab
        if cached is None or self._vocab_stale:
            self._vocab_stale = False
            self._vocab = cached = (time.monotonic(), self._fetch_vocabulary())
        elif time.monotonic() - cached[0] > VOCAB_TTL and not self._refreshing.locked():
            threading.Thread(target=self._refresh_vocabulary, name="mulu-es-vocabulary", daemon=True).start()
        return cached[1]

    def groups(self, q: str) -> list[Group]:
        return self._queries.groups(q, lexicon=self.lexicon, vocabulary=self.vocabulary()) if q.strip() else []

    def bodies(self, query: SearchQuery, groups: list[Group], *, any_group: bool = False) -> list[dict[str, Any]]:
        """The request bodies of one search, sent together with `_msearch` (exposed for the benchmark's ceiling):
        the page of hits (scored, highlighted, total not counted) and, when facets are wanted, a size-0 request in
        filter context that counts exactly and aggregates (cheap: no scoring, cacheable by the shard request cache).
        Matching is one phrase per minimal alternative over the copied-together `all` field; scoring is per field.
        """
        filters = filter_clauses(query)
        base = visibility_filter(query.visibility)  # the facet request: filters applied per aggregation
        if groups:
            matches = [group_match(g) for g in groups]
            text = ({"bool": {"should": matches, "minimum_should_match": 1}} if any_group
                    else {"bool": {"filter": matches}})
            filters.append(text)
            base.append(text)
        scored = bool(groups) and query.sort == "relevance"
        hits: dict[str, Any] = {
            "query": {"bool": {"filter": filters, **({"should": [group_first_pass(g) for g in groups]} if scored else {})}},
            "from": query.offset, "size": query.size, "_source": SOURCE,
            "track_total_hits": not query.facets,
        }
        if scored and RESCORE_WINDOW:  # the full per-field phrase scoring only for the top of the first pass
            hits["rescore"] = {"window_size": max(RESCORE_WINDOW, query.offset + query.size), "query": {
                "rescore_query": {"bool": {"should": [group_query(g) for g in groups]}},
                "query_weight": 1.0, "rescore_query_weight": 1.0}}
        else:
            hits["sort"] = [{"published_on": {"order": "desc", "missing": "_last"}}, {"code": "asc"}]
        if query.highlight and groups:
            hits["highlight"] = {
                "pre_tags": ["<em>"], "post_tags": ["</em>"], "encoder": "html",
                "highlight_query": {"bool": {"should": [group_query(g) for g in groups]}},
                "fields": {"name": {"number_of_fragments": 0}, "abstract": {"fragment_size": 120, "number_of_fragments": 1},
                           "item_names": {"number_of_fragments": 3}, "keywords": {"number_of_fragments": 3},
                           "provider": {"number_of_fragments": 0}},
            }
        if not query.facets:
            return [hits]
        return [hits, facet_body(query, base)]

    def _msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        searches: list[dict[str, Any]] = []
        for b in bodies:
            searches += [{}, b]
        responses = self._call(self.client.msearch, index=self.alias, searches=searches)["responses"]
        for r in responses:
            if "error" in r:
                status = int(r.get("status") or 500)
                if status >= 500 or status == 404:
                    raise SearchUnavailable(f"Elasticsearch {self.url}: {r['error']}")
                raise SearchRejected(f"检索服务拒绝了查询，请联系管理员（可运行 mulu reindex 重建索引）"
                                     f" (the search engine rejected the query: {str(r['error'])[:300]})")
        return responses

    def search(self, query: SearchQuery) -> SearchResult:
        self.ensure()
        groups = self.groups(query.q)
        responses = self._msearch(self.bodies(query, groups))
        result = self.result(responses[0], counted=responses[-1])
        if result.count == 0 and len(groups) > 1:  # no resource has every word: any of them
            responses = self._msearch(self.bodies(query, groups, any_group=True))
            result = self.result(responses[0], counted=responses[-1])
        result.interpreted = [g.alternatives for g in groups]
        return result

    def result(self, resp: dict[str, Any], *, counted: dict[str, Any] | None = None) -> SearchResult:
        """Hits from `resp`; count and facets from `counted` (the size-0 facet response) when given."""
        counted = counted or resp
        hits = []
        for h in resp["hits"]["hits"]:
            s = h["_source"]
            hits.append(Hit(code=s["code"], name=s["name"], provider=s["provider"], provider_code=s["provider_code"],
                            classification=s["classification"], share_type=s["share_type"],
                            format_category=s["format_category"], update_cycle=s["update_cycle"],
                            open_to_public=s["open_to_public"] == "true", state=s["state"],
                            published_on=s.get("published_on"), abstract=s.get("abstract", ""),
                            score=float(h.get("_score") or 0.0), highlight=h.get("highlight", {})))
        aggregations = dict(counted.get("aggregations") or {})
        counter = aggregations.pop(COUNT_AGG, None)
        facets = {
            f: [FacetValue(str(b["key"]), facet_label(f, str(b["key"]), standards=self.standards), b["doc_count"])
                for b in (agg["buckets"] if "buckets" in agg else agg["v"]["buckets"]) if str(b["key"]) != ""]
            for f, agg in aggregations.items()
        }
        count = counter["doc_count"] if counter is not None else counted["hits"]["total"]["value"]
        return SearchResult(hits=hits, count=count, facets=facets, backend=self.name)

    def suggest(self, prefix: str, *, limit: int = 10, visibility: Visibility | None = None) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        self.ensure()
        should: list[dict[str, Any]] = [{"match": {"name.prefix": {"query": prefix, "boost": 3}}}]
        if prefix.isascii() and prefix.replace(" ", "").isalpha():
            should.append({"match": {"pinyin": prefix.lower().replace(" ", "")}})
        else:
            should.append({"match_phrase": {"name": prefix}})
        resp = self._call(self.client.search, index=self.alias, size=limit * 2, _source=["name"],
                          query={"bool": {"should": should, "minimum_should_match": 1,
                                          "filter": visibility_filter(visibility or Visibility())}})
        return list(dict.fromkeys(h["_source"]["name"] for h in resp["hits"]["hits"]))[:limit]

    def health(self) -> dict[str, Any]:
        try:
            info = self._call(self.client.cluster.health)
            count = self._call(self.client.count, index=self.alias)["count"] if self._concrete() else 0
            return {"backend": self.name, "ok": True, "status": info.get("status"), "documents": count,
                    "alias": self.alias, "indices": self._concrete()}
        except SearchUnavailable as exc:
            return {"backend": self.name, "ok": False, "error": str(exc)}

    def count(self) -> int:
        self.ensure()
        self._call(self.client.indices.refresh, index=self.alias)
        return int(self._call(self.client.count, index=self.alias)["count"])

    def close(self) -> None:
        self.client.close()
