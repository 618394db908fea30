"""The one registration pipeline for every door: authorize → validate → write.

    outcomes = check_records(session=s, actor=actor, records=batch, standards=files)     # no write
    outcomes = register_records(session=s, actor=actor, records=batch, standards=files)  # + the write

Every door sends new records here: the API (single and bulk), `POST /validate` (without the write), every
import format, the web forms and `mulu seed`. For each record, in this order:

1. **authorize**: may `actor` create resources of the record's provider? Asked before anything is read
   from the database, so a refused caller learns nothing about that department's records.
2. **validate**: every layer of the one engine (`catalog.validation`) against the standards whose
   department registry includes the departments in the database, then the cross-record rules against the
   live catalogue (`catalog.live_checks`: code free, name unique in its provider, `related` codes exist).
3. **write** (`register_records` only): the resource rows, version 1, one audit entry and the outbox rows
   for the search index, all in the caller's transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log, codes
from catalog.auth import Actor, allowed, authorize
from catalog.departments import registry_standards
from catalog.errors import CatalogError, InvalidRecord
from catalog.findings import Finding, Report
from catalog.live_checks import LiveCatalogue
from catalog.models import OutboxEvent, Resource, ResourceVersion, make_etag, utcnow
from catalog.standards import Standards
from catalog.standards.model import normalise_name
from catalog.validation.rules import finding


PUBLIC = Actor(name="public", role="developer")  # who checks a record without a token: sees published ones


def validate(record: Any, *, source: str | None = None, standards: Any = None) -> Report:
    """The shared engine (catalog.validation) on one record, without the cross-record rules."""
    from catalog.validation import validate_record

    return validate_record(record, source=source, standards=standards)


def invalid(report: Report) -> InvalidRecord:
    """The 422 of a record with errors, carrying all its findings."""
    n = len(report.errors)
    return InvalidRecord(f"资源记录有 {n} 处错误，未保存 (record has {n} error(s); nothing saved)",
                         findings=report.findings)


@dataclass(slots=True)
class Outcome:
    """The result of registering one record of a batch."""
    index: int
    code: str | None = None
    findings: list[Finding] = field(default_factory=list)
    problem: CatalogError | None = None  # why it was not saved (invalid_record, forbidden...)
    record: dict[str, Any] | None = field(default=None, repr=False)  # the accepted record
    warnings: list[Finding] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "ok": self.ok, "code": self.code,
                               "findings": [f.to_dict() for f in self.findings]}
        if self.problem is not None:
            out.update(error=self.problem.code, message=self.problem.message)
        return out

    def report(self) -> Report:
        """The findings as a validation report (what `POST /validate` answers)."""
        return Report(findings=list(self.findings))


def authorize_create(actor: Actor, record: Any) -> None:
    """Step 1: may `actor` register this record? A record without a provider code is judged by the role
    alone (validation then reports the missing code)."""
    provider = record.get("provider_code") if isinstance(record, dict) else None
    authorize(actor, "create", provider_code=provider if isinstance(provider, str) else actor.department_code)


def check_records(*, session: Session, actor: Actor, records: list[Any], allow_code: bool = False,
                  sources: list[str | None] | None = None, standards: Standards | None = None,
                  check_permission: bool = True) -> list[Outcome]:
    """Steps 1 and 2 for a batch: an Outcome per record, accepted (ok) or refused with its problem.

    `standards`: the catalogue's standards files (default: the shipped ones); the departments in the
    database are added here. `check_permission=False` only for a public dry run (`POST /validate` without
    a token): the cross-record rules then count only what `actor` may read."""
    standards = registry_standards(session=session, standards=standards)  # once per batch
    live = LiveCatalogue(session=session, actor=actor, batch=records)
    outcomes: list[Outcome] = []
    for i, record in enumerate(records):
        outcome = Outcome(index=i)
        outcomes.append(outcome)
        source = sources[i] if sources else None
        try:
            if check_permission:
                authorize_create(actor, record)
            report = validate(record, source=source, standards=standards)
            report.extend(live.findings(record, allow_code=allow_code))
            outcome.findings = report.findings
            if not report.valid:
                raise invalid(report)
        except CatalogError as exc:
            outcome.problem = exc
            continue
        outcome.record, outcome.warnings = record, report.warnings
        live.add(record, record.get("code"), label=source or f"第 {i + 1} 条")  # a later record may not reuse it
    return outcomes


def dry_run(*, session: Session, actor: Actor | None, record: Any, standards: Standards | None = None) -> Report:
    """`POST /validate`: the pipeline for one new record without the write. An actor who may register
    records has its permission checked first (Forbidden is raised, no findings are given); anyone else
    (no token, or a read-only role) may check a record, and the cross-record rules then count only what
    that reader may see (published resources, for a caller without a token)."""
    registers = actor is not None and allowed(actor, "create", provider_code=actor.department_code)
    [outcome] = check_records(session=session, actor=actor or PUBLIC, records=[record], standards=standards,
                              check_permission=registers)
    if outcome.problem is not None and not isinstance(outcome.problem, InvalidRecord):
        raise outcome.problem
    return outcome.report()


def register_records(*, session: Session, actor: Actor, records: list[Any], allow_code: bool = False,
                     state: str = "draft", sources: list[str | None] | None = None,
                     standards: Standards | None = None) -> list[Outcome]:
    """The whole pipeline for a batch: the accepted records are written, the others reported and skipped."""
    outcomes = check_records(session=session, actor=actor, records=records, allow_code=allow_code,
                             sources=sources, standards=standards)
    accepted = [o for o in outcomes if o.ok]
    if accepted:
        write_records(session=session, actor=actor, accepted=accepted, state=state)
    return outcomes


def create_resource(*, session: Session, actor: Actor, record: Any, allow_code: bool = False,
                    standards: Standards | None = None) -> Resource:
    """Register one new record as a draft; InvalidRecord (422) with the findings when it has errors."""
    from catalog.lifecycle import load_row

    [outcome] = register_records(session=session, actor=actor, records=[record], allow_code=allow_code,
                                 standards=standards)
    if outcome.problem is not None:
        raise outcome.problem
    return load_row(session, outcome.code or "", lock=False)


def write_records(*, session: Session, actor: Actor, accepted: list[Outcome], state: str) -> None:
    """Step 3: codes, resource rows, version 1, one audit entry and the outbox rows, in the caller's transaction."""
    by_class: dict[str, list[Outcome]] = {}
    for outcome in accepted:
        record = outcome.record or {}
        if record.get("code"):
            codes.claim_code(session=session, code=record["code"])
            outcome.code = record["code"]
        else:
            by_class.setdefault(record["classification"], []).append(outcome)
    codes.ensure_sequences(session=session, classifications=set(by_class))
    for classification, waiting in sorted(by_class.items()):  # in one order: parallel batches never deadlock
        for outcome, reserved in zip(waiting, codes.reserve_codes(
                session=session, classification=classification, count=len(waiting), ensured=True)):
            outcome.code = reserved
    now = utcnow()
    resources, versions, outbox, changes = [], [], [], []
    for outcome in accepted:
        code, record = outcome.code, outcome.record or {}
        assert code is not None
        stored = {"code": code, **{k: v for k, v in record.items() if k != "code"}}
        resources.append({
            "code": code, "name": stored["name"], "name_key": normalise_name(stored["name"]),
            "classification": stored["classification"],
            "provider_code": stored["provider_code"], "share_type": (stored.get("share") or {}).get("type"),
            "state": state, "version": 1, "etag": make_etag(code, 1, state), "record": stored,
            "warnings": [f.to_dict() for f in outcome.warnings], "reject_reason": None,
            "created_by": actor.name, "updated_by": actor.name, "created_at": now, "updated_at": now,
        })
        versions.append({"resource_code": code, "version": 1, "state": state, "record": stored,
                         "author": actor.name, "created_at": now})
        outbox.append({"resource_code": code, "op": "upsert", "created_at": now, "applied_at": None})
        changes.append(audit_log.Change("create", code, None, 1, {"state": state} if state != "draft" else None))
    kept = _insert_resources(session=session, actor=actor, accepted=accepted, rows=resources)
    if not kept:
        return
    session.execute(insert(ResourceVersion), [versions[i] for i in kept])
    session.execute(insert(OutboxEvent), [outbox[i] for i in kept])
    audit_log.append(session=session, actor=actor, changes=[changes[i] for i in kept])


def _insert_resources(*, session: Session, actor: Actor, accepted: list[Outcome],
                      rows: list[dict[str, Any]]) -> list[int]:
    """Insert the resource rows; the indexes of the rows written.

    The checks ran before a parallel transaction committed the same name (or given code): the unique
    index refuses the insert, the savepoint is rolled back, the records that lost the race get the same
    finding the check gives (`cross.duplicate-name` / `code.taken`, a 422) and the others are written."""
    kept = list(range(len(rows)))
    while kept:
        try:
            with session.begin_nested():
                session.execute(insert(Resource), [rows[i] for i in kept])
            return kept
        except IntegrityError:
            lost = {i: found for i in kept if (found := race_findings(session, actor, rows[i]))}
            if not lost:
                raise
            for i, found in lost.items():
                outcome = accepted[i]
                outcome.findings = [*outcome.findings, *found]
                outcome.problem, outcome.code = invalid(Report(findings=outcome.findings)), None
            kept = [i for i in kept if i not in lost]
    return kept


def race_findings(session: Session, actor: Actor, row: dict[str, Any], *, new: bool = True) -> list[Finding]:
    """What a committed parallel write now holds of `row` (new, or the edit of `row["code"]`): its
    normalised name in the provider, its code."""
    out = []
    holder = session.execute(select(col(Resource.code), col(Resource.state)).where(
        col(Resource.provider_code) == row["provider_code"], col(Resource.name_key) == normalise_name(row["name"]))).first()
    if holder is not None and holder.code != row["code"]:
        seen = allowed(actor, "read", provider_code=row["provider_code"], state=holder.state)
        out.append(finding("cross.duplicate-name", "/name", value=row["name"],
                           expected=holder.code if seen else "另一条记录 (another record)"))
    if new and session.execute(select(col(Resource.id)).where(col(Resource.code) == row["code"])).first():
        out.append(finding("code.taken", "/code", value=row["code"], detail=""))
    return out
