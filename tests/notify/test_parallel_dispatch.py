"""Several senders at once on PostgreSQL (each its own engine, as separate processes would have): every
delivery reaches the receiver exactly once."""
from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select

from catalog.db import Database, make_engine
from catalog.notify import Notifier
from catalog.notify.models import Delivery
from catalog.notify.webhooks import create_webhook
from catalog.settings import Settings
from catalog.sharing import requests
from tests.notify.conftest import MARKET_STEWARD, TAX_STEWARD
from tests.notify.receivers import LOOPBACK, HttpReceiver

SENDERS = 20


@pytest.mark.postgres
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_parallel_senders_deliver_each_once(db: Database, run: Any, codes: dict[str, str],
                                            receiver: HttpReceiver, notifier: Notifier) -> None:
    with db.transaction() as session:
        for _ in range(2):  # two receivers' worth of deliveries per event
            create_webhook(session=session, actor=MARKET_STEWARD, url=receiver.url, allowed=LOOPBACK)
    for i in range(30):
        req = run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["conditional"], purpose=f"用途{i}",
                  basis="业务需要", period_days=5)
        run(requests.withdraw_request, actor=TAX_STEWARD, request_id=req.id)  # created + withdrawn: both to market
    with db.session() as session:
        total = session.execute(select(func.count()).select_from(Delivery)).scalar_one()
    assert total == 120
    url = db.engine.url.render_as_string(hide_password=False)
    senders = [Notifier(db=Database(make_engine(Settings(database_url=url))), settings=notifier.settings,
                       calendar=notifier.calendar, clock=notifier.clock) for _ in range(SENDERS)]
    barrier = threading.Barrier(SENDERS)
    counts: list[int] = []

    def send(n: Notifier) -> None:
        barrier.wait()
        counts.append(n.dispatch().delivered)

    threads = [threading.Thread(target=send, args=(n,)) for n in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n in senders:
        n.db.dispose()
    ids = Counter(r.headers["x-mulu-delivery"] for r in receiver.received)
    assert sum(counts) == total == len(ids) and set(ids.values()) == {1}
    assert sum(1 for c in counts if c) > 1, "the work was shared"
    with db.session() as session:
        assert set(session.execute(select(Delivery.status)).scalars()) == {"delivered"}
