"""The notifier a process holds: reminders and dispatch on demand, after each commit, and on a timer.

    notifier = Notifier(db=db, settings=notify_settings(), calendar=cal, clock=SystemClock())
    notifier.run_once()      # `mulu notify run`: write due reminders, then send every due delivery
    notifier.start()         # `mulu serve`: wake the sender after each commit; a round every interval

After a commit whose transaction emitted an event, the thread is only woken: a slow receiver never
delays a request. Retries fall due at the next timer round (MULU_NOTIFY_INTERVAL).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from catalog.db import Database
from catalog.notify.config import NotifySettings
from catalog.notify.dispatch import DispatchRun, dispatch, write
from catalog.notify.reminders import remind
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock

log = logging.getLogger(__name__)


@dataclass(slots=True)
class RoundResult:
    reminders: int
    delivered: int
    failed: int


class Notifier:
    def __init__(self, *, db: Database, settings: NotifySettings, calendar: WorkingCalendar, clock: Clock) -> None:
        self.db, self.settings, self.calendar, self.clock = db, settings, calendar, clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def remind(self) -> int:
        with write(self.db) as session:
            return remind(session=session, calendar=self.calendar, clock=self.clock,
                          days_before=self.settings.remind_days)

    def dispatch(self) -> DispatchRun:
        return dispatch(db=self.db, settings=self.settings, clock=self.clock)

    def run_once(self) -> RoundResult:
        written = self.remind()
        run = self.dispatch()
        return RoundResult(reminders=written, delivered=run.delivered, failed=run.failed)

    def wake(self) -> None:
        self._wake.set()

    def _after_commit(self, session: Session) -> None:
        if session.info.pop("mulu_notify_pending", False):  # set by emit(): something to send
            self._wake.set()

    def start(self) -> "Notifier":
        """Background sender + scheduler; stopped by `db.dispose()`."""
        event.listen(self.db.sessions, "after_commit", self._after_commit)
        self.db.on_dispose.append(self.stop)
        self._thread = threading.Thread(target=self._loop, name="mulu-notify", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        """Send after each commit that emitted something; every `interval` s write reminders and send what
        fell due (retries)."""
        while not self._stop.is_set():
            woke = self._wake.wait(timeout=self.settings.interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                if not woke:
                    self.remind()
                self.dispatch()
            except Exception:  # the worker never dies of one bad round
                log.exception("notification round failed")
