"""A share request's timeline for its page: the request row's dates, with who acted from the audit log."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from catalog import audit_log
from catalog.sharing.calendar import WorkingCalendar

OUTCOME_LABELS = {"granted": "予以共享", "upheld": "维持不共享"}
SYSTEM_NAMES = {"system": "系统（按共享类型自动办理）"}


@dataclass(frozen=True, slots=True)
class Step:
    key: str          # submitted due answered escalated arbitrated withdrawn
    at: str           # ISO date or date-time
    title: str
    who: str = ""
    text: str = ""
    tone: str = ""    # ok | err | warn | ""


def _audit_actors(session: Session, req: dict[str, Any]) -> dict[str, str]:
    """{step: actor} for this request's audit entries (share_request.<step>, detail.request_id)."""
    entries, _ = audit_log.list_entries(session=session, resource_code=req["resource_code"], limit=1000)
    actors: dict[str, str] = {}
    for entry in entries:
        detail = entry.detail or {}
        if entry.action.startswith("share_request.") and detail.get("request_id") == req["id"]:
            actors.setdefault(entry.action.removeprefix("share_request."), entry.actor)
    return actors


def request_timeline(*, session: Session, req: dict[str, Any], calendar: WorkingCalendar) -> list[Step]:
    """The steps of `req` (a `request_dict`) in order; the due date shows while the request waits."""
    who = _audit_actors(session, req)
    steps = [Step("submitted", req["created_at"] or "", "提交申请", who.get("create") or req["requested_by"],
                  f"用途：{req['purpose']}；依据：{req['basis']}；期限 {req['period_days']} 天")]
    if req["due_on"]:
        late = req["overdue"]
        steps.append(Step("due", req["due_on"], "答复期限",
                          text=f"{calendar.rules.share_request_answer} 个工作日内答复" + ("，已超期" if late else ""),
                          tone="err" if late else ""))
    if req["answered_at"]:
        # approved is final, so any other later state followed a rejection (or a refusal at submission)
        if req["answered_by"] == "system":
            status = "refused" if req["share_type"] == "不予共享" else "approved"
        else:
            status = "approved" if req["status"] == "approved" else "rejected"
        title = {"approved": "批准", "rejected": "拒绝", "refused": "不予共享（提交时自动判定）"}[status]
        if req["answered_by"] == "system" and status == "approved":
            title = "无条件共享：自动批准"
        days = f"（用时 {req['answer_working_days']} 个工作日）" if req["answer_working_days"] is not None else ""
        steps.append(Step("answered", req["answered_at"], title + days,
                          who.get("approve") or who.get("reject") or SYSTEM_NAMES.get(req["answered_by"] or "",
                                                                                        req["answered_by"] or ""),
                          req["reason"] or "", "ok" if status == "approved" else "err"))
    if req["escalated_at"]:
        steps.append(Step("escalated", req["escalated_at"], "申请争议协调", who.get("escalate", ""),
                          req["escalation_reason"] or "", "warn"))
    if req["arbitrated_at"]:
        outcome = req["arbitration_outcome"] or ""
        steps.append(Step("arbitrated", req["arbitrated_at"], f"协调裁决：{OUTCOME_LABELS.get(outcome, outcome)}（终局）",
                          req["arbitrated_by"] or who.get("arbitrate", ""), req["arbitration_reason"] or "",
                          "ok" if outcome == "granted" else "err"))
    if req["withdrawn_at"]:
        steps.append(Step("withdrawn", req["withdrawn_at"], "申请方撤回", who.get("withdraw", "")))
    return sorted(steps, key=lambda s: s.at)
