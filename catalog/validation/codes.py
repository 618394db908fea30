"""Layer 2: classification, resource code and provider against the scheme and the department registry."""
from __future__ import annotations

import re
from typing import Any

from catalog.findings import Finding
from catalog.standards import Standards
from catalog.validation.rules import finding

_CLASSIFICATION = re.compile(r"^([1-3])(\d{2})(\d{3})(\d{9})?$")


def _classification(record: dict[str, Any], standards: Standards, source: str | None) -> list[Finding]:
    value = record.get("classification")
    if not isinstance(value, str):
        return []  # the schema layer reports the type
    match = _CLASSIFICATION.match(value)
    if match is None:
        return []  # the schema layer reports the format
    klass, item, category, detail = match.groups()
    node = standards.classes.get(klass)
    where = "/classification"
    if node is None:
        return [finding("classification.unknown", where, source=source, value=value, detail=f"无类 {klass}")]
    out: list[Finding] = []
    entry = node.items.get(item)
    if entry is None:
        out.append(finding("classification.unknown", where, source=source, value=value,
                           detail=f"{node.name}下无项 {item}"))
    elif category not in entry.categories:
        out.append(finding("classification.unknown", where, source=source, value=value,
                           detail=f"{node.name}/{entry.name}下无目 {category}"))
    provider_code = record.get("provider_code")
    if node.detail == "department":
        if detail is None:
            out.append(finding("classification.detail-missing", where, source=source, value=value,
                               suggestion=f"{value}{provider_code}" if isinstance(provider_code, str) else None))
        elif isinstance(provider_code, str) and detail != provider_code:
            out.append(finding("classification.detail-mismatch", where, source=source, value=detail,
                               expected=provider_code))
        department = standards.departments.get(provider_code) if isinstance(provider_code, str) else None
        if department is not None and department.get("sector") != item:
            out.append(finding("classification.sector-mismatch", where, source=source, value=item,
                               expected=department.get("sector")))
    elif detail is not None:
        out.append(finding("classification.detail-unexpected", where, source=source, value=klass,
                           suggestion=value[:6]))
    return out


def _code(record: dict[str, Any], standards: Standards, source: str | None) -> list[Finding]:
    code, classification = record.get("code"), record.get("classification")
    match = standards.resource_code_re.match(code) if isinstance(code, str) else None
    if match is None or not isinstance(classification, str):
        return []
    prefix = match.group("classification")
    if prefix != classification:
        return [finding("code.classification-mismatch", "/code", source=source, value=prefix,
                        expected=classification)]
    return []


def _provider(record: dict[str, Any], standards: Standards, source: str | None) -> list[Finding]:
    code, name = record.get("provider_code"), record.get("provider")
    if not isinstance(code, str) or not re.fullmatch(r"\d{9}", code):
        return []
    department = standards.departments.get(code)
    if department is None:
        return [finding("provider.unknown", "/provider_code", source=source, value=code)]
    if isinstance(name, str) and name != department["name"]:
        return [finding("provider.name-mismatch", "/provider", source=source, value=name,
                        expected=department["name"], suggestion=department["name"])]
    return []


def _base_class(record: dict[str, Any], standards: Standards, source: str | None) -> list[Finding]:
    classification, share = record.get("classification"), record.get("share")
    if not isinstance(classification, str) or not isinstance(share, dict):
        return []
    share_type = share.get("type")
    if classification[:1] in standards.base_classes and share_type not in (None, "无条件共享"):
        return [finding("share.base-class-unconditional", "/share/type", source=source, value=share_type,
                        suggestion="无条件共享")]
    return []


def code_findings(record: dict[str, Any], *, standards: Standards, source: str | None) -> list[Finding]:
    return [
        *_classification(record, standards, source),
        *_code(record, standards, source),
        *_provider(record, standards, source),
        *_base_class(record, standards, source),
    ]
