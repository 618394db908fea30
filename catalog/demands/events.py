"""How a transition is written: one conditional UPDATE, one audit entry, one event row, one transaction.

    move(session, duty, expected="assigned", values={...})  # UPDATE ... WHERE id = :id AND status = :expected
    emit(session, actor=..., demand=..., event="duty.will_provide", audience=[...], ...)

`events_after` is the feed a consumer reads with its own cursor. `move` is what keeps parallel answers from both succeeding: the loser's UPDATE matches no row and it
gets a 409. `emit` is where a domain event happens: the `demand_events` row (with its audience: department
codes, and "coordinator") is the feed notifications subscribe to; the audit entry is `demand.<event>`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log
from catalog.auth import Actor
from catalog.demands.models import Demand, DemandEvent, Duty
from catalog.errors import Conflict
from catalog.notify.demand_events import on_demand_step
from catalog.sharing.common import not_found

COORDINATOR = "coordinator"  # audience entry meaning the sharing coordinator, not a department


def lock_demand(session: Session, demand_id: int) -> Demand:
    """The demand row, locked until commit (PostgreSQL; SQLite write transactions are serial anyway),
    read fresh so that what another transaction committed meanwhile is seen."""
    row = session.execute(select(Demand).where(col(Demand.id) == demand_id).with_for_update()
                          .execution_options(populate_existing=True)).scalar_one_or_none()
    if row is None:
        raise not_found("需求", demand_id)
    return row


def move(session: Session, row: Demand | Duty, *, expected: str, values: dict[str, Any]) -> None:
    """Set `values` (with the new status) only if the row is still in `expected`; else 409."""
    model = type(row)
    session.flush()
    result = session.execute(update(model).where(col(model.id) == row.id, col(model.status) == expected).values(**values)
                             .execution_options(synchronize_session="evaluate"))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        what = "需求" if model is Demand else "责任"
        raise Conflict(f"{what} {row.id} 已被他人处理, 请刷新后重试 (changed concurrently)", id=row.id)


def emit(session: Session, *, actor: Actor, demand: Demand, event: str, at: datetime, audience: list[str],
         duty: Duty | None = None, resource_code: str | None = None, **detail: Any) -> DemandEvent:
    """Record one domain event: the timeline row, the hash-chained audit entry and its notification."""
    body = {"demand_id": demand.id, "status": demand.status,
            **({"duty_id": duty.id, "duty_status": duty.status} if duty is not None else {}),
            **({"resource_code": resource_code} if resource_code else {}), **detail}
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        f"demand.{event}", resource_code, detail=body)])
    row = DemandEvent(demand_id=demand.id or 0, duty_id=duty.id if duty is not None else None, event=event,
                      at=at, actor=actor.name, department_code=actor.department_code,
                      audience=list(dict.fromkeys(a for a in audience if a)),
                      detail={k: v for k, v in body.items() if k not in ("demand_id", "duty_id")})
    session.add(row)
    session.flush()
    on_demand_step(session=session, demand=demand, duty=duty, step=event, detail=body)
    return row


def list_events(*, session: Session, demand_id: int) -> list[DemandEvent]:
    return list(session.execute(select(DemandEvent).where(col(DemandEvent.demand_id) == demand_id)
                                .order_by(col(DemandEvent.id))).scalars())


def events_after(*, session: Session, after_id: int = 0, limit: int = 500) -> list[DemandEvent]:
    """The event feed in order, from the row after `after_id`: what a consumer (notifications) reads with its
    own cursor; rows are written in the transaction of their step, so a committed step is never missed."""
    return list(session.execute(select(DemandEvent).where(col(DemandEvent.id) > after_id)
                                .order_by(col(DemandEvent.id)).limit(limit)).scalars())
