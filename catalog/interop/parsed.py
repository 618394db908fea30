"""What a parser hands the import service: one candidate record, where it came from, and parse findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog.findings import Finding, Severity


@dataclass(slots=True)
class ParsedRecord:
    source: str  # e.g. "信息资源!R5" or "dataset[3]:NCES_2016999"
    record: dict[str, Any] | None  # None when the input could not be turned into a record at all
    findings: list[Finding] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # JSON pointer → cell ("信息资源!F5"), xlsx only

    def add(self, rule: str, severity: Severity, path: str, message: str, suggestion: str | None = None,
            *, source: str | None = None) -> None:
        self.findings.append(Finding(rule=rule, severity=severity, path=path, message=message,
                                     suggestion=suggestion, source=source or self.source))

    @property
    def blocked(self) -> bool:
        """True when a parse finding of severity error already rules the record out."""
        return self.record is None or any(f.severity == "error" for f in self.findings)

    def locate(self, path: str) -> str | None:
        """The cell of the longest pointer prefix of `path` (e.g. /items/0/length → 信息项!F7)."""
        while True:
            if path in self.cells:
                return self.cells[path]
            if not path:
                return None
            path = path.rsplit("/", 1)[0]
