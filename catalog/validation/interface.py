"""Layer 4: the service-interface contract of resources shared through 接口."""
from __future__ import annotations

import json
import re
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from catalog.findings import Finding, pointer
from catalog.standards import Standards
from catalog.validation.rules import finding
from catalog.validation.schema import error_pointers, schema_errors

_PARAM = re.compile(r"\{([^{}]+)\}")


def _schema_error(schema: Any, standards: Standards) -> str | None:
    """The first metaschema error of a request/response schema, memoised by content."""
    memo = standards.cache("interface-schemas")
    key = json.dumps(schema, sort_keys=True, ensure_ascii=False, default=str)
    if key not in memo:
        try:
            Draft202012Validator.check_schema(schema)
            memo[key] = None
        except SchemaError as exc:
            memo[key] = exc.message
    problem: str | None = memo[key]
    return problem


def _declared(request: Any) -> set[str]:
    if not isinstance(request, dict):
        return set()
    props = request.get("properties")
    return set(props) if isinstance(props, dict) else set()


def _operation(op: dict[str, Any], at: str, standards: Standards, source: str | None) -> list[Finding]:
    out: list[Finding] = []
    for part in ("request", "response"):
        if part in op and isinstance(op[part], (dict, bool)):
            message = _schema_error(op[part], standards)
            if message is not None:
                out.append(finding("interface.schema-invalid", f"{at}/{part}", source=source,
                                   field=f"{part}", detail=message))
    path = op.get("path")
    if isinstance(path, str):
        declared = _declared(op.get("request"))
        for name in _PARAM.findall(path):
            if name not in declared:
                out.append(finding("interface.path-parameter", at + "/path", source=source, value=name,
                                   suggestion=f"request.properties.{name}"))
    return out


def interface_findings(record: dict[str, Any], *, standards: Standards, source: str | None) -> list[Finding]:
    contract = record.get("interface")
    if not isinstance(contract, dict):
        return []
    out: list[Finding] = []
    for error in schema_errors(standards.interface_validator, standards.interface_fast, contract):
        for at in error_pointers(error, "interface"):
            out.append(finding("interface.contract", at, source=source, detail=error.message))
    operations = contract.get("operations")
    if isinstance(operations, list):
        seen: set[str] = set()
        for index, op in enumerate(operations):
            if not isinstance(op, dict):
                continue
            at = pointer("interface", "operations", index)
            out.extend(_operation(op, at, standards, source))
            op_id = op.get("id")
            if isinstance(op_id, str):
                if op_id in seen:
                    out.append(finding("interface.duplicate-operation", at + "/id", source=source, value=op_id))
                seen.add(op_id)
    return out
