"""Starting the notifier of a server process (`mulu serve`, the API app) from its settings."""
from __future__ import annotations

from collections.abc import Mapping

from catalog.db import Database
from catalog.notify.config import notify_settings
from catalog.notify.notifier import Notifier
from catalog.settings import Settings
from catalog.sharing.calendar import calendar_for
from catalog.sharing.clock import Clock, SystemClock


def start_notifier(*, settings: Settings, db: Database, clock: Clock | None = None,
                   env: Mapping[str, str] | None = None) -> Notifier:
    """A Notifier for `db`; its background thread runs unless MULU_NOTIFY_INTERVAL is 0 (cron: `mulu notify run`)."""
    notifier = Notifier(db=db, settings=notify_settings(env), calendar=calendar_for(settings),
                        clock=clock or SystemClock())
    if notifier.settings.interval > 0:
        notifier.start()
    return notifier
