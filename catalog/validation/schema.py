"""Layer 1: the core-metadata JSON Schema; jsonschema errors become findings with stable rule ids."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from catalog.findings import Finding, pointer
from catalog.standards import Standards
from catalog.validation.rules import RULES, finding


def _x_rule(root: dict[str, Any], schema_path: list[str | int]) -> str | None:
    """The deepest `x-rule` on the way from the schema root to the failing keyword."""
    rule, node = None, root
    for part in schema_path:
        if isinstance(node, dict):
            rule = node.get("x-rule", rule)
            node = node.get(part)  # type: ignore[call-overload]
        elif isinstance(node, list) and isinstance(part, int):
            node = node[part]
        else:
            break
    return rule


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _names(error: ValidationError) -> list[str]:
    """Properties a `required` / `additionalProperties` error is about."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":
        return [p for p in error.validator_value if p not in instance]
    allowed = set(error.schema.get("properties", {}))  # type: ignore[union-attr]
    return [p for p in instance if p not in allowed]


def error_pointers(error: ValidationError, *prefix: str | int) -> list[str]:
    """JSON pointers of an error: the missing / unknown property itself for required, additionalProperties."""
    base = [*prefix, *error.absolute_path]
    if error.validator in ("required", "additionalProperties"):
        return [pointer(*base, name) for name in _names(error)]
    return [pointer(*base)]


def schema_errors(validator: Any, fast: Any, instance: Any) -> Iterator[ValidationError]:
    """`validator`'s errors for `instance`; none at all, at once, when the compiled `fast` check passes."""
    if fast is not None and fast.is_valid(instance):
        return iter(())
    return validator.iter_errors(instance)


def schema_findings(record: dict[str, Any], *, standards: Standards, source: str | None) -> list[Finding]:
    root = standards.documents["core-metadata"]
    fmt = record.get("format") if isinstance(record.get("format"), dict) else {}
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for error in schema_errors(standards.core_validator, standards.core_fast, record):
        keyword = str(error.validator)
        rule = _x_rule(root, list(error.absolute_schema_path))
        if rule is None:
            if keyword == "additionalProperties":
                rule = "record.unknown-field"
            else:
                rule = f"schema.{keyword}" if f"schema.{keyword}" in RULES else "schema.other"
        for path in error_pointers(error):
            if (rule, path) in seen:
                continue
            seen.add((rule, path))
            expected = error.validator_value
            if isinstance(expected, list):
                expected = "、".join(str(v) for v in expected)
            out.append(finding(
                rule, path, source=source, field=path or "记录", value=_short(error.instance),
                expected=_short(expected), category=fmt.get("category", "?"), detail=error.message,
            ))
    return out
