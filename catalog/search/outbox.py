"""Keeping search in step with the database: apply pending outbox rows after commit; rebuild from scratch.

    attach_to(db=db, backend=b)         # after each committed write: apply_outbox() (embedded), or wake the
                                        # background worker (Elasticsearch); also at startup
    apply_outbox(db=db, backend=b)      # claim pending rows, load current resources, index/remove, mark
    reindex(db=db, backend=b)           # `mulu reindex`: every resource, new index, alias swap, then the
                                        # changes made while it ran are replayed into the new index
    rebuild_stale(db=db, backend=b)     # an embedded index file of an older format (emptied when opened) is
                                        # filled again from the database (attach_to does it at startup)

The outbox row stays pending when the backend is unreachable (the write itself already succeeded);
the next call (next write, the periodic worker, startup) applies it. Applying is idempotent.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from sqlalchemy import func, select, update
from sqlmodel import col

from catalog.db import Database
from catalog.models import OutboxEvent, Resource, utcnow
from catalog.search.base import Progress, SearchBackend, SearchUnavailable
from catalog.search.documents import SearchDocument, document_from_record

log = logging.getLogger(__name__)
BATCH = 500


@dataclass(slots=True)
class OutboxRun:
    applied: int = 0
    pending: int = 0
    error: str | None = None


def document_for(row: Any) -> SearchDocument:
    """A Resource (or a row with its code, state, record, updated_at) as a search document."""
    return document_from_record(row.record or {}, state=row.state, code=row.code, updated_at=row.updated_at)


_apply_lock = threading.Lock()


def _index_current(*, db: Database, backend: SearchBackend, codes: list[str]) -> None:
    """Index the current database state of `codes` (removing those that are gone). Idempotent."""
    codes = list(dict.fromkeys(codes))
    with db.session() as session:
        rows = session.execute(select(col(Resource.code), col(Resource.state), col(Resource.record),
                                      col(Resource.updated_at)).where(col(Resource.code).in_(codes))).all()
        docs = [document_for(r) for r in rows]
    gone = sorted(set(codes) - {d.code for d in docs})
    backend.index(docs)
    backend.remove(gone)


def _pending(batch: int) -> Any:
    return (select(col(OutboxEvent.id), col(OutboxEvent.resource_code))
            .where(col(OutboxEvent.applied_at).is_(None)).order_by(col(OutboxEvent.id)).limit(batch))


def _behind(run: OutboxRun, db: Database, exc: SearchUnavailable) -> OutboxRun:
    run.error, run.pending = str(exc), pending_count(db=db)
    log.warning("search index behind by %d change(s): %s", run.pending, exc)
    return run


def apply_outbox(*, db: Database, backend: SearchBackend, batch: int = BATCH) -> OutboxRun:
    """Apply pending outbox rows in id order until none is left or the backend is unreachable.

    A write's own call (after its commit) finds its row with one indexed query (`ix_outbox_pending`), and
    stops when a claim comes back short of `batch`, so applying one write costs the same at any catalogue
    size and one round trip, not two, per write.

    PostgreSQL: the rows are claimed with `SELECT ... FOR UPDATE SKIP LOCKED` and marked applied in the
    same transaction, so several API processes share the work and no row is applied by two of them; each
    resource is read under its row lock, so two processes never index one resource's states out of order.
    SQLite: one process thread at a time (the lock below); SQLite has a single writer anyway, and the
    embedded index writes to the same file, so the read and the mark are separate short transactions."""
    if db.dialect == "postgresql":
        return _apply_claimed(db=db, backend=backend, batch=batch)
    run = OutboxRun()
    with _apply_lock:
        while True:
            with db.session() as session:
                events = session.execute(_pending(batch)).all()
                if not events:
                    return run
            try:
                _index_current(db=db, backend=backend, codes=[code for _, code in events])
            except SearchUnavailable as exc:
                return _behind(run, db, exc)
            with db.session() as session:
                session.execute(update(OutboxEvent).where(col(OutboxEvent.id).in_([i for i, _ in events]))
                                .values(applied_at=utcnow()))
                session.commit()
            run.applied += len(events)
            if len(events) < batch:
                return run  # drained: a row committed since then is applied by its own commit's call


def _apply_claimed(*, db: Database, backend: SearchBackend, batch: int) -> OutboxRun:
    run = OutboxRun()
    with _apply_lock:
        while True:
            with db.session() as session:
                events = session.execute(_pending(batch).with_for_update(skip_locked=True)).all()
                if not events:
                    return run
                try:
                    done = _index_locked(session=session, backend=backend, events=events)
                except SearchUnavailable as exc:
                    session.rollback()  # the claim is released: the rows stay pending
                    return _behind(run, db, exc)
                session.execute(update(OutboxEvent).where(col(OutboxEvent.id).in_(done)).values(applied_at=utcnow()))
                session.commit()
            run.applied += len(done)
            if len(done) < len(events):  # a resource was busy: its writer's commit wakes the next round
                run.pending = pending_count(db=db)
                return run
            if len(events) < batch:
                return run  # drained (or the rest is claimed by another process, which applies it)


def _index_locked(*, session: Any, backend: SearchBackend, events: Sequence[Any]) -> list[int]:
    """Index the current state of the claimed rows' resources, each read under its row lock (PostgreSQL), and
    return the ids of the rows applied.

    The lock orders the index writes of one resource across processes: without it, a process that read an older
    state could index it after another process indexed the newer one (a slow bulk), and the index would keep the
    older state. A resource locked by its writer, or by another process indexing it, is skipped (`SKIP LOCKED`:
    no process waits, none deadlocks); its rows stay pending for the round its writer's commit wakes."""
    codes = sorted({code for _, code in events})
    cols = (col(Resource.code), col(Resource.state), col(Resource.record), col(Resource.updated_at))
    rows = session.execute(select(*cols).where(col(Resource.code).in_(codes)).order_by(col(Resource.code))
                           .with_for_update(skip_locked=True, key_share=True)).all()
    unlocked = set(codes) - {r.code for r in rows}
    busy = set(session.execute(select(col(Resource.code)).where(col(Resource.code).in_(unlocked))).scalars()) \
        if unlocked else set()
    backend.index([document_for(r) for r in rows])
    backend.remove(sorted(unlocked - busy))
    return [i for i, code in events if code not in busy]


def pending_count(*, db: Database) -> int:
    with db.session() as session:
        return int(session.execute(
            select(func.count()).select_from(OutboxEvent).where(col(OutboxEvent.applied_at).is_(None))).scalar_one())


def iter_documents(*, db: Database, chunk: int = 5000) -> Iterator[SearchDocument]:
    """Every resource of the database as a search document, streamed in chunks (only the columns a document
    needs, not ORM objects: reading 100,000 resources is a few seconds)."""
    cols = (col(Resource.id), col(Resource.code), col(Resource.state), col(Resource.record), col(Resource.updated_at))
    last = 0
    while True:
        with db.session() as session:
            rows = session.execute(select(*cols).where(col(Resource.id) > last).order_by(col(Resource.id)).limit(chunk)).all()
        if not rows:
            return
        last = rows[-1].id or last
        yield from (document_for(r) for r in rows)


def replay_since(*, db: Database, backend: SearchBackend, after: int, batch: int = BATCH) -> int:
    """Index again every resource with an outbox row after id `after`, applied or not: a change applied while
    a rebuild ran went to the old index (the alias still pointed there) and must reach the new one."""
    done, last = 0, after
    with _apply_lock:
        while True:
            with db.session() as session:
                events = session.execute(select(col(OutboxEvent.id), col(OutboxEvent.resource_code))
                                         .where(col(OutboxEvent.id) > last).order_by(col(OutboxEvent.id)).limit(batch)).all()
            if not events:
                return done
            _index_current(db=db, backend=backend, codes=[code for _, code in events])
            with db.session() as session:
                session.execute(update(OutboxEvent).where(col(OutboxEvent.id).in_([i for i, _ in events]),
                                                          col(OutboxEvent.applied_at).is_(None)).values(applied_at=utcnow()))
                session.commit()
            done += len(events)
            last_id = events[-1][0]
            assert last_id is not None  # a primary key
            last = last_id


def reindex(*, db: Database, backend: SearchBackend, progress: Progress | None = None) -> int:
    """Rebuild the index from the database. The outbox high-water mark is taken first: rows up to it are in
    the rebuilt index (the database already held them); rows after it were written while the rebuild ran,
    possibly applied to the old index, and are replayed into the new one after the alias swap."""
    with db.session() as session:
        upto = session.execute(select(func.max(OutboxEvent.id))).scalar_one() or 0
    total = backend.rebuild(iter_documents(db=db), progress=progress)
    with db.session() as session:
        session.execute(update(OutboxEvent).where(col(OutboxEvent.id) <= upto, col(OutboxEvent.applied_at).is_(None))
                        .values(applied_at=utcnow()))
        session.commit()
    replay_since(db=db, backend=backend, after=upto)
    apply_outbox(db=db, backend=backend)  # anything newer still pending
    return total


def resource_count(*, db: Database) -> int:
    with db.session() as session:
        return int(session.execute(select(func.count()).select_from(Resource)).scalar_one())


class OutboxWorker:
    """A daemon thread that applies the outbox when woken (after each commit, with a server search engine)
    and every `interval` seconds (catches up after an outage)."""

    def __init__(self, *, db: Database, backend: SearchBackend, interval: float = 5.0) -> None:
        self.db, self.backend, self.interval = db, backend, interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="mulu-outbox", daemon=True)

    def start(self) -> "OutboxWorker":
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _loop(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                apply_outbox(db=self.db, backend=self.backend)
            except Exception:  # the worker never dies of one bad round
                log.exception("outbox worker round failed")


def rebuild_stale(*, db: Database, backend: SearchBackend) -> int:
    """Fill again, from the database, an embedded index that was emptied on opening because its file had an older
    format (`EmbeddedBackend.stale`; behind Elasticsearch, its embedded fallback). The outbox is not touched: its
    pending rows still go to every index. How many documents were indexed (0: nothing was stale)."""
    total = 0
    for index in (backend, getattr(backend, "fallback", None)):
        if index is not None and getattr(index, "stale", False):
            log.warning("the embedded search index had an older format: rebuilding it from the database")
            total += index.rebuild(iter_documents(db=db))  # which clears `stale`
    return total


def attach_to(*, db: Database, backend: SearchBackend, worker_interval: float | None = 5.0) -> Any:
    """Apply the outbox after every commit on `db`, once now, and (optionally) periodically.

    With the embedded index (a local SQLite write of a few milliseconds) the outbox is applied right after
    the commit, so the writer's next search sees its change. With a search server (Elasticsearch) and a
    worker, the commit only wakes the worker: the request answers without waiting for indexing or the
    index refresh, and the change is searchable about a second later (`bench/search_write_bench.py`)."""
    worker = None
    if worker_interval:
        worker = OutboxWorker(db=db, backend=backend, interval=worker_interval)
        db.on_dispose.append(worker.stop)
    if worker is not None and getattr(backend, "name", "") != "embedded":
        db.after_commit.append(worker.wake)
    else:
        db.after_commit.append(lambda: apply_outbox(db=db, backend=backend))
    try:
        rebuild_stale(db=db, backend=backend)
        apply_outbox(db=db, backend=backend)
    except Exception:
        log.exception("rebuilding a stale index or applying the outbox at startup failed")
    return worker.start() if worker is not None else None
