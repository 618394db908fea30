"""Benchmark: the cost of notifications on SQLite — emit in the writer's transaction, the sender's
throughput to a loopback webhook receiver, and a reminder scan over many open requests.

    python bench/notify_bench.py [-n 1000]

Prints figures and ratios (no asserts).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.auth import create_token  # noqa: E402
from catalog.db import open_database  # noqa: E402
from catalog.notify import Event, Notifier, NotifySettings, emit  # noqa: E402
from catalog.notify.webhooks import create_webhook  # noqa: E402
from catalog.auth import Actor  # noqa: E402
from catalog.seeding import load_departments  # noqa: E402
from catalog.settings import Settings  # noqa: E402
from catalog.sharing.calendar import load_calendar  # noqa: E402
from catalog.sharing.clock import FixedClock  # noqa: E402
from catalog.sharing.models import ShareRequest  # noqa: E402
from tests.notify.receivers import LOOPBACK, HttpReceiver  # noqa: E402

MARKET, TAX = "330782101", "330782103"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=1000)
    n = parser.parse_args().n
    db = open_database(Settings(data_dir=Path(tempfile.mkdtemp()) / "data"))
    load_departments(db=db)
    receiver = HttpReceiver().start()
    with db.transaction() as s:
        for i in range(10):
            create_token(session=s, role="steward", department_code=MARKET, name=f"市场 {i}")
            create_token(session=s, role="developer", department_code=TAX, name=f"税务 {i}")
        create_webhook(session=s, actor=Actor("m", "steward", MARKET), url=receiver.url, allowed=LOOPBACK)
    event = Event(kind="share_request.created", title="部门 330782103 申请共享「企业登记」", body="用途: 核验",
                  parties={"provider": MARKET, "requester": TAX}, subject=("share_request", 1))
    start = time.perf_counter()
    for _ in range(n):
        with db.transaction() as s:
            pass
    empty = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(n):
        with db.transaction() as s:
            emit(session=s, event=event)
    with_emit = time.perf_counter() - start
    print(f"transactions: {n}; empty {empty / n * 1e3:.2f} ms each; with one emit (10 inbox items, 1 webhook "
          f"delivery) {with_emit / n * 1e3:.2f} ms each; emit adds {(with_emit - empty) / n * 1e3:.2f} ms")
    clock = FixedClock(datetime(2025, 10, 20, 2, tzinfo=UTC))
    notifier = Notifier(db=db, settings=NotifySettings(http_timeout=5, webhook_allow=LOOPBACK), calendar=load_calendar(), clock=clock)
    start = time.perf_counter()
    run = notifier.dispatch()
    took = time.perf_counter() - start
    print(f"sender: {run.delivered} webhook deliveries in {took:.2f} s = {run.delivered / took:.0f}/s "
          f"(one sender, loopback receiver)")
    now = datetime(2025, 9, 22, 2, tzinfo=UTC)
    with db.transaction() as s:
        s.add_all([ShareRequest(resource_code=f"R{i}", resource_name="资源", provider_code=MARKET,
                                requester_code=TAX, requested_by="x", purpose="p", basis="b", items=[], period_days=1,
                                share_type="有条件共享", status="pending", created_at=now, updated_at=now,
                                due_on=datetime(2025, 10, 11).date()) for i in range(n)])
    start = time.perf_counter()
    first = notifier.remind()
    t_first = time.perf_counter() - start
    start = time.perf_counter()
    second = notifier.remind()
    t_second = time.perf_counter() - start
    print(f"reminder scan over {n} open requests: first {t_first:.2f} s ({first} written), "
          f"again {t_second:.2f} s ({second} written); ratio {t_first / max(t_second, 1e-9):.1f}x")
    receiver.stop()
    db.dispose()


if __name__ == "__main__":
    main()
