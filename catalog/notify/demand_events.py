"""The events of 供需对接 in words a steward reads: a department told of the duty it was given, the requester told
of the answers, the coordinator of an escalation, both sides of a ruling and of the publication that met the need.

Called from `catalog.demands.events.emit` (every demand step), in the step's transaction. Steps that only the
acting department itself is party to (creating, re-matching) notify nobody.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from catalog.demands.models import Demand, Duty
from catalog.notify.events import Event, emit

KIND_OF_STEP = {
    "assign": "demand.duty_assigned",
    "duty.will_provide": "demand.duty_answered", "duty.cannot": "demand.duty_answered",
    "duty.not_ours": "demand.duty_answered",
    "duty.escalate": "demand.duty_escalated",
    "duty.arbitrate": "demand.duty_arbitrated",
    "fulfil": "demand.fulfilled",
}
_ANSWER = {"duty.will_provide": "将提供数据", "duty.cannot": "无法提供", "duty.not_ours": "非本部门职责"}
_OUTCOME = {"provide": "应当提供", "uphold": "维持不提供"}


def on_demand_step(*, session: Session, demand: Demand, duty: Duty | None, step: str, detail: dict[str, Any]) -> None:
    """One demand step (`catalog.demands.events.emit`'s `event`) as a notification, when it is one of KIND_OF_STEP."""
    kind = KIND_OF_STEP.get(step)
    if kind is None or duty is None:  # every step of the table is a step of one duty
        return
    what = f"需求 #{demand.id}「{demand.title}」"
    dept = duty.department_code
    title, body = {
        "demand.duty_assigned": (f"{what} 分派给本部门办理, 请于 {detail.get('due_on')} 前答复",
                                 detail.get("note") or demand.description),
        "demand.duty_answered": (f"{what}: 部门 {dept} 答复{_ANSWER.get(step, '')}",
                                 detail.get("reason") or (f"预计提供日期 {detail.get('target_date')}"
                                                         if detail.get("target_date") else "")),
        "demand.duty_escalated": (f"{what}: 需求方对部门 {dept} 的答复提请协调", detail.get("reason") or ""),
        "demand.duty_arbitrated": (f"{what}: 协调结果 {_OUTCOME.get(str(detail.get('outcome')), detail.get('outcome'))}",
                                   detail.get("reason") or ""),
        "demand.fulfilled": (f"{what} 已由资源「{detail.get('resource_name')}」({detail.get('resource_code')}) 满足", ""),
    }[kind]
    emit(session=session, event=Event(
        kind=kind, title=title, body=str(body), parties={"provider": dept, "requester": demand.requester_code},
        subject=("demand", demand.id), resource_code=detail.get("resource_code"), link=f"/demands/{demand.id}",
        data={"demand_id": demand.id, "duty_id": duty.id, "step": step,
              "status": demand.status}))
