"""`audit`: many records at once — each record's report plus the cross-record rules, summed per provider."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from catalog.findings import Finding, Report, pointer
from catalog.standards import Standards, load_standards
from catalog.standards.model import normalise_name
from catalog.validation.engine import validate_record
from catalog.validation.rules import finding


@dataclass
class AuditReport:
    reports: dict[str, Report] = field(default_factory=dict)  # source -> report (cross findings included)
    cross: list[Finding] = field(default_factory=list)
    providers: dict[str, str] = field(default_factory=dict)  # source -> provider_code
    provider_names: dict[str, str] = field(default_factory=dict)  # provider_code -> name

    @property
    def valid(self) -> bool:
        return all(r.valid for r in self.reports.values())

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.reports.values() for f in r.findings]

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per provider code: name, records, invalid records, errors, warnings."""
        return self._summed()[1]

    def _summed(self) -> tuple[list[tuple[Report, int, int]], dict[str, dict[str, Any]]]:
        """Each report with its error and warning counts (counted once), and the per-provider summary."""
        counted: list[tuple[Report, int, int]] = []
        out: dict[str, dict[str, Any]] = {}
        for source, report in self.reports.items():
            errors, warnings = report.counts()
            counted.append((report, errors, warnings))
            code = self.providers.get(source, "?")
            row = out.get(code)
            if row is None:
                row = out[code] = {"provider_code": code, "provider": self.provider_names.get(code, ""),
                                   "records": 0, "invalid": 0, "errors": 0, "warnings": 0}
            row["records"] += 1
            row["invalid"] += errors > 0
            row["errors"] += errors
            row["warnings"] += warnings
        return counted, dict(sorted(out.items()))

    def to_dict(self) -> dict[str, Any]:
        counted, summary = self._summed()
        errors = sum(e for _, e, _ in counted)
        return {
            "valid": errors == 0,
            "records": len(counted),
            "invalid_records": sum(e > 0 for _, e, _ in counted),
            "error_count": errors,
            "warning_count": sum(w for _, _, w in counted),
            "summary": list(summary.values()),
            "reports": [r.to_dict() for r, _, _ in counted],
        }


def _cross(records: list[tuple[str, dict[str, Any]]], known_codes: Iterable[str]) -> list[Finding]:
    out: list[Finding] = []
    names: dict[tuple[Any, str], str] = {}
    codes: dict[str, str] = {}
    for source, record in records:
        name, code = record.get("name"), record.get("code")
        if isinstance(name, str):
            key = (str(record.get("provider_code")), normalise_name(name))
            if key in names:
                out.append(finding("cross.duplicate-name", "/name", source=source, value=name,
                                   expected=names[key]))
            else:
                names[key] = source
        if isinstance(code, str):
            if code in codes:
                out.append(finding("cross.duplicate-code", "/code", source=source, value=code, expected=codes[code]))
            else:
                codes[code] = source
    existing = set(codes) | set(known_codes)
    for source, record in records:
        related = record.get("related")
        if isinstance(related, list):
            for index, code in enumerate(related):
                if isinstance(code, str) and code not in existing:
                    out.append(finding("cross.dangling-related", pointer("related", index), source=source,
                                       value=code))
    return out


def audit(
    records: list[tuple[str, dict[str, Any]]],
    *,
    standards: Standards | None = None,
    known_codes: Iterable[str] | None = None,
) -> AuditReport:
    """Validate every (source, record) and apply the cross-record rules across the set."""
    standards = standards or load_standards()
    checked = [(source, record, validate_record(record, standards=standards, source=source))
               for source, record in records]
    return assemble(checked, standards=standards, known_codes=known_codes)


# What the cross-record rules and the per-provider summary read of a record: all a worker process sends back.
CROSS_FIELDS = ("name", "code", "provider_code", "provider", "related")


def assemble(
    checked: list[tuple[str, Any, Report]],
    *,
    standards: Standards,
    known_codes: Iterable[str] | None = None,
) -> AuditReport:
    """The audit of (source, record, its own report) triples, in order: the cross-record rules added to the
    reports, providers summed. `record` needs only CROSS_FIELDS."""
    result = AuditReport()
    by_source: dict[str, Report] = {}
    for source, record, report in checked:
        by_source[source] = report
        code = record.get("provider_code") if isinstance(record, dict) else None
        result.providers[source] = code if isinstance(code, str) else "?"
    result.cross = _cross([(s, r) for s, r, _ in checked if isinstance(r, dict)], known_codes or ())
    for item in result.cross:
        by_source[item.source or ""].findings.append(item)
    result.reports = by_source
    for source, record, _ in checked:
        code = result.providers[source]
        registered = standards.departments.get(code)
        name = registered["name"] if registered else record.get("provider") if isinstance(record, dict) else None
        result.provider_names.setdefault(code, str(name or ""))
    return result
