"""Notifications (通知): an inbox, webhooks, e-mail and deadline reminders.

What it may import: catalog.models, catalog.auth, catalog.errors, catalog.findings, catalog.db and
catalog.sharing (its tables, calendar and clock). Nothing of HTTP or the terminal.

Emitting an event (from any domain transition, inside its transaction):

    from catalog.notify import Event, emit
    emit(session=session, event=Event(
        kind="demand.assigned",                      # a line in catalog.notify.kinds.KINDS says who hears it
        title="需求「…」已分派给本部门", body="…",
        parties={"assignee": "330782101", "requester": "330782103"},   # side -> department code
        subject=("demand", demand.id), resource_code=None, link=f"/demands/{demand.id}"))

`emit` writes the event, one inbox item per person who hears it (catalog.notify.preferences) and one
delivery per webhook / e-mail address, in the caller's transaction: a rolled-back change notifies
nobody. Sending happens after commit, off the request path: `Notifier` (catalog.notify.notifier) wakes a
background thread after each commit and runs a scheduler round every MULU_NOTIFY_INTERVAL seconds;
`mulu notify run` does one round for cron. Deliveries are claimed in the database (catalog.notify.dispatch),
reminders deduplicated by a unique key (catalog.notify.reminders), so several processes never send the
same thing twice.

Modules: kinds (the table of events and default audiences), events (Event, emit), preferences (who hears
what), inbox, webhooks (signing, management, delivery log), mailer (SMTP), dispatch (the sender), states
(delivery states), reminders, sharing_events (the sharing / register events), notifier, config
(MULU_SMTP_*, MULU_NOTIFY_*), models (tables).
"""
from catalog.notify.config import NotifySettings, notify_settings
from catalog.notify.events import Event, emit
from catalog.notify.notifier import Notifier

__all__ = ["Event", "Notifier", "NotifySettings", "emit", "notify_settings"]
