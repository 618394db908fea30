"""Consistency: writes go through the outbox; an Elasticsearch outage loses nothing and degrades search."""
from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

import pytest

from catalog.auth import SYSTEM
from catalog.db import open_database
from catalog.registry import create_resource
from catalog.search.base import SearchQuery, Visibility
from catalog.search.documents import document_from_record
from catalog.search.elastic import ElasticBackend
from catalog.search.embedded import EmbeddedBackend
from catalog.search.outbox import apply_outbox, attach_to, pending_count, reindex
from catalog.search.resilient import ResilientBackend
from catalog.settings import Settings
from catalog.standards import load_standards
from tests.databases import any_database, postgres_database
from tests.search.corpus import MARKET, record

CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens there: the "Elasticsearch is down" phase


def _record(i: int) -> dict:
    return record(f"102001/{900000 + i:06d}", f"停机期间登记的资源{i}号", provider="义乌市市场监督管理局",
                  provider_code=MARKET, abstract=f"停机写入测试第{i}条，用于验证不丢数据。", items=[("资源备注", "resource_remark")],
                  share_type="无条件共享")


def test_embedded_outbox_applies_after_each_commit(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    db = open_database(settings)
    backend = EmbeddedBackend(path=tmp_path / "mulu.db", standards=load_standards())
    attach_to(db=db, backend=backend, worker_interval=None)
    with db.transaction() as session:
        create_resource(session=session, actor=SYSTEM, record=_record(1), allow_code=True)
    assert pending_count(db=db) == 0
    hits = backend.search(SearchQuery(q="停机期间登记", visibility=Visibility.everything())).hits
    assert [h.code for h in hits] == ["102001/900001"] and hits[0].state == "draft"
    assert backend.search(SearchQuery(q="停机期间登记")).hits == []  # drafts hidden from the public


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_apply_outbox_drains_every_batch_and_a_write_costs_one_claim(tmp_path: Path, kind: str) -> None:
    """Several full batches are all applied in one call; a single write's own call claims its row with one
    query (it stops at the short batch instead of asking again for an empty one)."""
    from sqlalchemy import event

    with any_database(kind, tmp_path) as db:
        backend = EmbeddedBackend(path=tmp_path / "search.db", standards=load_standards())
        with db.transaction() as session:  # 7 pending rows, no hook yet
            for i in range(7):
                create_resource(session=session, actor=SYSTEM, record=_record(i), allow_code=True)
        assert pending_count(db=db) == 7
        claims: list[str] = []

        def count_claims(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            if "FROM outbox" in statement and "applied_at IS NULL" in statement and "count" not in statement:
                claims.append(statement)

        event.listen(db.engine, "before_cursor_execute", count_claims)
        run = apply_outbox(db=db, backend=backend, batch=3)  # 3 + 3 + 1
        assert run.applied == 7 and pending_count(db=db) == 0 and len(claims) == 3
        assert backend.search(SearchQuery(q="停机期间登记", visibility=Visibility.everything(), size=20)).count == 7

        db.after_commit.append(lambda: apply_outbox(db=db, backend=backend))
        claims.clear()
        with db.transaction() as session:
            create_resource(session=session, actor=SYSTEM, record=_record(7), allow_code=True)
        assert len(claims) == 1 and pending_count(db=db) == 0
        hits = backend.search(SearchQuery(q="停机期间登记的资源7号", visibility=Visibility.everything())).hits
        assert "102001/900007" in [h.code for h in hits]
        backend.close()


class Recording(EmbeddedBackend):
    """The real embedded index, counting how often each code is indexed."""

    def __init__(self, **kw) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kw)
        self.indexed: list[str] = []
        self._count_lock = threading.Lock()

    def index(self, docs):  # type: ignore[no-untyped-def]
        docs = list(docs)
        with self._count_lock:
            self.indexed.extend(d.code for d in docs)
        return super().index(docs)


@pytest.mark.postgres
def test_twenty_writers_applying_their_own_rows_like_separate_processes_apply_each_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """20 parallel writers on PostgreSQL, each applying the outbox after its commit with no in-process lock
    (as 20 API processes would): SKIP LOCKED hands every row to exactly one of them, and a call that stops
    at a short claim leaves nothing behind (what another writer claimed, that writer applies)."""
    from catalog.search import outbox

    monkeypatch.setattr(outbox, "_apply_lock", nullcontext())
    with postgres_database() as (db, url):
        backend = Recording(path=tmp_path / "search.db", standards=load_standards())
        start = threading.Barrier(20)

        def write(i: int) -> None:
            own = open_database(Settings(database_url=url), upgrade=False)  # a process of its own
            own.after_commit.append(lambda: apply_outbox(db=own, backend=backend))
            try:
                start.wait()
                for k in range(3):
                    with own.transaction() as session:
                        create_resource(session=session, actor=SYSTEM, record=_record(i * 3 + k), allow_code=True)
            finally:
                own.dispose()

        with ThreadPoolExecutor(max_workers=20) as pool:
            list(pool.map(write, range(20)))
        assert pending_count(db=db) == 0  # no periodic worker ran: every row was applied by a writer's call
        assert sorted(backend.indexed) == sorted(f"102001/{900000 + i:06d}" for i in range(60))  # each once
        backend.close()


@pytest.mark.elasticsearch
def test_elasticsearch_down_during_a_bulk_of_writes_loses_nothing(tmp_path: Path, es_url: str) -> None:
    standards = load_standards()
    db = open_database(Settings(data_dir=tmp_path))
    alias = f"mulu-test-{secrets.token_hex(4)}"
    up = ElasticBackend(url=es_url, alias=alias, standards=standards)
    up.reset()
    down = ElasticBackend(url=CLOSED_PORT, alias=alias, standards=standards, timeout=1.0)
    embedded = EmbeddedBackend(path=tmp_path / "mulu.db", standards=standards)
    try:
        resilient = ResilientBackend(primary=down, fallback=embedded)
        hook = lambda: apply_outbox(db=db, backend=resilient)  # noqa: E731
        db.after_commit.append(hook)
        for i in range(25):  # every write succeeds although the index cannot be reached
            with db.transaction() as session:
                create_resource(session=session, actor=SYSTEM, record=_record(i), allow_code=True)
        assert pending_count(db=db) == 25
        degraded = resilient.search(SearchQuery(q="停机期间登记", visibility=Visibility.everything(), size=50))
        assert degraded.degraded is True and degraded.count == 25  # the fallback is real
        assert resilient.health()["degraded"] is True

        back = ResilientBackend(primary=up, fallback=embedded)  # Elasticsearch returns
        run = apply_outbox(db=db, backend=back)
        assert run.applied == 25 and pending_count(db=db) == 0
        result = back.search(SearchQuery(q="停机期间登记", visibility=Visibility.everything(), size=50))
        assert result.degraded is False and result.backend == "elasticsearch"
        assert {h.code for h in result.hits} == {f"102001/{900000 + i:06d}" for i in range(25)}
    finally:
        up.drop()
        up.close()


@pytest.mark.elasticsearch
def test_reindex_swaps_the_alias_to_a_new_index(tmp_path: Path, es_url: str) -> None:
    standards = load_standards()
    db = open_database(Settings(data_dir=tmp_path))
    backend = ElasticBackend(url=es_url, alias=f"mulu-test-{secrets.token_hex(4)}", standards=standards)
    backend.reset()
    try:
        with db.transaction() as session:
            for i in range(3):
                create_resource(session=session, actor=SYSTEM, record=_record(i), allow_code=True)
        before = backend.health()["indices"]
        assert reindex(db=db, backend=backend) == 3
        after = backend.health()["indices"]
        assert len(after) == 1 and after != before  # new versioned index behind the alias, old one deleted
        assert not backend.client.indices.exists(index=before[0])
        assert backend.search(SearchQuery(q="停机期间登记", visibility=Visibility.everything())).count == 3
        assert pending_count(db=db) == 0
    finally:
        backend.drop()
        backend.close()


@pytest.mark.elasticsearch
def test_a_change_saved_while_reindex_runs_reaches_the_new_index(tmp_path: Path, es_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import catalog.search.outbox as outbox
    from catalog.registry import get_resource, update_resource

    db = open_database(Settings(data_dir=tmp_path))
    backend = ElasticBackend(url=es_url, alias=f"mulu-test-{secrets.token_hex(4)}", standards=load_standards())
    backend.reset()
    try:
        with db.transaction() as session:
            for i in range(3):
                create_resource(session=session, actor=SYSTEM, record=_record(i), allow_code=True)
        db.after_commit.append(lambda: apply_outbox(db=db, backend=backend))  # as the API does
        apply_outbox(db=db, backend=backend)
        read_all = outbox.iter_documents

        def rebuild_reads_then_a_steward_saves(*, db, chunk=2000):  # noqa: ANN001, ANN202
            docs = list(read_all(db=db, chunk=chunk))  # the rebuild has read the database ...
            with db.transaction() as session:          # ... then a change is saved (applied to the old index)
                row = get_resource(session=session, actor=SYSTEM, code="102001/900001")
                update_resource(session=session, actor=SYSTEM, code=row.code, if_match=row.etag,
                                record={**_record(1), "name": "重建期间改名的资源"})
            yield from docs

        monkeypatch.setattr(outbox, "iter_documents", rebuild_reads_then_a_steward_saves)
        before = backend.health()["indices"]
        assert reindex(db=db, backend=backend) == 3
        assert backend.health()["indices"] != before  # the alias moved to the new index
        found = backend.search(SearchQuery(q="重建期间改名", visibility=Visibility.everything()))
        assert found.hits[0].code == "102001/900001"  # first: the others share a word at most (OR semantics)
        assert found.hits[0].name == "重建期间改名的资源"  # not the name the rebuild read
        assert pending_count(db=db) == 0
    finally:
        backend.drop()
        backend.close()


def test_backends_racing_to_create_the_index_leave_one_writable_index(es_url: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Several processes' first search or write on a fresh alias at once (each its own ElasticBackend, and
    without the in-process lock, as in separate processes): the alias ends on one index, and writes through
    every backend succeed."""
    from catalog.search import elastic

    monkeypatch.setattr(elastic, "_ENSURE_LOCK", nullcontext())
    alias = f"mulu-race-{secrets.token_hex(4)}"
    backends = [ElasticBackend(url=es_url, alias=alias, standards=load_standards()) for _ in range(6)]
    barrier = threading.Barrier(len(backends))

    def first_use(backend: ElasticBackend) -> None:
        barrier.wait()
        backend.ensure()

    try:
        with ThreadPoolExecutor(len(backends)) as pool:
            list(pool.map(first_use, backends))
        assert len(backends[0]._concrete()) == 1
        for i, backend in enumerate(backends):
            backend.index([document_from_record(_record(i), state="published")])
        assert backends[0].client.count(index=alias)["count"] == len(backends)
    finally:
        backends[0].drop()
        for backend in backends:
            backend.close()
