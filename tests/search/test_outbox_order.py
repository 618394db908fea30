"""Several API processes applying the outbox never leave an older state of a resource in the index (PostgreSQL).

Two "processes" here are two threads with their own database sessions and without the in-process apply lock, as
two servers would be: one has read a resource and is slow to index it (its bulk waits), while the resource changes
and the other applies the change.
"""
from __future__ import annotations

import threading
from contextlib import nullcontext
from pathlib import Path
from typing import Iterable

import pytest

from catalog.auth import SYSTEM
from catalog.lifecycle import load_row, update_resource
from catalog.registration import create_resource
from catalog.search.base import SearchQuery, Visibility
from catalog.search.documents import SearchDocument
from catalog.search.embedded import EmbeddedBackend
from catalog.search import outbox
from catalog.search.outbox import apply_outbox, pending_count
from catalog.standards import load_standards
from tests.databases import postgres_database
from tests.search.corpus import MARKET, record

CODE = "102001/930001"


class SlowFirstBulk:
    """A real embedded index whose first `index` call waits until released (a slow bulk in another process)."""

    def __init__(self, inner: EmbeddedBackend) -> None:
        self.inner, self.entered, self.release, self._first = inner, threading.Event(), threading.Event(), True

    def index(self, docs: Iterable[SearchDocument]) -> int:
        docs = list(docs)
        if self._first:
            self._first = False
            self.entered.set()
            self.release.wait(30)
        return self.inner.index(docs)

    def remove(self, codes: Iterable[str]) -> int:
        return self.inner.remove(codes)


def _record(name: str) -> dict:
    return record(CODE, name, provider="义乌市市场监督管理局", provider_code=MARKET,
                  abstract="多进程索引顺序测试。", items=[("资源备注", "resource_remark")], share_type="无条件共享")


@pytest.mark.postgres
def test_a_slow_process_cannot_index_an_older_state_after_the_newer_one(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox, "_apply_lock", nullcontext())  # separate processes share no lock
    standards = load_standards()
    index = EmbeddedBackend(path=tmp_path / "search.db", standards=standards)
    with postgres_database() as (db, _):
        with db.transaction() as session:
            create_resource(session=session, actor=SYSTEM, record=_record("旧名称的排序资源"), allow_code=True)
        slow = SlowFirstBulk(index)
        first = threading.Thread(target=lambda: apply_outbox(db=db, backend=slow))  # process 1: reads, then stalls
        first.start()
        assert slow.entered.wait(30)

        saved: list[str] = []

        def rename() -> None:  # a steward saves a new name meanwhile
            with db.transaction() as session:
                etag = load_row(session, CODE, lock=False).etag
                update_resource(session=session, actor=SYSTEM, code=CODE, record=_record("新名称的排序资源"),
                                if_match=etag, standards=standards)
            saved.append("ok")

        writer = threading.Thread(target=rename)
        writer.start()
        writer.join(timeout=2)  # (it waits for process 1's lock on the resource, if there is one)
        apply_outbox(db=db, backend=index)  # process 2 applies whatever it can claim now
        slow.release.set()
        first.join(30)
        writer.join(30)
        assert saved == ["ok"]  # the save was never refused nor lost
        apply_outbox(db=db, backend=index)  # the rounds that later commits wake

        assert pending_count(db=db) == 0
        hits = index.search(SearchQuery(q="排序资源", visibility=Visibility.everything())).hits
        assert [(h.code, h.name) for h in hits] == [(CODE, "新名称的排序资源")]
    index.close()
