"""One round of 目录级联 at a lower level: push changes up, fetch verdicts, apply 回流; and the worker.

    summary = push_round(db=db, upstream=up, level="county", region="330782")
    return_round(db=db, upstream=up, classifications=("101",))
    worker = CascadeWorker(db=db, upstream=up, ...); worker.start(); ...; worker.stop()

Cursors are rows of `cascade_cursors`: the push cursor moves only after the upstream acknowledged a
batch, so a crash or an outage on either side re-sends that batch, which the upstream skips.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.cascade.downflow import ReturnResult, apply_page
from catalog.cascade.feed import read_feed
from catalog.cascade.models import CascadeCursor, UpstreamVerdict
from catalog.cascade.upstream import Upstream
from catalog.db import Database
from catalog.errors import CatalogError
from catalog.models import utcnow

log = logging.getLogger(__name__)
BATCH = 200


@dataclass(slots=True)
class PushSummary:
    batches: int = 0
    sent: int = 0
    applied: int = 0
    skipped: int = 0
    cursor: int = 0
    verdicts: int = 0
    errors: list[str] = field(default_factory=list)


def cursor_value(session: Session, name: str) -> int:
    row = session.get(CascadeCursor, name)
    return row.value if row is not None else 0


def _set_cursor(session: Session, name: str, value: int = 0, mark: str | None = None) -> None:
    """Move a cursor forward (never back) and clear its last error."""
    row = session.execute(select(CascadeCursor).where(col(CascadeCursor.name) == name).with_for_update()
                          ).scalar_one_or_none()
    if row is None:
        row = CascadeCursor(name=name, value=value, updated_at=utcnow())
        session.add(row)
    row.value, row.updated_at, row.last_error = max(row.value, value), utcnow(), None
    if mark is not None:
        row.mark = max(row.mark or "", mark)
    session.flush()


def record_error(*, db: Database, name: str, error: str) -> None:
    with db.transaction() as session:
        row = session.get(CascadeCursor, name)
        if row is None:
            session.add(CascadeCursor(name=name, value=0, updated_at=utcnow(), last_error=error[:500]))
        else:
            row.last_error, row.updated_at = error[:500], utcnow()


def store_verdicts(session: Session, verdicts: list[dict[str, Any]]) -> int:
    for v in verdicts:
        row = session.get(UpstreamVerdict, v["code"])
        if row is None:
            row = UpstreamVerdict(code=v["code"], state=v["state"], version=v["version"], updated_at=utcnow())
            session.add(row)
        elif row.version > v["version"]:
            continue  # an older verdict than the one kept
        row.state, row.version, row.upstream_code = v["state"], v["version"], v.get("upstream_code")
        row.findings, row.reason, row.updated_at = v.get("findings") or [], v.get("reason"), utcnow()
    session.flush()
    return len(verdicts)


def push_round(*, db: Database, upstream: Upstream, level: str, region: str,
               batch: int = BATCH, max_batches: int | None = None) -> PushSummary:
    """Send every change since the push cursor, batch by batch; stop at the first failure (raised)."""
    summary = PushSummary()
    while max_batches is None or summary.batches < max_batches:
        with db.session() as session:
            since = cursor_value(session, "push")
            page = read_feed(session=session, since=since, limit=batch)
        summary.cursor = since
        if page.next == since:
            break
        if page.entries:
            answer = upstream.push(entries=page.entries, departments=page.departments,
                                   origin={"level": level, "region": region})
            summary.applied += int(answer.get("applied", 0))
            summary.skipped += int(answer.get("skipped", 0))
            summary.sent += len(page.entries)
            summary.batches += 1
        else:
            answer = {"verdicts": []}
        with db.transaction() as session:
            summary.verdicts += store_verdicts(session, answer.get("verdicts") or [])
            _set_cursor(session, "push", page.next)
        summary.cursor = page.next
        if not page.more:
            break
    return summary


def verdict_round(*, db: Database, upstream: Upstream) -> int:
    """Fetch the upstream's decisions since the last one kept (registered, rejected with findings)."""
    with db.session() as session:
        row = session.get(CascadeCursor, "verdicts")
        after = row.mark if row is not None else None
    fetched, offset, newest = 0, 0, after
    while True:
        page = upstream.verdicts(decided_after=after, offset=offset)
        rows = page.get("data") or []
        verdicts = [{"code": r["origin_code"], "version": r["origin_version"], "state": r["state"],
                     "upstream_code": r.get("local_code"), "findings": r.get("findings"),
                     "reason": r.get("reason")} for r in rows]
        with db.transaction() as session:
            fetched += store_verdicts(session, verdicts)
        newest = max([newest or ""] + [r["decided_at"] for r in rows if r.get("decided_at")]) or None
        offset += len(rows)
        if not rows or offset >= int(page.get("count", 0)):
            break
    if newest:
        with db.transaction() as session:
            _set_cursor(session, "verdicts", mark=newest)
    return fetched


def return_round(*, db: Database, upstream: Upstream, classifications: tuple[str, ...],
                 limit: int = 500) -> ReturnResult:
    """回流: apply the upstream feed of the subscribed classifications, page by page, with the cursor."""
    result = ReturnResult()
    while True:
        with db.session() as session:
            since = cursor_value(session, "return")
        page = upstream.feed(since=since, classifications=classifications, limit=limit)
        nxt = int(page.get("next", since))
        with db.transaction() as session:
            apply_page(session=session, upstream=upstream.url, level=(page.get("instance") or {}).get("level"),
                       entries=page.get("data") or [], departments=page.get("departments") or [], result=result)
            _set_cursor(session, "return", nxt)
        if not page.get("more") or nxt == since:
            return result


class CascadeWorker:
    """A thread in `mulu serve`: a round every `interval` seconds; after a failure it backs off (×2, ≤ 5 min)."""

    def __init__(self, *, db: Database, upstream: Upstream, level: str, region: str,
                 classifications: tuple[str, ...], interval: float) -> None:
        self.db, self.upstream, self.level, self.region = db, upstream, level, region
        self.classifications, self.interval = classifications, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mulu-cascade", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.upstream.close()

    def run_once(self) -> None:
        push_round(db=self.db, upstream=self.upstream, level=self.level, region=self.region)
        verdict_round(db=self.db, upstream=self.upstream)
        if self.classifications:
            return_round(db=self.db, upstream=self.upstream, classifications=self.classifications)

    def _run(self) -> None:
        delay = self.interval
        while not self._stop.is_set():
            try:
                self.run_once()
                delay = self.interval
            except CatalogError as exc:
                log.warning("cascade round failed, retry in %.0f s: %s", delay, exc.message)
                record_error(db=self.db, name="push", error=exc.message)
                delay = min(max(delay, self.interval) * 2, 300.0)
            except Exception:  # a round must never kill the worker
                log.exception("cascade round failed")
                delay = min(max(delay, self.interval) * 2, 300.0)
            self._stop.wait(delay)
