"""The import service: parsed candidates → the shared validation engine → the registry, in one transaction.

Without `atomic`, every valid record is stored and the rest reported; with `atomic`, nothing is stored
unless every record passes. A dry run does all the work (validation, code checks, departments) and rolls
the transaction back. Findings keep their origin: the dataset id, or the sheet/row/column of a cell.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from catalog.auth import Actor
from catalog.db import Database
from catalog.departments import create_department, list_departments
from catalog.errors import CatalogError
from catalog.findings import Finding
from catalog.validation.rules import finding
from catalog.interop.parsed import ParsedRecord
from catalog.interop.publishers import DepartmentDirectory
from catalog.registration import register_records
from catalog.standards import Standards, load_standards

BATCH = 500  # records per registry call; progress is reported after each batch
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ImportSummary:
    format: str
    read: int = 0
    stored: int = 0
    skipped: int = 0
    dry_run: bool = False
    atomic: bool = False
    rolled_back: bool = False
    codes: list[str] = field(default_factory=list)
    departments_created: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # per candidate: {"source", "status": stored | valid | skipped, "code"}
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return sum(1 for i in self.items if i["status"] in ("stored", "valid"))

    def by_rule(self) -> dict[str, int]:
        return dict(sorted(Counter(f.rule for f in self.findings).items(), key=lambda kv: (-kv[1], kv[0])))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format, "dry_run": self.dry_run, "atomic": self.atomic,
            "rolled_back": self.rolled_back, "read": self.read, "valid": self.valid, "stored": self.stored,
            "skipped": self.skipped, "codes": self.codes, "departments_created": self.departments_created,
            "findings_by_rule": self.by_rule(),
            "error_count": sum(1 for f in self.findings if f.severity == "error"),
            "warning_count": sum(1 for f in self.findings if f.severity == "warning"),
            "findings": [f.to_dict() for f in self.findings], "items": self.items,
        }


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a failed atomic import."""


def known_departments(*, db: Database, standards: Standards | None = None) -> dict[str, str]:
    """code → name of every department the standards or the database know."""
    standards = standards or load_standards(db.standards_dir)
    known = {code: d["name"] for code, d in standards.departments.items()}
    with db.session() as session:
        known.update({d.code: d.name for d in list_departments(session=session)})
    return known


def run_import(*, db: Database, actor: Actor, parsed: list[ParsedRecord], fmt: str,
               departments: DepartmentDirectory | None = None, dry_run: bool = False, atomic: bool = False,
               progress: Progress | None = None, standards: Standards | None = None) -> ImportSummary:
    """Validate every candidate with the shared engine and store the valid ones through the registry."""
    summary = ImportSummary(format=fmt, read=len(parsed), dry_run=dry_run, atomic=atomic)
    base = standards or load_standards(db.standards_dir)
    directory_known = departments.known if departments else {}
    created = dict(departments.created) if departments else {}
    standards = base.with_departments({**directory_known, **created})
    statuses: list[str] = ["skipped"] * len(parsed)
    codes: list[str | None] = [None] * len(parsed)
    findings: list[list[Finding]] = [list(p.findings) for p in parsed]
    try:
        with db.transaction() as session:
            made, failed_departments = _create_departments(session, actor, parsed, created)
            todo = []
            for i, p in enumerate(parsed):
                code = (p.record or {}).get("provider_code")
                if code in failed_departments:
                    findings[i].append(finding("import.department-not-created", "/provider_code",
                                               detail=failed_departments[code], source=p.source))
                elif not p.blocked:
                    todo.append(i)
            for start in range(0, len(todo), BATCH):
                chunk = todo[start:start + BATCH]
                outcomes = register_records(
                    session=session, actor=actor, records=[parsed[i].record for i in chunk], allow_code=True,
                    sources=[parsed[i].source for i in chunk], standards=standards)
                for i, outcome in zip(chunk, outcomes):
                    findings[i].extend(_located(f, parsed[i]) for f in outcome.findings)
                    if outcome.problem is not None and not outcome.findings:
                        findings[i].append(Finding(outcome.problem.code, "error", "", outcome.problem.message,
                                                   source=parsed[i].source))
                    if outcome.ok:
                        statuses[i], codes[i] = "valid", outcome.code
                if progress:
                    progress(min(start + BATCH, len(todo)), len(todo))
            all_valid = all(s == "valid" for s in statuses)
            if dry_run or (atomic and not all_valid):
                raise _Rollback
    except _Rollback:
        summary.rolled_back = True
    if not summary.rolled_back:
        statuses = ["stored" if s == "valid" else s for s in statuses]
        summary.departments_created = made
    for p, status, code, found in zip(parsed, statuses, codes, findings):
        summary.findings.extend(found)
        item: dict[str, Any] = {"source": p.source, "status": status}
        if code and status == "stored":
            item["code"] = code
            summary.codes.append(code)
        summary.items.append(item)
    summary.stored = statuses.count("stored")
    summary.skipped = summary.read - summary.stored - (statuses.count("valid"))
    return summary


def _create_departments(session: Any, actor: Actor, parsed: list[ParsedRecord],
                        created: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Create the departments this import needs: ({code: name} made, {code: why not} failed)."""
    needed = {(p.record or {}).get("provider_code") for p in parsed if not p.blocked}
    made, failed = {}, {}
    for code, name in created.items():
        if code not in needed:
            continue
        try:
            create_department(session=session, actor=actor, code=code, name=name)
            made[code] = name
        except CatalogError as exc:
            failed[code] = f"无法新建部门 {code} {name}：{exc.message} (department not created)"
    return made, failed


def _located(found: Finding, parsed: ParsedRecord) -> Finding:
    """The finding with the most precise source the parser knows (a cell for xlsx, else the record)."""
    source = parsed.locate(found.path) if found.path is not None else None
    return dataclasses.replace(found, source=source or found.source or parsed.source)
