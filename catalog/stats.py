"""Performance evaluation (绩效评估): per-department and overall figures of the catalogue and its sharing.

Per department: resources by state and share type; compliance (share of its resources — withdrawn ones
left out — with no audit findings at all, and with no errors); share requests received / answered /
answered on time / answered late / overdue, median answer time in working days; requests made; error
reports received / answered / corrected and the median working days to a correction; duplicate
collection (一数一源: items, resources, elements re-collected from another department's authority).
Overall figures are sums, and medians over all answers (not medians of medians). Audit = the one
validation engine.
Demand figures (raised, met from the catalogue, duties assigned / answered on time / fulfilled / overdue)
come from `catalog.demands.figures`.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.demands import figures as demand_figures
from catalog.models import Department, Resource
from catalog.sharing import deadlines
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock, as_utc
from catalog.sharing.models import ErrorReport, ShareRequest

RESOURCE_STATES = ("draft", "submitted", "published", "withdrawn")
SHARE_TYPES = ("无条件共享", "有条件共享", "不予共享")


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _blank(code: str, name: str) -> dict[str, Any]:
    return {
        "department_code": code, "department": name,
        "resources": {"total": 0, "by_state": dict.fromkeys(RESOURCE_STATES, 0),
                      "by_share_type": dict.fromkeys(SHARE_TYPES, 0)},
        "compliance": {"audited": 0, "without_findings": 0, "without_errors": 0, "rate": None,
                       "rate_without_errors": None},
        "requests": {"received": 0, "decided_automatically": 0, "to_answer": 0, "answered": 0,
                     "answered_on_time": 0, "answered_late": 0, "pending": 0, "overdue": 0,
                     "on_time_rate": None, "median_answer_working_days": None, "made": 0},
        "feedback": {"received": 0, "answered": 0, "corrected": 0, "not_an_error": 0, "open": 0, "overdue": 0,
                     "answered_on_time": 0, "median_fix_working_days": None, "reported": 0},
        "duplicate_collection": {"items": 0, "resources": 0, "elements": 0},  # 一数一源 (catalog.sources)
        "demands": demand_figures.blank(),
    }


def _audit_findings(resources: list[Resource], standards: Any) -> dict[str, tuple[int, int]]:
    """code -> (findings, errors) for the non-withdrawn resources, audited together (cross rules too)."""
    from catalog.validation import audit

    live = [r for r in resources if r.state != "withdrawn"]
    result = audit([(r.code, r.record or {}) for r in live], standards=standards,
                   known_codes=[r.code for r in resources])
    return {code: (len(rep.findings), len(rep.errors)) for code, rep in result.reports.items()}


def _duplicate_collection(session: Session, resources: list[Resource], standards: Any) -> dict[str, Any]:
    """Per department: items, resources and elements re-collected from another department's authority."""
    from catalog.departments import registry_standards
    from catalog.sources.redundancy import duplicate_collection_by_department

    return duplicate_collection_by_department(
        resources=resources, standards=registry_standards(session=session, standards=standards))


def performance_report(*, session: Session, calendar: WorkingCalendar, clock: Clock,
                       standards: Any = None, department_code: str | None = None) -> dict[str, Any]:
    """The report as plain data: {as_of, rules, departments: [...], overall: {...}}."""
    now = clock.now()
    today = calendar.local_date(now)
    names = {d.code: d.name for d in session.execute(select(Department)).scalars()}
    rows: dict[str, dict[str, Any]] = {}

    def row(code: str) -> dict[str, Any]:
        if code not in rows:
            rows[code] = _blank(code, names.get(code, ""))
        return rows[code]

    for code in names:
        row(code)
    resources = list(session.execute(select(Resource)).scalars())
    audited = _audit_findings(resources, standards) if resources else {}
    for code, counts in _duplicate_collection(session, resources, standards).items():
        row(code)["duplicate_collection"] = counts
    for res in resources:
        r = row(res.provider_code)
        r["resources"]["total"] += 1
        r["resources"]["by_state"][res.state] = r["resources"]["by_state"].get(res.state, 0) + 1
        if res.share_type:
            r["resources"]["by_share_type"][res.share_type] = r["resources"]["by_share_type"].get(res.share_type, 0) + 1
        if res.code in audited:
            found, errors = audited[res.code]
            c = r["compliance"]
            c["audited"] += 1
            c["without_findings"] += found == 0
            c["without_errors"] += errors == 0

    answer_days: dict[str, list[int]] = defaultdict(list)
    for req in session.execute(select(ShareRequest)).scalars():
        q = row(req.provider_code)["requests"]
        row(req.requester_code)["requests"]["made"] += 1
        q["received"] += 1
        if req.due_on is None:
            q["decided_automatically"] += 1
            continue
        q["to_answer"] += 1
        if req.answered_at is not None:
            q["answered"] += 1
            timely = deadlines.on_time(calendar=calendar, due_on=req.due_on, answered_at=as_utc(req.answered_at))
            q["answered_on_time" if timely else "answered_late"] += 1
            answer_days[req.provider_code].append(req.answer_working_days or 0)
        elif req.status == "pending":
            q["pending"] += 1
            q["overdue"] += today > req.due_on

    fix_days: dict[str, list[int]] = defaultdict(list)
    for rep in session.execute(select(ErrorReport)).scalars():
        f = row(rep.provider_code)["feedback"]
        row(rep.reporter_code)["feedback"]["reported"] += 1
        f["received"] += 1
        if rep.status == "open":
            f["open"] += 1
            f["overdue"] += today > rep.due_on
            continue
        f["answered"] += 1
        f[rep.status] += 1
        f["answered_on_time"] += deadlines.on_time(calendar=calendar, due_on=rep.due_on,
                                                   answered_at=as_utc(rep.answered_at or now))
        if rep.status == "corrected":
            fix_days[rep.provider_code].append(rep.answer_working_days or 0)

    demand_figures.count(session=session, calendar=calendar, today=today, row=row)

    for code, r in rows.items():
        _finish(r, answer_days.get(code, []), fix_days.get(code, []))
    departments = [rows[c] for c in sorted(rows)]
    overall = _blank("", "全部部门 overall")
    overall.pop("department_code")
    overall["departments"] = len(departments)
    for r in departments:
        for part in ("resources", "compliance", "requests", "feedback", "duplicate_collection", "demands"):
            _add(overall[part], r[part])
    _finish(overall, [d for v in answer_days.values() for d in v], [d for v in fix_days.values() for d in v])
    if department_code:
        departments = [r for r in departments if r["department_code"] == department_code]
    return {"as_of": today.isoformat(), "generated_at": now.isoformat().replace("+00:00", "Z"),
            "calendar": {"id": calendar.id, "version": calendar.version},
            "rules": {"share_request_answer_working_days": calendar.rules.share_request_answer,
                      "feedback_answer_working_days": calendar.rules.feedback_answer},
            "departments": departments, "overall": overall}


def _add(total: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict):
            _add(total.setdefault(key, {}), value)
        elif isinstance(value, int) and not isinstance(value, bool):
            total[key] = (total.get(key) or 0) + value


def _finish(r: dict[str, Any], answers: list[int], fixes: list[int]) -> None:
    c, q, f = r["compliance"], r["requests"], r["feedback"]
    c["rate"] = rate(c["without_findings"], c["audited"])
    c["rate_without_errors"] = rate(c["without_errors"], c["audited"])
    q["on_time_rate"] = rate(q["answered_on_time"], q["answered"])
    q["median_answer_working_days"] = median(answers)
    f["median_fix_working_days"] = median(fixes)


COLUMNS: list[tuple[str, str]] = [
    ("department_code", "部门代码"), ("department", "部门"),
    ("resources.total", "资源数"), ("resources.by_state.published", "已发布"),
    ("resources.by_share_type.无条件共享", "无条件"), ("resources.by_share_type.有条件共享", "有条件"),
    ("resources.by_share_type.不予共享", "不予"), ("compliance.rate", "合规率"),
    ("requests.received", "收到申请"), ("requests.answered", "已答复"), ("requests.answered_on_time", "按时答复"),
    ("requests.overdue", "逾期"), ("requests.median_answer_working_days", "答复中位工作日"),
    ("requests.made", "发出申请"), ("feedback.received", "纠错反馈"), ("feedback.corrected", "已更正"),
    ("feedback.median_fix_working_days", "更正中位工作日"),
]  # the demand figures (demand_figures.COLUMNS) are in the JSON and CSV; the terminal table is full


def flat_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per department plus an overall row (keys = dotted paths), for CSV and tables."""
    def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, dict):
                out.update(flatten(value, f"{prefix}{key}."))
            else:
                out[f"{prefix}{key}"] = value
        return out

    rows = [flatten(r) for r in report["departments"]]
    overall = flatten({k: v for k, v in report["overall"].items() if k != "departments"})
    overall["department_code"], overall["department"] = "*", report["overall"]["department"]
    rows.append(overall)
    return rows
