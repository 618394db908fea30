"""The notifier a process holds: reminders and dispatch on demand, after each commit, and on a timer.

    notifier = Notifier(db=db, settings=notify_settings(), calendar=cal, clock=SystemClock())
    notifier.run_once()      # `mulu notify run`: write due reminders, then send every due delivery
    notifier.start()         # `mulu serve`: wake the sender after each commit; a round every interval

The after-commit hook only wakes the background thread: a slow receiver never delays a request.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

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

    def start(self) -> "Notifier":
        """Background sender + scheduler; stopped by `db.dispose()`."""
        self.db.after_commit.append(self.wake)
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
        interval = self.settings.interval or None
        remind_due = True
        while not self._stop.is_set():
            try:
                if remind_due:
                    self.remind()
                self.dispatch()
            except Exception:  # the worker never dies of one bad round
                log.exception("notification round failed")
            woke = self._wake.wait(timeout=min(interval or 3600, self.settings.retry_base))
            self._wake.clear()
            remind_due = not woke  # a timer round writes reminders; a wake-up after a commit only sends
