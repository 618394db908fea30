"""The `Catalog`: everything a door needs, built once per process from `Settings`.

    catalog = Catalog.from_settings(settings)      # database (schema upgraded), standards, calendar, clock
    with catalog.db.transaction() as session:
        standards = catalog.standards(session=session)   # the files + the departments in the database
    catalog.search                                 # the search backend (created on first use)
    catalog.close()                                # stops the outbox worker, closes search and database

`create_app(settings)` and every CLI command build exactly one; domain functions never build their
own, they receive what they need (`session=`, `standards=`, `backend=`, `clock=`) as keyword arguments.
Nothing in `catalog/` reads the environment: only the doors call `catalog.settings.get_settings()`.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from catalog.db import Database, open_database
from catalog.settings import Settings
from catalog.sharing.calendar import WorkingCalendar, calendar_for
from catalog.sharing.clock import Clock, SystemClock
from catalog.standards import Standards, load_standards, standards_dir

if TYPE_CHECKING:
    from catalog.search.base import SearchBackend


@dataclass(eq=False)
class Catalog:
    """One catalogue: its settings, database, standards files, search backend, calendar, clock, notifier."""

    settings: Settings
    db: Database
    files: Standards  # the standards as read from the settings' folder (departments: the file's only)
    calendar: WorkingCalendar
    clock: Clock = field(default_factory=SystemClock)
    notifier: Any = None  # notifications (inbox, webhooks, email) plug in here
    _search: SearchBackend | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings, *, db: Database | None = None, clock: Clock | None = None,
                      search: SearchBackend | None = None) -> Catalog:
        """Open (and upgrade) the database and load the standards and calendar of `settings`."""
        return cls(settings=settings, db=db or open_database(settings),
                   files=load_standards(standards_dir(settings)), calendar=calendar_for(settings),
                   clock=clock or SystemClock(), _search=search)

    def standards(self, *, session: Session | None = None) -> Standards:
        """The standards whose department registry also holds every department the database knows, so a
        department created by a coordinator or an import is a valid provider at every door."""
        from catalog.departments import registry_standards

        if session is not None:
            return registry_standards(session=session, standards=self.files)
        with self.db.session() as own:
            return registry_standards(session=own, standards=self.files)

    @property
    def search(self) -> SearchBackend:
        """The search backend of this catalogue (embedded, or Elasticsearch with the embedded fallback)."""
        with self._lock:
            if self._search is None:
                from catalog.search.factory import make_backend

                self._search = make_backend(self.settings, standards=self.files)
            return self._search

    def attach_search(self, *, worker_interval: float | None = 5.0) -> None:
        """Apply the search outbox after every commit, now, and every few seconds (the API does this)."""
        from catalog.search.outbox import attach_to

        attach_to(db=self.db, backend=self.search, worker_interval=worker_interval)

    def warm_search(self) -> None:
        """Load the search's dictionaries and vocabulary before the first write or search needs them (a server's
        start; `catalog.search.factory.warm`). A failure is logged: the first request then loads them itself."""
        from catalog.search.factory import warm

        try:
            warm(self.search)
        except Exception:  # noqa: BLE001 - warming is an optimisation; the request path reports real errors
            logging.getLogger(__name__).warning("warming the search backend failed", exc_info=True)

    def close(self) -> None:
        """Stop what is attached to the database, close the search backend, then the database."""
        self.db.dispose()
        with self._lock:
            if self._search is not None:
                self._search.close()
                self._search = None
