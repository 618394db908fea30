"""Layer 1: the core-metadata JSON Schema; jsonschema errors become findings with stable rule ids."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from catalog import time_budget
from catalog.findings import Finding, pointer
from catalog.standards import Standards
from catalog.validation.rules import RULES, finding

MAX_PER_ERROR = 50  # findings listed for one schema error (e.g. 3,000 unknown keys: 50 + one summary)


def _x_rule(root: dict[str, Any], schema_path: list[str | int]) -> str | None:
    """The deepest `x-rule` on the way from the schema root to the failing keyword."""
    rule: str | None = None
    node: Any = root
    for part in schema_path:
        if isinstance(node, dict):
            rule = node.get("x-rule", rule)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            node = node[part]
        else:
            break
    return rule


def _short(value: Any) -> str:
    """At most 60 characters of a value; a container is summarised, never stringified whole (3,000 keys)."""
    if isinstance(value, dict):
        return f"{{…{len(value)} 个键}}"
    if isinstance(value, list):
        return f"[…{len(value)} 项]"
    text = str(value)[:61]
    return text if len(text) <= 60 else text[:57] + "..."


def _names(error: ValidationError) -> list[str]:
    """Properties a `required` / `additionalProperties` error is about."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":
        required: list[str] = error.validator_value  # type: ignore[assignment]  # a `required` error's value is its list
        return [p for p in required if p not in instance]
    allowed = set(error.schema.get("properties", {}))  # type: ignore[union-attr]
    return [p for p in instance if p not in allowed]


def error_pointers(error: ValidationError, *prefix: str | int) -> list[str]:
    """JSON pointers of an error: the missing / unknown property itself for required, additionalProperties."""
    base = [*prefix, *error.absolute_path]
    if error.validator in ("required", "additionalProperties"):
        return [pointer(*base, name) for name in _names(error)]
    return [pointer(*base)]


def schema_errors(validator: Validator, fast: Any, instance: Any) -> Iterator[ValidationError]:
    """`validator`'s errors for `instance`; none at all, at once, when the compiled `fast` check passes."""
    if fast is not None and fast.is_valid(instance):
        return iter(())
    return validator.iter_errors(instance)


def schema_findings(record: dict[str, Any], *, standards: Standards, source: str | None) -> list[Finding]:
    root = standards.documents["core-metadata"]
    given_format = record.get("format")
    fmt: dict[str, Any] = given_format if isinstance(given_format, dict) else {}
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for error in schema_errors(standards.core_validator, standards.core_fast, record):
        time_budget.check()
        keyword = str(error.validator)
        rule = _x_rule(root, list(error.absolute_schema_path))
        if rule is None:
            if keyword == "additionalProperties":
                rule = "record.unknown-field"
            else:
                rule = f"schema.{keyword}" if f"schema.{keyword}" in RULES else "schema.other"
        expected = error.validator_value
        if isinstance(expected, list):
            expected = "、".join(str(v) for v in expected[:50])
        value, expected, detail = _short(error.instance), _short(expected), _short(error.message)
        paths = [p for p in error_pointers(error) if (rule, p) not in seen]
        for path in paths[:MAX_PER_ERROR]:
            seen.add((rule, path))
            out.append(finding(rule, path, source=source, field=path or "记录", value=value, expected=expected,
                               category=fmt.get("category", "?"), detail=detail))
        if len(paths) > MAX_PER_ERROR:
            out.append(finding("record.findings-truncated", paths[MAX_PER_ERROR].rsplit("/", 1)[0], source=source,
                               field=rule, value=len(paths) - MAX_PER_ERROR))
    return out
