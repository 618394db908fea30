"""Webhooks against a real HTTP receiver on loopback: signed bodies, retries with backoff while the
receiver is down, automatic disabling, re-enabling, and every event delivered once per delivery id."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import select

from catalog.db import Database
from catalog.notify import Notifier
from catalog.notify.models import Delivery, Webhook
from catalog.notify.webhooks import create_webhook, deliveries, enable_webhook, get_webhook, verify
from catalog.sharing import requests
from catalog.sharing.clock import FixedClock, as_utc
from tests.notify.conftest import MARKET_STEWARD, TAX_STEWARD
from tests.notify.receivers import HttpReceiver


def ask(run: Any, codes: dict[str, str], n: int) -> None:
    """n requests from tax to market (each unconditional request: created + decided)."""
    for i in range(n):
        req = run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["unconditional"],
                  purpose=f"用途{i}", basis="业务需要", period_days=5)
        run(requests.withdraw_request, actor=TAX_STEWARD, request_id=req.id) if req.status == "pending" else None


def register(db: Database, url: str) -> tuple[int, str]:
    with db.transaction() as session:
        hook, secret = create_webhook(session=session, actor=MARKET_STEWARD, url=url)
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
