"""Findings and reports: validation failure is a value, not an exception.

A `Finding` names a stable rule id, a severity, a JSON pointer into the record, a message readable by
a Chinese-speaking steward, and where possible a suggestion. A `Report` collects them; only findings of
severity ``error`` make a record invalid.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    path: str  # JSON pointer into the record, "" for the whole record
    message: str
    suggestion: str | None = None
    source: str | None = None  # file name, sheet/row, dataset id... where the record came from

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k in _FIELDS if (v := getattr(self, k)) is not None}  # flat: no deep-copying asdict


_FIELDS = ("rule", "severity", "path", "message", "suggestion", "source")


@dataclass(slots=True)
class Report:
    findings: list[Finding] = field(default_factory=list)
    source: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def valid(self) -> bool:
        return all(f.severity != "error" for f in self.findings)

    def counts(self) -> tuple[int, int]:
        """(errors, warnings), counted in one pass (an audit reads them for every record)."""
        errors = sum(f.severity == "error" for f in self.findings)
        return errors, len(self.findings) - errors  # every other finding is a warning

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def to_dict(self) -> dict[str, Any]:
        errors, warnings = self.counts()
        return {
            "valid": errors == 0,
            "source": self.source,
            "error_count": errors,
            "warning_count": warnings,
            "findings": [f.to_dict() for f in self.findings],
        }


def pointer(*parts: str | int) -> str:
    """Build a JSON pointer (RFC 6901) from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
