"""Keeping search in step with the database: apply pending outbox rows after commit; rebuild from scratch.

    attach(settings=..., db=...)        # after each committed write: apply_outbox(); also at startup
    apply_outbox(db=db, backend=b)      # read pending rows, load current resources, index/remove, mark
    reindex(db=db, backend=b)           # `mulu reindex`: every resource, new index, alias swap, then the
                                        # changes made while it ran are replayed into the new index

The outbox row stays pending when the backend is unreachable (the write itself already succeeded);
the next call (next write, the periodic worker, startup) applies it. Applying is idempotent.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import func, select, update

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
        rows = session.execute(select(Resource).where(Resource.code.in_(codes))).scalars().all()
        docs = [document_for(r) for r in rows]
    gone = sorted(set(codes) - {d.code for d in docs})
    backend.index(docs)
    backend.remove(gone)


def apply_outbox(*, db: Database, backend: SearchBackend, batch: int = BATCH) -> OutboxRun:
    """Apply pending outbox rows in id order until none is left or the backend is unreachable."""
    run = OutboxRun()
    with _apply_lock:
        while True:
            with db.session() as session:
                events = session.execute(
                    select(OutboxEvent.id, OutboxEvent.resource_code)
                    .where(OutboxEvent.applied_at.is_(None)).order_by(OutboxEvent.id).limit(batch)
                ).all()
                if not events:
                    return run
            try:
                _index_current(db=db, backend=backend, codes=[code for _, code in events])
            except SearchUnavailable as exc:
                run.error = str(exc)
                with db.session() as session:
                    run.pending = session.execute(
                        select(func.count()).select_from(OutboxEvent).where(OutboxEvent.applied_at.is_(None))
                    ).scalar_one()
                log.warning("search index behind by %d change(s): %s", run.pending, exc)
                return run
            with db.session() as session:
                session.execute(update(OutboxEvent).where(OutboxEvent.id.in_([i for i, _ in events]))
                                .values(applied_at=utcnow()))
                session.commit()
            run.applied += len(events)


def pending_count(*, db: Database) -> int:
    with db.session() as session:
        return int(session.execute(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.applied_at.is_(None))).scalar_one())


def iter_documents(*, db: Database, chunk: int = 5000) -> Iterator[SearchDocument]:
    """Every resource of the database as a search document, streamed in chunks (only the columns a document
    needs, not ORM objects: reading 100,000 resources is a few seconds)."""
    cols = (Resource.id, Resource.code, Resource.state, Resource.record, Resource.updated_at)
    last = 0
    while True:
        with db.session() as session:
            rows = session.execute(select(*cols).where(Resource.id > last).order_by(Resource.id).limit(chunk)).all()
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
                events = session.execute(select(OutboxEvent.id, OutboxEvent.resource_code)
                                         .where(OutboxEvent.id > last).order_by(OutboxEvent.id).limit(batch)).all()
            if not events:
                return done
            _index_current(db=db, backend=backend, codes=[code for _, code in events])
            with db.session() as session:
                session.execute(update(OutboxEvent).where(OutboxEvent.id.in_([i for i, _ in events]),
                                                          OutboxEvent.applied_at.is_(None)).values(applied_at=utcnow()))
                session.commit()
            done += len(events)
            last = events[-1][0]


def reindex(*, db: Database, backend: SearchBackend, progress: Progress | None = None) -> int:
    """Rebuild the index from the database. The outbox high-water mark is taken first: rows up to it are in
    the rebuilt index (the database already held them); rows after it were written while the rebuild ran,
    possibly applied to the old index, and are replayed into the new one after the alias swap."""
    with db.session() as session:
        upto = session.execute(select(func.max(OutboxEvent.id))).scalar_one() or 0
    total = backend.rebuild(iter_documents(db=db), progress=progress)
    with db.session() as session:
        session.execute(update(OutboxEvent).where(OutboxEvent.id <= upto, OutboxEvent.applied_at.is_(None))
                        .values(applied_at=utcnow()))
        session.commit()
    replay_since(db=db, backend=backend, after=upto)
    apply_outbox(db=db, backend=backend)  # anything newer still pending
    return total


def resource_count(*, db: Database) -> int:
    with db.session() as session:
        return int(session.execute(select(func.count()).select_from(Resource)).scalar_one())


class OutboxWorker:
    """A daemon thread that retries pending rows every `interval` seconds (catches up after an outage)."""

    def __init__(self, *, db: Database, backend: SearchBackend, interval: float = 5.0) -> None:
        self.db, self.backend, self.interval = db, backend, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="mulu-outbox", daemon=True)

    def start(self) -> "OutboxWorker":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                apply_outbox(db=self.db, backend=self.backend)
            except Exception:  # the worker never dies of one bad round
                log.exception("outbox worker round failed")


def attach_to(*, db: Database, backend: SearchBackend, worker_interval: float | None = 5.0) -> Any:
    """Apply the outbox after every commit on `db`, once now, and (optionally) periodically."""
    db.after_commit.append(lambda: apply_outbox(db=db, backend=backend))
    try:
        apply_outbox(db=db, backend=backend)
    except Exception:
        log.exception("applying the outbox at startup failed")
    if not worker_interval:
        return None
    worker = OutboxWorker(db=db, backend=backend, interval=worker_interval).start()
    db.on_dispose.append(worker.stop)
    return worker
