"""Batched state changes (`change_state_many`, the bulk lifecycle): the verdicts of one record at a time,
the writes of a batch, and overlapping bulk publishes on PostgreSQL (each record published once)."""
from __future__ import annotations

import copy
import random
from datetime import UTC, date, datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from api.examples import RECORD
from catalog import audit_log, registry
from catalog.auth import SYSTEM, Actor
from catalog.cascade.models import ResourceOrigin
from catalog.errors import CatalogError
from catalog.lifecycle_bulk import bulk_change_state
from catalog.models import AuditEntry, OutboxEvent, Resource
from catalog.notify.models import NotifyEvent
from catalog.sharing.models import Grant
from catalog.state_changes import change_state_many
from tests.databases import postgres_database

OWN, OTHER = "330782101", "330782103"
STEWARD = Actor(name="张三", role="steward", department_code=OWN)
STRANGER = Actor(name="李四", role="steward", department_code=OTHER)
COORDINATOR = Actor(name="王五", role="coordinator")


def record(n: int) -> dict:
    r = copy.deepcopy(RECORD)
    r["name"] = f"企业登记基本信息{n}"
    return r


def make(db, count: int, *, state: str = "draft") -> list[str]:
    with db.transaction() as s:
        taken = s.execute(select(func.count()).select_from(Resource)).scalar_one()
        outcomes = registry.register_records(session=s, actor=SYSTEM,
                                             records=[record(taken + i) for i in range(count)])
    codes = [o.code for o in outcomes]
    assert all(codes), [o.problem for o in outcomes]
    steps = {"draft": [], "submitted": ["submit"], "published": ["submit", "publish"]}[state]
    for action in steps:
        bulk_change_state(db=db, actor=SYSTEM, action=action, codes=codes)
    return codes


def single_verdicts(db, actor: Actor, action: str, codes: list[str], reason: str | None) -> dict:
    """What `change_state` says of each code on its own (each in a transaction rolled back)."""
    out = {}
    for code in codes:
        with db.session() as s:
            try:
                row = registry.change_state(session=s, actor=actor, code=code, action=action, reason=reason)
                out[code] = ("ok", row.state)
            except CatalogError as exc:
                out[code] = (exc.code, exc.message)
            s.rollback()
    return out


@pytest.mark.parametrize("actor", [STEWARD, STRANGER, COORDINATOR], ids=["steward", "stranger", "coordinator"])
@pytest.mark.parametrize("action,reason", [("submit", None), ("publish", None), ("reject", None),
                                           ("reject", "请补充"), ("withdraw", None)])
def test_a_batch_gives_each_record_the_verdict_of_the_single_call(db, actor, action, reason) -> None:
    codes = [*make(db, 2), *make(db, 2, state="submitted"), *make(db, 2, state="published")]
    codes = [codes[0], codes[2], codes[4], "102001/999999", "bad\x00code", codes[1], codes[3], codes[5]]
    with db.transaction() as s:  # a copy from another level: read-only here
        s.add(ResourceOrigin(code=codes[-1], kind="returned", origin="金华市目录", origin_code="X/1", origin_version=1))
    expected = single_verdicts(db, actor, action, codes, reason)
    assert len({v[0] for v in expected.values()}) >= 2  # the table mixes outcomes
    with db.transaction() as s:
        outcome = change_state_many(session=s, actor=actor, codes=codes, action=action, reason=reason)
    got = {c: ("ok", o.state) if not isinstance(o, CatalogError) else (o.code, o.message) for c, o in outcome.items()}
    assert got == expected
    with db.session() as s:  # and what was accepted is what is stored
        stored = dict(s.execute(select(Resource.code, Resource.state).where(
            Resource.code.in_([c for c in codes if "\x00" not in c]))).all())
    assert {c: v[1] for c, v in expected.items() if v[0] == "ok"} == {c: stored[c] for c, v in expected.items()
                                                                      if v[0] == "ok"}


def test_a_batch_writes_one_entry_outbox_row_and_event_per_record_and_flags_grants(db) -> None:
    codes = make(db, 5, state="published")
    with db.transaction() as s:
        s.add(Grant(request_id=1, resource_code=codes[1], provider_code=OWN, requester_code=OTHER, items=["a"],
                    share_type="有条件共享", status="active", needs_review=False, valid_from=date(2026, 1, 1),
                    valid_until=date(2099, 1, 1), created_at=datetime(2026, 1, 1, tzinfo=UTC)))
        before = {m.__tablename__: s.execute(select(func.count()).select_from(m)).scalar_one()
                  for m in (AuditEntry, OutboxEvent, NotifyEvent)}
    result = bulk_change_state(db=db, actor=COORDINATOR, action="withdraw", codes=[*codes, codes[0]], chunk=2)
    assert [r["code"] for r in result.results] == codes and result.done == 5
    with db.session() as s:
        entries = s.execute(select(AuditEntry).where(AuditEntry.id > before["audit_log"])
                            .order_by(AuditEntry.id)).scalars().all()
        assert [(e.action, e.resource_code) for e in entries] == [
            ("withdraw", codes[0]), ("withdraw", codes[1]), ("grant.flag_review", codes[1]),
            *(("withdraw", c) for c in codes[2:])]
        assert s.execute(select(func.count()).select_from(OutboxEvent)).scalar_one() == before["outbox"] + 5
        events = s.execute(select(NotifyEvent.kind, NotifyEvent.resource_code)
                           .where(NotifyEvent.id > 0)).all()
        assert ("grant.resource_withdrawn", codes[1]) in events
        assert s.execute(select(Grant.needs_review)).scalar_one() is True
        assert audit_log.verify_chain(session=s).ok
        assert {r.etag for r in s.execute(select(Resource)).scalars()} == {
            registry.make_etag(c, 1, "withdrawn") for c in codes}


@pytest.mark.postgres
def test_overlapping_bulk_publishes_publish_each_record_once() -> None:
    with postgres_database() as (db, _):
        codes = make(db, 120, state="submitted")
        rng = random.Random(13)

        def publish(i: int) -> list[dict]:
            mine = codes[(i * 6) % 120:] + codes[:(i * 6) % 120]  # every client wants most records
            mine = mine[:90]
            rng_local = random.Random(i)
            rng_local.shuffle(mine)
            return bulk_change_state(db=db, actor=COORDINATOR, action="publish", codes=mine,
                                     chunk=rng.choice([7, 25, 40])).results

        with ThreadPoolExecutor(20) as pool:
            results = [r for batch in pool.map(publish, range(20)) for r in batch]
        won = [r["code"] for r in results if r["ok"]]
        assert sorted(won) == sorted(set(won)) == sorted(set(r["code"] for r in results))  # once each
        assert {r["error"] for r in results if not r["ok"]} == {"conflict"}
        with db.session() as s:
            assert set(s.execute(select(Resource.state).where(Resource.code.in_(won))).scalars()) == {"published"}
            per_code = dict(s.execute(select(AuditEntry.resource_code, func.count()).where(
                AuditEntry.action == "publish").group_by(AuditEntry.resource_code)).all())
            assert per_code == {c: 1 for c in won}
            published_events = s.execute(select(func.count()).select_from(NotifyEvent).where(
                NotifyEvent.kind == "resource.published")).scalar_one()
            assert published_events == len(won)
            check = audit_log.verify_chain(session=s)
            assert check.ok, check
