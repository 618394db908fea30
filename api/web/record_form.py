"""The registration form: flat form fields <-> a resource record, and findings placed next to fields.

Items are entered one per line, `名称 | identifier | 类型 | 长度 | 精度 | 数据元`. The record built here goes
to `catalog.registry.create_resource` unchanged: the one validation engine judges it, not this module.
"""
from __future__ import annotations

from typing import Any

from catalog.findings import Finding

# form field -> the JSON pointers whose findings are shown next to it (longest prefix wins)
FIELD_POINTERS: dict[str, tuple[str, ...]] = {
    "name": ("/name",), "classification": ("/classification", "/code"),
    "provider": ("/provider",), "provider_code": ("/provider_code",), "abstract": ("/abstract",),
    "keywords": ("/keywords",), "format_category": ("/format/category", "/format"),
    "format_type": ("/format/type",), "share_type": ("/share/type", "/share"),
    "share_condition": ("/share/condition",), "method_category": ("/share/method/category", "/share/method"),
    "method_type": ("/share/method/type",), "to_public": ("/open/to_public", "/open"),
    "open_condition": ("/open/condition",), "update_cycle": ("/update_cycle",),
    "published_on": ("/published_on",), "related": ("/related",), "items": ("/items",),
    "charset": ("/charset",), "interface": ("/interface",),
}
ITEM_COLUMNS = ("name", "identifier", "data_type", "length", "precision", "element")


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]


def _number(text: str) -> Any:
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return text or None


def items_from_text(text: str) -> list[dict[str, Any]]:
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("｜", "|").split("|")]
        item: dict[str, Any] = {}
        for key, cell in zip(ITEM_COLUMNS, cells):
            if cell == "":
                continue
            item[key] = _number(cell) if key in ("length", "precision") else cell
        items.append(item)
    return items


def items_to_text(items: Any) -> str:
    lines = []
    for item in items or []:
        if isinstance(item, dict):
            cells = ["" if item.get(k) is None else str(item.get(k)) for k in ITEM_COLUMNS]
            while cells and cells[-1] == "":
                cells.pop()
            lines.append(" | ".join(cells))
    return "\n".join(lines)


def record_from_form(form: dict[str, str]) -> dict[str, Any]:
    """The record the form describes; empty optional fields are left out (the engine says what is missing)."""
    def get(key: str) -> str:
        return (form.get(key) or "").strip()

    record: dict[str, Any] = {}
    for key in ("name", "classification", "provider", "provider_code", "abstract", "update_cycle",
                "published_on", "charset"):
        if get(key):
            record[key] = get(key)
    if get("keywords"):
        record["keywords"] = _split(get("keywords"))
    fmt = {k: v for k, v in (("category", get("format_category")), ("type", get("format_type"))) if v}
    if fmt:
        record["format"] = fmt
    items = items_from_text(form.get("items") or "")
    if items:
        record["items"] = items
    method = {k: v for k, v in (("category", get("method_category")), ("type", get("method_type"))) if v}
    share: dict[str, Any] = {k: v for k, v in (("type", get("share_type")), ("condition", get("share_condition")))
                             if v}
    if method:
        share["method"] = method
    if share:
        record["share"] = share
    record["open"] = {"to_public": get("to_public") in ("1", "on", "true")}
    if get("open_condition"):
        record["open"]["condition"] = get("open_condition")
    if get("related"):
        record["related"] = _split(get("related"))
    return record


def form_from_record(record: dict[str, Any]) -> dict[str, str]:
    fmt, share = record.get("format") or {}, record.get("share") or {}
    method, opened = share.get("method") or {}, record.get("open") or {}
    return {
        "name": str(record.get("name") or ""), "classification": str(record.get("classification") or ""),
        "provider": str(record.get("provider") or ""), "provider_code": str(record.get("provider_code") or ""),
        "abstract": str(record.get("abstract") or ""), "keywords": ", ".join(map(str, record.get("keywords") or [])),
        "format_category": str(fmt.get("category") or ""), "format_type": str(fmt.get("type") or ""),
        "share_type": str(share.get("type") or ""), "share_condition": str(share.get("condition") or ""),
        "method_category": str(method.get("category") or ""), "method_type": str(method.get("type") or ""),
        "to_public": "1" if opened.get("to_public") else "", "open_condition": str(opened.get("condition") or ""),
        "update_cycle": str(record.get("update_cycle") or ""), "published_on": str(record.get("published_on") or ""),
        "related": ", ".join(map(str, record.get("related") or [])), "items": items_to_text(record.get("items")),
        "charset": str(record.get("charset") or ""),
    }


def findings_by_field(findings: list[Finding]) -> tuple[dict[str, list[Finding]], list[Finding]]:
    """({form field: findings}, findings no field shows) — each finding goes to the longest matching prefix."""
    placed: dict[str, list[Finding]] = {}
    rest: list[Finding] = []
    prefixes = sorted(((p, f) for f, ps in FIELD_POINTERS.items() for p in ps), key=lambda x: -len(x[0]))
    for finding in findings:
        path = finding.path or ""
        for prefix, field in prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                placed.setdefault(field, []).append(finding)
                break
        else:
            rest.append(finding)
    return placed, rest
