"""Fulfilment: a duty ends when its department publishes a resource covering every need of the demand.

`on_publish` is called by the registry right after a resource is published, in the same transaction
(so the publish and the fulfilment commit or fail together). It looks at the live duties (assigned or
promised) of the resource's provider, and fulfils each whose demand the resource covers: the duty and
the demand become fulfilled, other live duties of the demand are closed, and the `fulfil` event tells
the requester. `fulfil_from_published` does the same check when a department promises data it has
already published.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor
from catalog.demands import events
from catalog.demands.matching import covers_all
from catalog.demands.models import Demand, Duty
from catalog.demands.states import demand_transition, duty_transition
from catalog.models import Resource
from catalog.sharing.clock import Clock, SystemClock
from catalog.standards.model import Standards

FULFILLING = ("assigned", "promised")


def _standards(session: Session) -> Standards:
    from catalog.db import standards_dir_of
    from catalog.standards import load_standards

    return load_standards(standards_dir_of(session))  # the catalogue's own standards (MULU_STANDARDS_DIR)


def _fulfil(session: Session, actor: Actor, duty: Duty, demand: Demand, resource: Resource, now: datetime) -> None:
    from catalog.demands.duties import close_live_duties

    target, _ = duty_transition(state=duty.status, action="fulfil")
    events.move(session, duty, expected=duty.status, values={"status": target, "fulfilled_at": now,
                                                             "resource_code": resource.code, "updated_at": now})
    demand_target, _ = demand_transition(state=demand.status, action="fulfil")
    events.move(session, demand, expected=demand.status, values={
        "status": demand_target, "fulfilled_at": now, "fulfilled_resource": resource.code, "updated_at": now})
    close_live_duties(session=session, actor=actor, demand=demand, at=now, keep=duty.id,
                      why=f"需求已由 {resource.provider_code} 发布的资源 {resource.code} 满足")
    events.emit(session, actor=actor, demand=demand, duty=duty, event="fulfil", at=now,
                audience=[demand.requester_code, duty.department_code, events.COORDINATOR],
                resource_code=resource.code, resource_name=resource.name, department_code=duty.department_code)


def on_publish(*, session: Session, actor: Actor, resource: Resource, clock: Clock | None = None,
               standards: Standards | None = None) -> list[int]:
    """Fulfil the duties `resource` (just published) meets; the ids of the demands fulfilled."""
    if resource.state != "published":
        return []
    duties = session.execute(select(Duty).where(col(Duty.department_code) == resource.provider_code,
                                                col(Duty.status).in_(FULFILLING)).order_by(col(Duty.id))).scalars().all()
    if not duties:
        return []
    standards = standards or _standards(session)
    now = (clock or SystemClock()).now()
    done: list[int] = []
    for duty in duties:
        demand = events.lock_demand(session, duty.demand_id)
        session.refresh(duty)
        if demand.status != "assigned" or duty.status not in FULFILLING:
            continue
        if covers_all(resource.record or {}, demand.needs or [], standards):
            _fulfil(session, actor, duty, demand, resource, now)
            done.append(demand.id or 0)
    return done


def providers_with_duties(*, session: Session, provider_codes: set[str]) -> set[str]:
    """Which of `provider_codes` have a live duty (one query: most publishes have none to fulfil)."""
    if not provider_codes:
        return set()
    return set(session.execute(select(col(Duty.department_code)).where(
        col(Duty.department_code).in_(sorted(provider_codes)), col(Duty.status).in_(FULFILLING)).distinct()).scalars())


def fulfil_from_published(*, session: Session, actor: Actor, clock: Clock, duty: Duty, demand: Demand,
                          standards: Standards | None = None) -> bool:
    """A department promising data it already publishes: fulfilled at once by that resource."""
    standards = standards or _standards(session)
    for resource in session.execute(select(Resource).where(col(Resource.provider_code) == duty.department_code,
                                                           col(Resource.state) == "published")
                                    .order_by(col(Resource.code))).scalars():
        if covers_all(resource.record or {}, demand.needs or [], standards):
            _fulfil(session, actor, duty, demand, resource, clock.now())
            return True
    return False
