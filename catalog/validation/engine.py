"""`validate_record`: one record through every layer (schema, codes, naming, interface, sources, advice)."""
from __future__ import annotations

from typing import Any

from catalog import time_budget
from catalog.findings import Finding, Report
from catalog.validation.sources import duplicate_collection_findings
from catalog.standards import Standards, load_standards
from catalog.validation.codes import code_findings
from catalog.validation.interface import interface_findings
from catalog.validation.naming import naming_findings
from catalog.validation.rules import finding
from catalog.validation.schema import schema_findings
from catalog.validation.text import scrubbed, text_findings

OPTIONAL_ADVISED = ("keywords", "published_on")
LAYERS = (schema_findings, code_findings, naming_findings, interface_findings, duplicate_collection_findings)


def _advice(record: dict[str, Any], source: str | None) -> list[Finding]:
    return [finding("record.missing-optional", f"/{name}", source=source, field=name)
            for name in OPTIONAL_ADVISED if record.get(name) in (None, "", [])]


def validate_record(
    record: dict[str, Any], *, standards: Standards | None = None, source: str | None = None,
    text_clean: bool = False,
) -> Report:
    """Check one resource record against the standards; errors make it invalid, warnings are advice.
    `text_clean`: the record was read from bytes that `clean_source` passed, so text hygiene has nothing to find."""
    standards = standards or load_standards()
    report = Report(source=source)
    if not isinstance(record, dict):
        report.extend([finding("schema.type", "", source=source, expected="object（键值映射）")])
        return report
    with time_budget.within(time_budget.VALIDATE_SECONDS, f"记录 {source}" if source else "记录"):
        bad_text = [] if text_clean else text_findings(record, standards=standards, source=source)
        report.extend(bad_text)
        checked = scrubbed(record) if bad_text else record
        for layer in LAYERS:
            time_budget.check()
            report.extend(layer(checked, standards=standards, source=source))
    report.extend(_advice(record, source))
    return report
