"""The upper level's side of 目录上报: store what a lower level pushes, then register or reject it.

    receive(session=s, actor=downstream, entries=[...], departments=[...], origin_info={...})
    register_report(session=s, actor=coordinator, report_id=7)   # -> a published resource here
    reject_report(session=s, actor=coordinator, report_id=7, reason="…")

The origin of a push is the credential's name (a `downstream` token this level issued), never a field
of the body, so one lower level cannot write another's records. Each feed entry is applied at most
once: an entry whose cursor is not past the report's `origin_cursor` is skipped, so a batch pushed
twice (a retry after a timeout or a kill) changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log
from catalog.auth import Actor, authorize
from catalog.cascade import states
from catalog.cascade.models import CascadeReport, ResourceOrigin
from catalog.cascade.origins import map_related, replace_record, withdraw_copy
from catalog.errors import Conflict, InvalidInput, InvalidRecord, NotFound
from catalog.findings import Finding
from catalog.models import Department, Token, utcnow

MAX_BATCH = 1000


@dataclass(slots=True)
class IntakeResult:
    applied: int = 0
    skipped: int = 0      # already applied (a repeated batch)
    departments_added: int = 0
    cursor: int = 0       # the highest entry cursor seen
    verdicts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"applied": self.applied, "skipped": self.skipped, "departments_added": self.departments_added,
                "cursor": self.cursor, "verdicts": self.verdicts}


def merge_departments(*, session: Session, departments: list[dict[str, Any]]) -> int:
    """Add the departments this level lacks, by code (the code carries the division); never rename ours."""
    added = 0
    for d in departments:
        code, name = d.get("code"), d.get("name")
        if not (isinstance(code, str) and len(code) == 9 and code.isdigit() and isinstance(name, str) and name):
            continue
        if session.get(Department, code) is not None:
            continue
        row = Department(code=code, name=name[:200], short_name=d.get("short_name"), sector=d.get("sector"),
                         created_at=utcnow())
        for extra in ("parent_code", "level", "division_code"):
            if hasattr(row, extra) and d.get(extra) is not None:
                setattr(row, extra, d[extra])
        session.add(row)
        added += 1
    session.flush()
    return added


def receive(*, session: Session, actor: Actor, entries: list[Any], departments: list[Any],
            origin_info: dict[str, Any] | None = None) -> IntakeResult:
    """Apply one pushed batch in order; the caller's transaction makes it all or nothing."""
    authorize(actor, "cascade_intake")
    if len(entries) > MAX_BATCH:
        raise InvalidInput(f"一批最多 {MAX_BATCH} 条，收到 {len(entries)} 条 (batch too large)")
    info = origin_info or {}
    # one push per origin at a time (a worker and a manual push may overlap): lock the origin's credential
    session.execute(select(col(Token.id)).where(col(Token.name) == actor.name).with_for_update()).all()
    result = IntakeResult()
    result.departments_added = merge_departments(
        session=session, departments=[d for d in departments if isinstance(d, dict)])
    from catalog.departments import registry_standards

    standards = registry_standards(session=session)
    for i, entry in enumerate(entries):
        _check_entry(entry, i)
    known = _reports(session, actor.name, {e["code"] for e in entries})
    for entry in entries:
        result.cursor = max(result.cursor, entry["cursor"])
        report = known.get(entry["code"])
        if report is not None and entry["cursor"] <= report.origin_cursor:
            result.skipped += 1
            continue
        if entry["action"] == "published":
            report = known[entry["code"]] = _reported(session, actor, report, entry, info, standards)
        elif report is not None:
            _withdrawn(session, actor, report, entry)
        else:
            result.skipped += 1  # a withdrawal of something never reported here: nothing to do
            continue
        result.applied += 1
        result.verdicts.append(verdict(report))
    session.flush()
    return result


def _reports(session: Session, origin: str, codes: set[str]) -> dict[str, CascadeReport]:
    """The origin's reports of these codes, locked, in one query per 500 codes."""
    out: dict[str, CascadeReport] = {}
    wanted = sorted(codes)
    for k in range(0, len(wanted), 500):
        rows = session.execute(select(CascadeReport).where(
            col(CascadeReport.origin) == origin, col(CascadeReport.origin_code).in_(wanted[k:k + 500])
        ).with_for_update()).scalars()
        out.update({r.origin_code: r for r in rows})
    return out


def _check_entry(entry: Any, i: int) -> None:
    ok = (isinstance(entry, dict) and isinstance(entry.get("cursor"), int) and isinstance(entry.get("code"), str)
          and entry.get("action") in ("published", "withdrawn") and isinstance(entry.get("version"), int)
          and (entry["action"] == "withdrawn" or isinstance(entry.get("record"), dict)))
    if not ok:
        raise InvalidInput(f"第 {i + 1} 条不是合法的目录变更 (entries/{i}: expected cursor, code, action, version"
                           ", and record when published)",
                           findings=[Finding("cascade.entry", "error", f"/entries/{i}", "目录变更格式错误")])


def _reported(session: Session, actor: Actor, report: CascadeReport | None, entry: dict[str, Any],
              info: dict[str, Any], standards: Any) -> CascadeReport:
    from catalog.validation import validate_record

    record = {k: v for k, v in entry["record"].items() if k != "code"}
    findings = validate_record(record, standards=standards).findings
    errors = [f for f in findings if f.severity == "error"]
    now = utcnow()
    if report is None:
        report = CascadeReport(origin=actor.name, origin_code=entry["code"], received_at=now,
                               origin_version=entry["version"], origin_cursor=entry["cursor"],
                               provider_code=str(record.get("provider_code", ""))[:9],
                               name=str(record.get("name", ""))[:500], state="reported", record=record)
        session.add(report)
    report.origin_level, report.origin_region = info.get("level"), info.get("region")
    report.origin_version, report.origin_cursor, report.record = entry["version"], entry["cursor"], record
    report.name = str(record.get("name", ""))[:500]
    report.received_at, report.findings = now, [f.to_dict() for f in findings]
    if errors:
        report.state, report.reason = "rejected", f"不符合本级标准，{len(errors)} 处错误 (fails this level's standards)"
        report.decided_at, report.decided_by = now, "mulu"
    else:
        report.state, report.reason, report.decided_at, report.decided_by = "reported", None, None, None
    return report


def _withdrawn(session: Session, actor: Actor, report: CascadeReport, entry: dict[str, Any]) -> None:
    report.origin_cursor = entry["cursor"]
    if report.state == "withdrawn":
        return
    report.state, report.decided_at, report.decided_by = "withdrawn", utcnow(), actor.name
    if report.local_code:
        withdraw_copy(session=session, actor=actor, code=report.local_code)


def _load(session: Session, report_id: int) -> CascadeReport:
    report = session.execute(select(CascadeReport).where(col(CascadeReport.id) == report_id)
                             .with_for_update()).scalar_one_or_none()
    if report is None:
        raise NotFound(f"上报记录 {report_id} 不存在 (report not found)")
    return report


def _require(report: CascadeReport, action: str) -> None:
    sources, _ = states.TRANSITIONS[action]
    if report.state not in sources:
        raise Conflict(f"上报记录 {report.id} 处于「{states.LABELS[report.state]}」，不能{'注册' if action == 'register' else '退回'}"
                       " (wrong state)", state=report.state)


def register_report(*, session: Session, actor: Actor, report_id: int) -> CascadeReport:
    """注册: the reported record becomes (or updates) a published resource of this level, with provenance."""
    from catalog.registry import register_records

    authorize(actor, "cascade_review")
    report = _load(session, report_id)
    _require(report, "register")
    by = Actor(name=f"{actor.name}（级联注册 {report.origin}）", role="admin")
    record = map_related(session=session, record=dict(report.record), kind="reported", origin=report.origin)
    if report.local_code:
        from catalog.validation import validate_record
        from catalog.departments import registry_standards

        check = validate_record({**record, "code": report.local_code},
                                standards=registry_standards(session=session))
        if not check.valid:
            raise InvalidRecord(f"记录不符合本级标准，{len(check.errors)} 处错误 (invalid here)", findings=check.findings)
        replace_record(session=session, actor=by, code=report.local_code, record=record,
                       warnings=[f.to_dict() for f in check.warnings], origin_version=report.origin_version)
    else:
        [outcome] = register_records(session=session, actor=by, records=[record], state="published")
        if outcome.problem is not None:
            raise outcome.problem
        assert outcome.code is not None  # a registered record has its code
        report.local_code = outcome.code
        session.add(ResourceOrigin(code=outcome.code, kind="reported", origin=report.origin,
                                   origin_level=report.origin_level, origin_code=report.origin_code,
                                   origin_version=report.origin_version))
    report.state, report.decided_at, report.decided_by, report.reason = "registered", utcnow(), actor.name, None
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "cascade_register", report.local_code, None, None,
        {"origin": report.origin, "origin_code": report.origin_code, "origin_version": report.origin_version})])
    session.flush()
    return report


def reject_report(*, session: Session, actor: Actor, report_id: int, reason: str) -> CascadeReport:
    """退回 with a reason the lower level will see."""
    authorize(actor, "cascade_review")
    report = _load(session, report_id)
    _require(report, "reject")
    if not (reason or "").strip():
        raise InvalidInput("退回需要填写理由 reason (a reason is required)",
                           findings=[Finding("reason.required", "error", "/reason", "请填写退回理由")])
    report.state, report.decided_at, report.decided_by, report.reason = "rejected", utcnow(), actor.name, reason.strip()
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "cascade_reject", None, None, None,
        {"origin": report.origin, "origin_code": report.origin_code, "reason": reason.strip()})])
    session.flush()
    return report


def list_reports(*, session: Session, actor: Actor, state: str | None = None, origin: str | None = None,
                 decided_after: str | None = None, limit: int = 100, offset: int = 0) -> tuple[list[CascadeReport], int]:
    """Reports for this level's coordinators, or a downstream's own reports (its verdicts)."""
    from sqlalchemy import func

    if actor.role == "downstream":
        origin = actor.name
    else:
        authorize(actor, "cascade_review")
    query = select(CascadeReport)
    if state:
        query = query.where(col(CascadeReport.state) == state)
    if origin:
        query = query.where(col(CascadeReport.origin) == origin)
    if decided_after:
        from datetime import datetime

        try:
            after = datetime.fromisoformat(decided_after)
        except ValueError:
            raise InvalidInput(f"decided_after {decided_after!r} 应为 ISO 8601 时间 (expected an ISO time)") from None
        query = query.where(col(CascadeReport.decided_at) >= after)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(col(CascadeReport.id)).limit(limit).offset(offset)).scalars().all()
    return list(rows), int(total)


def verdict(report: CascadeReport) -> dict[str, Any]:
    """What the lower level keeps of the upper level's decision on one of its records."""
    return {"code": report.origin_code, "version": report.origin_version, "state": report.state,
            "upstream_code": report.local_code, "findings": report.findings or [], "reason": report.reason,
            "decided_at": report.decided_at.isoformat() if report.decided_at else None}


def report_dict(report: CascadeReport) -> dict[str, Any]:
    return {"id": report.id, "origin": report.origin, "origin_level": report.origin_level,
            "origin_region": report.origin_region, "origin_code": report.origin_code,
            "origin_version": report.origin_version, "provider_code": report.provider_code, "name": report.name,
            "state": report.state, "state_label": states.LABELS.get(report.state, report.state),
            "local_code": report.local_code, "findings": report.findings or [], "reason": report.reason,
            "received_at": report.received_at.isoformat() if report.received_at else None,
            "decided_at": report.decided_at.isoformat() if report.decided_at else None,
            "decided_by": report.decided_by, "record": report.record}
