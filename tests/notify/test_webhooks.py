"""Webhooks against a real HTTP receiver on loopback: signed bodies, retries with backoff while the
receiver is down, automatic disabling, re-enabling, and every event delivered once per delivery id."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from catalog.db import Database
from catalog.errors import InvalidInput
from catalog.notify import Notifier
from catalog.notify.models import Delivery, Webhook
from catalog.notify.webhook_targets import parse_networks
from catalog.notify.webhooks import create_webhook, deliveries, enable_webhook, get_webhook, verify
from catalog.sharing import requests
from catalog.sharing.clock import FixedClock, as_utc
from tests.notify.conftest import MARKET_STEWARD, TAX_STEWARD
from tests.notify.receivers import LOOPBACK, HttpReceiver


def ask(run: Any, codes: dict[str, str], n: int) -> None:
    """n requests from tax to market (each unconditional request: created + decided)."""
    for i in range(n):
        req = run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["unconditional"],
                  purpose=f"用途{i}", basis="业务需要", period_days=5)
        run(requests.withdraw_request, actor=TAX_STEWARD, request_id=req.id) if req.status == "pending" else None


def register(db: Database, url: str) -> tuple[int, str]:
    with db.transaction() as session:
        hook, secret = create_webhook(session=session, actor=MARKET_STEWARD, url=url, allowed=LOOPBACK)
        return hook.id or 0, secret


def test_signed_json_body_with_a_delivery_id(db: Database, run: Any, codes: dict[str, str],
                                             receiver: HttpReceiver, notifier: Notifier) -> None:
    hook_id, secret = register(db, receiver.url)
    ask(run, codes, 1)
    assert notifier.dispatch().delivered == 1  # created reaches market; decided is for tax only
    [got] = receiver.received
    body = json.loads(got.body)
    assert got.headers["x-mulu-delivery"] == body["delivery_id"]
    assert body["event"]["kind"] == got.headers["x-mulu-event"] == "share_request.created"
    assert verify(secret=secret, timestamp=got.headers["x-mulu-timestamp"], body=got.body,
                  header=got.headers["x-mulu-signature-256"])
    assert not verify(secret="whsec_wrong", timestamp=got.headers["x-mulu-timestamp"], body=got.body,
                      header=got.headers["x-mulu-signature-256"])
    with db.session() as session:
        [row], total = deliveries(session=session, actor=MARKET_STEWARD, webhook_id=hook_id)
    assert total == 1 and row.status == "delivered" and row.log[-1]["status_code"] == 204


def test_a_receiver_down_for_a_while_gets_everything_once(db: Database, run: Any, codes: dict[str, str],
                                                          receiver: HttpReceiver, notifier: Notifier,
                                                          clock: FixedClock) -> None:
    hook_id, secret = register(db, receiver.url)
    receiver.up = False
    ask(run, codes, 3)
    first = notifier.dispatch()
    assert (first.delivered, first.failed) == (0, 3)
    assert notifier.dispatch().failed == 0  # nothing due again before the backoff has passed
    clock.advance(seconds=29)
    assert notifier.dispatch().failed == 0
    clock.advance(seconds=1)
    assert notifier.dispatch().failed == 3  # second attempt after 30 s; the limit (4 failures) disables it
    with db.session() as session:
        hook = get_webhook(session=session, actor=MARKET_STEWARD, webhook_id=hook_id)
        assert not hook.enabled and "连续 4 次发送失败" in (hook.disabled_reason or "")
        attempts = [d.attempts for d in session.execute(select(Delivery)).scalars()]
    assert attempts == [2, 2, 2]
    ask(run, codes, 2)  # events while disabled wait too
    clock.advance(hours=5)
    assert notifier.dispatch().delivered == 0 and receiver.received == []
    receiver.up = True
    with db.transaction() as session:
        enable_webhook(session=session, actor=MARKET_STEWARD, webhook_id=hook_id, now=clock.now())
    assert notifier.dispatch().delivered == 5
    clock.advance(days=1)
    assert notifier.dispatch().delivered == 0
    ids = Counter(r.headers["x-mulu-delivery"] for r in receiver.received)
    assert len(ids) == 5 and set(ids.values()) == {1}
    for got in receiver.received:
        assert verify(secret=secret, timestamp=got.headers["x-mulu-timestamp"], body=got.body,
                      header=got.headers["x-mulu-signature-256"])
    with db.session() as session:
        assert session.get(Webhook, hook_id).consecutive_failures == 0  # type: ignore[union-attr]
        statuses = Counter(d.status for d in session.execute(select(Delivery)).scalars())
    assert statuses == {"delivered": 5}


def test_backoff_doubles(db: Database, run: Any, codes: dict[str, str], receiver: HttpReceiver,
                         notifier: Notifier, clock: FixedClock) -> None:
    register(db, receiver.url)
    receiver.up = False
    ask(run, codes, 1)
    waits = []
    for _ in range(3):
        before = clock.now()
        notifier.dispatch()
        with db.session() as session:
            row = session.execute(select(Delivery)).scalar_one()
        waits.append((as_utc(row.next_attempt_at) - before).total_seconds())
        clock.set(as_utc(row.next_attempt_at))
    assert waits == [30, 60, 120]


def test_receivers_on_mulus_own_machine_or_the_metadata_service_are_refused(db: Database) -> None:
    """SSRF: loopback, link-local, unspecified addresses (and `localhost`) cannot be registered unless the operator
    allows the network; intranet (private) addresses can."""
    for url in ("http://127.0.0.1:9200/_bulk", "http://[::1]:5432/", "http://169.254.169.254/latest/meta-data/",
                "http://0.0.0.0:8000/", "http://[::ffff:127.0.0.1]/", "https://localhost/hook", "http://127.9.9.9/"):
        with db.transaction() as session, pytest.raises(InvalidInput) as refused:
            create_webhook(session=session, actor=MARKET_STEWARD, url=url)
        [finding] = refused.value.findings
        assert finding.path == "/url" and "MULU_NOTIFY_WEBHOOK_ALLOW" in finding.message, url
    with db.transaction() as session:
        intranet, _ = create_webhook(session=session, actor=MARKET_STEWARD, url="http://10.12.0.8/mulu")
        allowed, _ = create_webhook(session=session, actor=MARKET_STEWARD, url="http://127.0.0.1:8080/hook",
                                    allowed=parse_networks("127.0.0.1/32"))
    assert intranet.id and allowed.id


def test_a_receiver_no_longer_allowed_gets_nothing_and_the_log_says_why(
        db: Database, run: Any, codes: dict[str, str], receiver: HttpReceiver, notifier: Notifier) -> None:
    hook_id, _ = register(db, receiver.url)  # allowed when registered; the operator then withdrew the allowance
    strict = Notifier(db=db, settings=replace(notifier.settings, webhook_allow=()), calendar=notifier.calendar,
                      clock=notifier.clock)
    ask(run, codes, 1)
    assert strict.dispatch().failed == 1 and receiver.received == []
    with db.session() as session:
        [row], _ = deliveries(session=session, actor=MARKET_STEWARD, webhook_id=hook_id)
    assert row.status == "pending" and "loopback" in (row.last_error or "")


def test_redirects_are_not_followed(db: Database, run: Any, codes: dict[str, str], receiver: HttpReceiver,
                                    notifier: Notifier) -> None:
    inside = HttpReceiver().start()  # where a redirect would lead (another service on the machine)
    try:
        receiver.redirect_to = inside.url
        hook_id, _ = register(db, receiver.url)
        ask(run, codes, 1)
        assert notifier.dispatch().failed == 1
        assert inside.received == [] and receiver.received == []
        with db.session() as session:
            [row], _ = deliveries(session=session, actor=MARKET_STEWARD, webhook_id=hook_id)
        assert row.last_status_code == 302 and row.status == "pending"
    finally:
        inside.stop()
