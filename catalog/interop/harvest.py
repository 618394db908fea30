"""Lossless import (harvest): every record read ends as created, updated, staged or a duplicate.

    read == created + updated + staged + duplicates

- created    a new resource (draft), linked to its source identifier (`import_links`);
- updated    the same source identifier again with a changed record: a new version of the linked
             resource (history kept; a published record is republished through the normal lifecycle);
- staged     the record has errors: it is kept as a 待整改 record (`staged_records`) with its findings,
             for its department's stewards to fix and submit (catalog.interop.staged);
- duplicate  of a named record: the same identifier earlier in the same input, an unchanged re-import
             (duplicate of the resource it already is), or a name its provider already uses.

Records of earlier runs of the same source that are gone from this one are flagged (`missing_since`)
or withdrawn (`missing="withdraw"`); nothing is deleted. Each run is kept (`import_runs`).
Storage goes through the registry's lifecycle functions (register_records, update_resource,
change_state), never around them.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor
from catalog.db import Database
from catalog.departments import registry_standards, upsert_departments
from catalog.divisions import ensure_division
from catalog.errors import CatalogError
from catalog.findings import Finding
from catalog.interop.parsed import ParsedRecord
from catalog.models import ImportLink, ImportRun, Resource, StagedRecord, core_table, utcnow
from catalog.registry import change_state, register_records, update_resource, validate
from catalog.standards.model import normalise_name

BATCH = 500
Missing = Literal["flag", "withdraw"]
Progress = Callable[[int, int], None]
REPUBLISH_REASON = "来源记录已更新，重新导入 (source record changed)"


@dataclass(slots=True)
class Candidate:
    """One record read from the source: its source identifier and what the parser made of it."""
    key: str
    parsed: ParsedRecord


@dataclass(slots=True)
class HarvestReport:
    source_system: str
    format: str
    run_id: int | None = None
    read: int = 0
    created: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    staged: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    departments_created: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"read": self.read, "created": len(self.created), "updated": len(self.updated),
                "staged": len(self.staged), "duplicates": len(self.duplicates), "missing": len(self.missing),
                "departments_created": len(self.departments_created)}

    @property
    def balanced(self) -> bool:
        c = self.counts()
        return c["read"] == c["created"] + c["updated"] + c["staged"] + c["duplicates"]

    def to_dict(self) -> dict[str, Any]:
        return {"source_system": self.source_system, "format": self.format, "run_id": self.run_id,
                **self.counts(), "balanced": self.balanced,
                "created_records": self.created, "updated_records": self.updated,
                "staged_records": self.staged, "duplicate_records": self.duplicates,
                "missing_records": self.missing, "departments": self.departments_created,
                "warnings": self.warnings}


def digest(record: Any) -> str:
    return hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def harvest(*, db: Database, actor: Actor, source_system: str, fmt: str, candidates: list[Candidate],
            departments: list[dict[str, Any]] | None = None, divisions: list[dict[str, Any]] | None = None,
            missing: Missing = "flag", progress: Progress | None = None) -> HarvestReport:
    """Import `candidates` from `source_system` losslessly (see the module docstring), in one transaction."""
    report = HarvestReport(source_system=source_system, format=fmt, read=len(candidates))
    started = utcnow()
    with db.transaction() as session:
        for division in divisions or []:
            ensure_division(session=session, code=division["code"], name=division.get("name"))
        if departments:
            outcomes = upsert_departments(session=session, actor=actor, rows=departments)
            report.departments_created = [{"code": o.code, "name": d["name"], "parent_code": d.get("parent_code")}
                                          for o, d in zip(outcomes, departments) if o.status == "created"]
        run = _Run(session=session, actor=actor, system=source_system, report=report)
        run.classify(candidates)
        run.create(progress)
        run.stage()
        run.flag_missing({c.key for c in candidates}, missing)
        run.name_duplicates()
        row = ImportRun(source_system=source_system, format=fmt, actor=actor.name, started_at=started,
                        finished_at=utcnow(), counts=report.counts(),
                        report={k: v for k, v in report.to_dict().items() if k != "created_records"})
        session.add(row)
        session.flush()
        report.run_id = row.id
        for link in run.touched_links:
            link.last_run_id = row.id
        if run.new_links:  # one multi-row INSERT (an ORM object each cost more than the row)
            session.execute(insert(core_table(ImportLink)), [{**link, "last_run_id": row.id} for link in run.new_links])
        for staged in run.staged_rows:
            staged.run_id = row.id
    return report


class _Run:
    """The work of one harvest inside its transaction."""

    def __init__(self, *, session: Session, actor: Actor, system: str, report: HarvestReport) -> None:
        self.session, self.actor, self.system, self.report = session, actor, system, report
        self.standards = registry_standards(session=session)
        self.links = {link.source_key: link for link in session.execute(
            select(ImportLink).where(col(ImportLink.source_system) == system)).scalars()}
        self.staged_by_key = {s.source_key: s for s in session.execute(
            select(StagedRecord).where(col(StagedRecord.source_system) == system)).scalars()}
        self.names: dict[str, dict[str, str]] = {}
        self.to_create: list[tuple[Candidate, str]] = []
        self.to_stage: list[tuple[Candidate, str, list[Finding], str | None]] = []
        self.touched_links: list[ImportLink] = []
        self.new_links: list[dict[str, Any]] = []  # the links of created records, inserted with the run's id
        self.staged_rows: list[StagedRecord] = []

    def _holder(self, record: dict[str, Any]) -> str | None:
        provider, name = record.get("provider_code"), record.get("name")
        if not (isinstance(provider, str) and isinstance(name, str)):
            return None
        if provider not in self.names:
            rows = self.session.execute(select(col(Resource.code), col(Resource.name))
                                        .where(col(Resource.provider_code) == provider)).all()
            self.names[provider] = {normalise_name(n): c for c, n in rows}
        return self.names[provider].get(normalise_name(name))

    def _claim_name(self, record: dict[str, Any], label: str) -> None:
        provider, name = record.get("provider_code"), record.get("name")
        if isinstance(provider, str) and isinstance(name, str):
            self.names.setdefault(provider, {})[normalise_name(name)] = label

    def classify(self, candidates: list[Candidate]) -> None:
        """Decide each candidate's fate; creations and stagings are collected, updates done at once."""
        first: dict[str, str] = {}
        for c in candidates:
            p = c.parsed
            if c.key in first:
                self.report.duplicates.append({"source": p.source, "key": c.key, "duplicate_of": first[c.key],
                                               "reason": "same-identifier"})
                continue
            first[c.key] = p.source
            record = p.record if isinstance(p.record, dict) else {}
            found = [f for f in p.findings if f.rule != "dcat.identifier-duplicate"]
            dig = digest(record)
            link = self.links.get(c.key)
            if link is not None:
                first[c.key] = link.resource_code
                self.touched_links.append(link)
                link.missing_since = None
                if link.digest == dig:
                    self.report.duplicates.append({"source": p.source, "key": c.key,
                                                   "duplicate_of": link.resource_code, "reason": "unchanged"})
                elif any(f.severity == "error" for f in found):
                    self.to_stage.append((c, dig, self._validated(record, found), link.resource_code))
                else:
                    self._update(c, link, record, dig, found)
                continue
            if p.record is None or any(f.severity == "error" for f in found):
                self.to_stage.append((c, dig, self._validated(record, found), None))
                continue
            holder = self._holder(record)
            if holder is not None:
                self.report.duplicates.append({"source": p.source, "key": c.key, "duplicate_of": holder,
                                               "reason": "same-name", "name": record.get("name")})
                continue
            self._claim_name(record, p.source)
            self.to_create.append((c, dig))

    def _validated(self, record: dict[str, Any], found: list[Finding]) -> list[Finding]:
        """The parse findings plus the validator's, so that the steward sees every problem at once."""
        if not record:
            return found
        seen = {(f.rule, f.path) for f in found}
        extra = [f for f in validate(record, standards=self.standards).findings
                 if (f.rule, f.path) not in seen and not any(f.path == g.path for g in found if g.severity == "error")]
        return [*found, *extra]

    def _update(self, c: Candidate, link: ImportLink, record: dict[str, Any], dig: str,
                found: list[Finding]) -> None:
        """A new version of the linked resource, back in the state it had (through the lifecycle)."""
        row = self.session.execute(select(Resource).where(col(Resource.code) == link.resource_code)).scalar_one()
        before = row.state
        nested = self.session.begin_nested()
        try:
            if before == "published":
                change_state(session=self.session, actor=self.actor, code=row.code, action="withdraw")
            elif before == "submitted":
                change_state(session=self.session, actor=self.actor, code=row.code, action="reject",
                             reason=REPUBLISH_REASON)
            row = update_resource(session=self.session, actor=self.actor, code=row.code, record=record,
                                  if_match=row.etag)
            for action in {"submitted": ["submit"], "published": ["submit", "publish"]}.get(before, []):
                change_state(session=self.session, actor=self.actor, code=row.code, action=action)
        except CatalogError as exc:
            nested.rollback()
            self.to_stage.append((c, dig, [*found, *(exc.findings or [_problem(exc)])], link.resource_code))
            return
        nested.commit()
        link.digest = dig
        self.report.updated.append({"source": c.parsed.source, "key": c.key, "code": row.code,
                                    "version": row.version, "state": row.state})
        self._resolve_staged(c.key, row.code)
        self._warn(c.parsed, found)

    def create(self, progress: Progress | None) -> None:
        for start in range(0, len(self.to_create), BATCH):
            chunk = self.to_create[start:start + BATCH]
            outcomes = register_records(session=self.session, actor=self.actor,
                                        records=[c.parsed.record for c, _ in chunk],
                                        sources=[c.parsed.source for c, _ in chunk], standards=self.standards)
            for (c, dig), outcome in zip(chunk, outcomes):
                parse_findings = [f for f in c.parsed.findings if f.rule != "dcat.identifier-duplicate"]
                if outcome.problem is not None:
                    found = outcome.findings if outcome.findings else [_problem(outcome.problem)]
                    self.to_stage.append((c, dig, [*parse_findings, *found], None))
                    continue
                assert outcome.code is not None
                self.new_links.append({"source_system": self.system, "source_key": c.key,
                                       "resource_code": outcome.code, "digest": dig, "missing_since": None})
                self.report.created.append({"source": c.parsed.source, "key": c.key, "code": outcome.code})
                self._resolve_staged(c.key, outcome.code)
                self._warn(c.parsed, [*parse_findings, *outcome.findings])
            if progress:
                progress(min(start + BATCH, len(self.to_create)), len(self.to_create))

    def _warn(self, parsed: ParsedRecord, found: list[Finding]) -> None:
        self.report.warnings.extend({**f.to_dict(), "source": parsed.source} for f in found if f.severity == "warning")

    def _resolve_staged(self, key: str, code: str) -> None:
        staged = self.staged_by_key.get(key)
        if staged is not None and staged.state == "staged":
            staged.state, staged.resource_code, staged.updated_at = "submitted", code, utcnow()

    def stage(self) -> None:
        now = utcnow()
        for c, dig, found, code in self.to_stage:
            record = c.parsed.record if isinstance(c.parsed.record, dict) else {}
            findings = [{**f.to_dict(), "source": f.source or c.parsed.source} for f in found]
            row = self.staged_by_key.get(c.key)
            if row is None:
                row = StagedRecord(source_system=self.system, source_key=c.key, created_at=now, record={},
                                   findings=[], digest=dig, state="staged")
                self.session.add(row)
                self.staged_by_key[c.key] = row
            provider = record.get("provider_code")
            row.source, row.record, row.findings, row.digest = c.parsed.source[:500], record, findings, dig
            row.provider_code = provider if isinstance(provider, str) and len(provider) <= 9 else None
            row.name = str(record.get("name"))[:500] if record.get("name") is not None else None
            row.state, row.resource_code, row.updated_at = "staged", code, now
            self.staged_rows.append(row)
            self.report.staged.append({"source": c.parsed.source, "key": c.key, "name": row.name,
                                       "provider_code": row.provider_code, "resource_code": code,
                                       "findings": findings})
        self.session.flush()
        for entry, row in zip(self.report.staged, self.staged_rows):
            entry["staged_id"] = row.id

    def name_duplicates(self) -> None:
        """A duplicate of a record earlier in this input names what that record became."""
        became = {e["source"]: e["code"] for e in self.report.created}
        became.update({e["source"]: f"staged:{e['staged_id']}" for e in self.report.staged})
        for entry in self.report.duplicates:
            entry["duplicate_of"] = became.get(entry["duplicate_of"], entry["duplicate_of"])

    def flag_missing(self, keys: set[str], missing: Missing) -> None:
        now = utcnow()
        for key, link in self.links.items():
            if key in keys:
                continue
            row = self.session.execute(select(Resource).where(col(Resource.code) == link.resource_code)).scalar_one_or_none()
            action = "flagged"
            if missing == "withdraw" and row is not None and row.state == "published":
                change_state(session=self.session, actor=self.actor, code=row.code, action="withdraw")
                action = "withdrawn"
            if link.missing_since is None:
                link.missing_since = now
            self.report.missing.append({"key": key, "code": link.resource_code, "action": action,
                                        "missing_since": link.missing_since.isoformat()})


def _problem(exc: CatalogError) -> Finding:
    return Finding(exc.code, "error", "", exc.message)
