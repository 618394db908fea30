"""The Elasticsearch backend (also OpenSearch 2 / ES 7.10 API surface): the client side. Versioned indices
behind an alias (reindex swaps it atomically), `helpers.bulk`, the vocabulary for typo corrections, and
searches compiled from the shared query plan (`elastic_query`) against the mapping of `elastic_mapping`.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from catalog.errors import SearchRejected
from catalog.search.analysis import Vocabulary, lexicon_for, standard_terms
from catalog.search.base import FacetValue, Hit, Progress, SearchQuery, SearchResult, SearchUnavailable, Visibility
from catalog.search.documents import SearchDocument
from catalog.search.elastic_mapping import INDEX_SETTINGS, MAPPING, source_of
from catalog.search.elastic_query import COUNT_AGG, search_bodies, visibility_filter
from catalog.search.labels import facet_label
from catalog.search.plan import Planner, QueryPlan, explain, nearby, pinyin_prefix

VOCAB_TTL = 30.0
VOCAB_SIZE = 50_000
BULK_CHUNK = 2000
BULK_THREADS = 2
log = logging.getLogger(__name__)


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
        from elasticsearch.serializer import OrjsonSerializer

        self.url = url
        self.alias = alias
        self.standards = standards
        self.planner = Planner(lexicon=lexicon_for(standards), departments=standards.departments.values())
        self.client = Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False,
                                    node_class=_quick_ack_node(), serializer=OrjsonSerializer())
        self._vocab: tuple[float, Vocabulary] | None = None
        self._vocab_stale = False  # set by our own writes: refreshed before the next search
        self._refreshing = threading.Lock()
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
        self._call(self.client.indices.create, index=name, settings=INDEX_SETTINGS, mappings=MAPPING)
        return name

    def _concrete(self) -> list[str]:
        try:
            return sorted(self._call(self.client.indices.get_alias, name=self.alias).keys())
        except SearchUnavailable:
            if self._call(self.client.indices.exists_alias, name=self.alias):
                raise
            return []

    def ensure(self) -> None:
        """Create the first index behind the alias when there is none.

        Threads (a search and the outbox worker) and API processes race here. The first index has one fixed
        name, and creating an index is atomic: one racer creates it, the others find it there, and all point
        the alias at that one index. (With a fresh name each, two racers could each see only their own index
        behind the alias, both keep it, and leave an alias that refuses every write.) `rebuild` makes the
        later, versioned indices."""
        if self._ready:
            return
        with _ENSURE_LOCK:
            if self._ready:
                return
            if not self._call(self.client.indices.exists_alias, name=self.alias):
                name = f"{self.alias}-first"
                try:
                    self._call(self.client.indices.create, index=name, settings=INDEX_SETTINGS, mappings=MAPPING)
                except Exception as exc:  # noqa: BLE001 - only "it is there already" is expected
                    if "resource_already_exists" not in str(exc):
                        raise
                self._call(self.client.indices.put_alias, index=name, name=self.alias)
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
            yield {"_op_type": "index", "_index": index, "_id": doc.code, "_source": source_of(doc)}

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
        aggs = {"terms": {"terms": {"field": "terms", "size": VOCAB_SIZE}}}
        resp = self._call(self.client.search, index=self.alias, size=0, aggs=aggs)
        df = {b["key"]: int(b["doc_count"]) for b in resp["aggregations"]["terms"]["buckets"]}
        return Vocabulary([*df, *standard_terms(self.standards)], df=df)

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

    def plan(self, q: str) -> QueryPlan:
        return self.planner.plan(q, vocabulary=self.vocabulary()) if q.strip() else QueryPlan(q=q)

    def bodies(self, query: SearchQuery, plan: QueryPlan) -> list[dict[str, Any]]:
        """The request bodies of one search (exposed for the benchmark's raw-Elasticsearch ceiling)."""
        return search_bodies(query, plan)

    def _msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        searches: list[dict[str, Any]] = []
        for b in bodies:
            searches += [{}, b]
        responses: list[dict[str, Any]] = self._call(self.client.msearch, index=self.alias,
                                                     searches=searches)["responses"]
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

        def run_plan(p: QueryPlan, q: SearchQuery) -> SearchResult:
            responses = self._msearch(search_bodies(q, p))
            return self.result(responses[0], counted=responses[-1])

        plan = self.plan(query.q)
        result = run_plan(plan, query)
        result.nearby = nearby(query, plan, result, run_plan)
        return explain(result, plan, self.vocabulary())

    def result(self, resp: dict[str, Any], *, counted: dict[str, Any] | None = None) -> SearchResult:
        """Hits from `resp`; count and facets from `counted` (the size-0 facet response) when given."""
        counted = counted or resp
        hits = [Hit.from_source(h["_source"], score=h.get("_score") or 0.0, highlight=h.get("highlight", {}))
                for h in resp["hits"]["hits"]]
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
        pinyin = pinyin_prefix(prefix)
        if pinyin:
            should.append({"match": {"pinyin": pinyin}})
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
