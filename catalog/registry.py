"""The registration lifecycle: create, update (If-Match), submit, publish, reject, withdraw.

Every change runs inside the caller's write transaction (`Database.transaction()`) and writes, together:
the resource row (current state), a `resource_versions` row when the record changes, one hash-chained
audit entry and one `outbox` row (op "upsert") for the search index. Search is not called here: the
app registers an after-commit hook on the Database (see `catalog.db`) that applies the outbox.

States: draft → submitted → published → withdrawn; a coordinator rejects submitted → draft with a reason.
Records are edited in draft (or withdrawn, which returns them to draft). The code and provider_code of
a resource never change; neither does its classification (the code is built from it).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from catalog import audit_log, codes
from catalog.auth import Actor, authorize
from catalog.errors import CatalogError, Conflict, InvalidInput, InvalidRecord, NotFound
from catalog.findings import Finding, Report, pointer
from catalog.models import OutboxEvent, Resource, ResourceVersion, utcnow
from catalog.standards.model import normalise_name
from catalog.validation.rules import finding as rule_finding

STATES = ("draft", "submitted", "published", "withdrawn")
EDITABLE = frozenset({"draft", "withdrawn"})
# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({"draft"}), "submitted"),
    "publish": (frozenset({"submitted"}), "published"),
    "reject": (frozenset({"submitted"}), "draft"),
    "withdraw": (frozenset({"published"}), "withdrawn"),
}
IMMUTABLE_FIELDS = ("code", "provider_code", "classification")


def make_etag(code: str, version: int, state: str) -> str:
    return hashlib.sha256(f"{code}\n{version}\n{state}".encode()).hexdigest()[:20]


def validate(record: Any, *, source: str | None = None, standards: Any = None) -> Report:
    """The shared engine (catalog.validation); never a second validator."""
    from catalog.validation import validate_record

    return validate_record(record, source=source, standards=standards)


def _invalid(report: Report) -> InvalidRecord:
    n = len(report.errors)
    return InvalidRecord(f"资源记录有 {n} 处错误，未保存 (record has {n} error(s); nothing saved)",
                         findings=report.findings)


def _code_findings(session: Session, record: dict[str, Any], allow_code: bool) -> list[Finding]:
    """An input `code`: only seeding/import may give one, and it must be free (the engine checks its form)."""
    code = record.get("code")
    if code is None:
        return []
    if not allow_code:
        return [Finding("code.assigned", "error", "/code", "资源代码由 mulu 分配，新建时请勿填写 code",
                        suggestion="删除 code 字段")]
    if isinstance(code, str) and session.execute(select(Resource.id).where(Resource.code == code)).first():
        return [Finding("code.taken", "error", "/code", f"资源代码 {code} 已被占用 (code already in use)")]
    return []


@dataclass(slots=True)
class Outcome:
    """The result of registering one record of a batch."""
    index: int
    code: str | None = None
    findings: list[Finding] = field(default_factory=list)
    problem: CatalogError | None = None  # why it was not saved (invalid_record, forbidden...)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "ok": self.ok, "code": self.code,
                               "findings": [f.to_dict() for f in self.findings]}
        if self.problem is not None:
            out.update(error=self.problem.code, message=self.problem.message)
        return out


class ProviderNames:
    """Resource names per provider, normalised (no punctuation or spaces), loaded once per provider and
    batch: 信息资源名称 is unique within its provider across the whole catalogue, not only within a file."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_provider: dict[str, dict[str, str]] = {}

    def _names(self, provider_code: str) -> dict[str, str]:
        if provider_code not in self.by_provider:
            rows = self.session.execute(select(Resource.code, Resource.name)
                                        .where(Resource.provider_code == provider_code)).all()
            self.by_provider[provider_code] = {normalise_name(name): code for code, name in rows}
        return self.by_provider[provider_code]

    def findings(self, record: Any, *, own_code: str | None = None) -> list[Finding]:
        if not isinstance(record, dict):
            return []
        name, provider = record.get("name"), record.get("provider_code")
        if not (isinstance(name, str) and isinstance(provider, str)):
            return []
        holder = self._names(provider).get(normalise_name(name))
        if holder is None or holder == own_code:
            return []
        return [rule_finding("cross.duplicate-name", "/name", value=name, expected=holder)]

    def add(self, record: dict[str, Any], code: str) -> None:
        self._names(record["provider_code"])[normalise_name(record["name"])] = code


def register_records(*, session: Session, actor: Actor, records: list[Any], allow_code: bool = False,
                     state: str = "draft", sources: list[str | None] | None = None,
                     standards: Any = None) -> list[Outcome]:
    """Validate and insert a batch of new records; invalid or forbidden ones are reported and skipped."""
    from catalog.departments import registry_standards

    standards = registry_standards(session=session, standards=standards)  # once per batch
    outcomes: list[Outcome] = []
    accepted: list[tuple[Outcome, dict[str, Any], Report]] = []
    given: set[str] = set()
    names = ProviderNames(session)
    for i, record in enumerate(records):
        outcome = Outcome(index=i)
        outcomes.append(outcome)
        try:
            report = validate(record, source=sources[i] if sources else None, standards=standards)
            if isinstance(record, dict):
                report.extend(_code_findings(session, record, allow_code))
                if record.get("code") in given:
                    report.extend([Finding("code.taken", "error", "/code", "同一批次中资源代码重复")])
                report.extend(names.findings(record))
            outcome.findings = report.findings
            if not report.valid:
                raise _invalid(report)
            authorize(actor, "create", provider_code=record.get("provider_code"))
        except CatalogError as exc:
            outcome.problem = exc
            continue
        if record.get("code"):
            given.add(record["code"])
        names.add(record, record.get("code") or f"#{i}")  # a later record of this batch may not reuse it
        accepted.append((outcome, record, report))
    if accepted:
        _insert(session=session, actor=actor, batch=accepted, state=state)
    return outcomes


def _insert(*, session: Session, actor: Actor, batch: list[tuple[Outcome, dict[str, Any], Report]],
            state: str) -> None:
    by_class: dict[str, list[Outcome]] = {}
    for outcome, record, _ in batch:
        if record.get("code"):
            codes.claim_code(session=session, code=record["code"])
            outcome.code = record["code"]
        else:
            by_class.setdefault(record["classification"], []).append(outcome)
    for classification, waiting in by_class.items():
        for outcome, code in zip(waiting, codes.reserve_codes(
                session=session, classification=classification, count=len(waiting))):
            outcome.code = code
    now = utcnow()
    resources, versions, outbox, changes = [], [], [], []
    for outcome, record, report in batch:
        code = outcome.code
        assert code is not None
        stored = {"code": code, **{k: v for k, v in record.items() if k != "code"}}
        resources.append({
            "code": code, "name": stored["name"], "classification": stored["classification"],
            "provider_code": stored["provider_code"], "share_type": (stored.get("share") or {}).get("type"),
            "state": state, "version": 1, "etag": make_etag(code, 1, state), "record": stored,
            "warnings": [f.to_dict() for f in report.warnings], "reject_reason": None,
            "created_by": actor.name, "updated_by": actor.name, "created_at": now, "updated_at": now,
        })
        versions.append({"resource_code": code, "version": 1, "state": state, "record": stored,
                         "author": actor.name, "created_at": now})
        outbox.append({"resource_code": code, "op": "upsert", "created_at": now, "applied_at": None})
        changes.append(audit_log.Change("create", code, None, 1, {"state": state} if state != "draft" else None))
    session.execute(insert(Resource), resources)
    session.execute(insert(ResourceVersion), versions)
    session.execute(insert(OutboxEvent), outbox)
    audit_log.append(session=session, actor=actor, changes=changes)


def create_resource(*, session: Session, actor: Actor, record: Any, allow_code: bool = False) -> Resource:
    """Register one new record as a draft; InvalidRecord (422) with the findings when it has errors."""
    [outcome] = register_records(session=session, actor=actor, records=[record], allow_code=allow_code)
    if outcome.problem is not None:
        raise outcome.problem
    return _load(session, outcome.code or "", lock=False)


def _load(session: Session, code: str, *, lock: bool) -> Resource:
    query = select(Resource).where(Resource.code == code)
    if lock:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound(f"资源 {code} 不存在 (resource not found)")
    return row


def get_resource(*, session: Session, actor: Actor, code: str) -> Resource:
    """The resource `code` as `actor` may see it (an invisible draft looks like a missing resource)."""
    row = _load(session, code, lock=False)
    authorize(actor, "read", provider_code=row.provider_code, state=row.state, code=code)
    return row


def check_if_match(row: Resource, if_match: str | None, *, required: bool) -> None:
    """428 when a required If-Match is missing; 412 when it names another version."""
    from catalog.errors import PreconditionFailed, PreconditionRequired

    if if_match is None or not if_match.strip():
        if required:
            raise PreconditionRequired(
                "修改资源需要 If-Match 请求头，值为读取时得到的 ETag (If-Match required)", etag=row.etag)
        return
    tags = {t.strip().removeprefix("W/").strip('"') for t in if_match.split(",")}
    if row.etag not in tags:
        raise PreconditionFailed(
            f"资源 {row.code} 已被修改（当前版本 {row.version}，状态 {row.state}），请重新读取后再提交 "
            "(stale If-Match)", etag=row.etag, version=row.version)


def _touch(session: Session, row: Resource, actor: Actor) -> None:
    row.updated_by, row.updated_at = actor.name, utcnow()
    row.etag = make_etag(row.code, row.version, row.state)
    session.add(OutboxEvent(resource_code=row.code, op="upsert", created_at=row.updated_at))


def update_resource(*, session: Session, actor: Actor, code: str, record: Any,
                    if_match: str | None) -> Resource:
    """Save a new version of `code`'s record (full replacement); needs the current ETag."""
    row = _load(session, code, lock=True)
    authorize(actor, "read", provider_code=row.provider_code, state=row.state, code=code)
    authorize(actor, "update", provider_code=row.provider_code, code=code)
    check_if_match(row, if_match, required=True)
    if row.state not in EDITABLE:
        raise Conflict(f"资源 {code} 处于 {row.state} 状态，不能修改；草稿或已撤回的资源才能修改 "
                       "(only draft or withdrawn resources can be edited)", state=row.state)
    if not isinstance(record, dict):
        raise InvalidInput("资源记录应为 JSON 对象 (record must be an object)")
    fixed = [Finding("field.immutable", "error", pointer(k),
                     f"{k} 不可修改：应为 {getattr(row, k)!r}，收到 {record[k]!r}")
             for k in IMMUTABLE_FIELDS if k in record and record[k] != getattr(row, k)]
    stored = {"code": row.code, **{k: v for k, v in record.items() if k != "code"}}
    stored.setdefault("provider_code", row.provider_code)
    stored.setdefault("classification", row.classification)
    from catalog.departments import registry_standards

    report = validate(stored, standards=registry_standards(session=session))
    report.extend(fixed)
    report.extend(ProviderNames(session).findings(stored, own_code=row.code))
    if not report.valid:
        raise _invalid(report)
    before = row.version
    row.version, row.state, row.record = before + 1, "draft", stored
    row.name, row.share_type = stored["name"], (stored.get("share") or {}).get("type")
    row.warnings = [f.to_dict() for f in report.warnings]
    _touch(session, row, actor)
    session.add(ResourceVersion(resource_code=code, version=row.version, state=row.state, record=stored,
                                author=actor.name, created_at=row.updated_at))
    audit_log.append(session=session, actor=actor,
                     changes=[audit_log.Change("update", code, before, row.version)])
    _review_grants(session, actor, row)  # sharing: flag live grants when withdrawn / share type tightens
    session.flush()
    return row


def change_state(*, session: Session, actor: Actor, code: str, action: str, reason: str | None = None,
                 if_match: str | None = None) -> Resource:
    """submit / publish / reject (needs a reason) / withdraw; If-Match is checked when given."""
    if action not in TRANSITIONS:
        raise InvalidInput(f"未知操作 {action!r} (unknown action)")
    row = _load(session, code, lock=True)
    authorize(actor, "read", provider_code=row.provider_code, state=row.state, code=code)
    authorize(actor, action, provider_code=row.provider_code, code=code)  # type: ignore[arg-type]
    check_if_match(row, if_match, required=False)
    sources, target = TRANSITIONS[action]
    if row.state not in sources:
        raise Conflict(f"资源 {code} 处于 {row.state} 状态，不能执行 {action}（需处于 {'/'.join(sorted(sources))}）"
                       " (wrong state)", state=row.state)
    if action == "reject" and not (reason and reason.strip()):
        raise InvalidInput("退回需要填写理由 reason (a reason is required)",
                           findings=[Finding("reason.required", "error", "/reason", "请填写退回理由")])
    before_state = row.state
    row.state = target
    row.reject_reason = reason.strip() if action == "reject" and reason else None
    _touch(session, row, actor)
    detail: dict[str, Any] = {"from": before_state, "to": target}
    if reason:
        detail["reason"] = reason.strip()
    audit_log.append(session=session, actor=actor,
                     changes=[audit_log.Change(action, code, row.version, row.version, detail)])
    _review_grants(session, actor, row)  # sharing: flag live grants when withdrawn / share type tightens
    if action == "publish":
        _fulfil_demands(session, actor, row)  # demands: a covering resource fulfils its provider's duties
    _notify(session, row, action)
    session.flush()
    return row


def _fulfil_demands(session: Session, actor: Actor, row: Resource) -> None:
    """Hook into catalog.demands: publishing a resource that covers a demand fulfils the provider's duty."""
    from catalog.demands.fulfilment import on_publish

    on_publish(session=session, actor=actor, resource=row)


def _notify(session: Session, row: Resource, action: str) -> None:
    """Hook into catalog.notify: the provider hears of its submission's fate, grant holders of changes."""
    from catalog.notify.sharing_events import on_resource

    on_resource(session=session, resource=row, action=action)


def _review_grants(session: Session, actor: Actor, row: Resource) -> None:
    """Hook into catalog.sharing: live grants of a withdrawn / tightened resource are flagged for review."""
    from catalog.sharing.grants import review_live_grants

    review_live_grants(session=session, actor=actor, resource=row)
