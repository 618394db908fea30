"""What a demand asks for: data-element ids or item names, read against the data-element standard.

Each need is stored as `{"text": as given, "name": the name to show, "element": id or None}`: an element
id (DE0001), an element's name, identifier or alias (法人代表 → DE0003 法定代表人姓名) all resolve to the
element; anything else stays a free item name, matched later by name and by text search.
"""
from __future__ import annotations

from typing import Any

from catalog.sharing.common import bad
from catalog.standards.model import Standards, normalise_name

MAX_NEEDS = 50


def resolve_need(text: str, standards: Standards) -> dict[str, Any]:
    """One need: the data element it names, if any."""
    clean = text.strip()
    element = (standards.elements.get(clean.upper()) or standards.element_by_identifier.get(clean)
               or standards.element_norm_names.get(normalise_name(clean))
               or standards.element_by_alias.get(normalise_name(clean)))
    if element is not None:
        return {"text": clean, "name": element["name"], "element": element["id"]}
    return {"text": clean, "name": clean, "element": None}


def parse_needs(value: Any, *, standards: Standards) -> list[dict[str, Any]]:
    """The needed data as a list of needs, duplicates (same element or same name) dropped; 400 naming
    the entry when one is not a non-empty string."""
    if not isinstance(value, list) or not value:
        raise bad("needs", "required", "请填写所需数据: 数据元编号 (如 DE0001) 或信息项名称的列表 (needs is required)")
    if len(value) > MAX_NEEDS:
        raise bad("needs", "too-many", f"一个需求最多 {MAX_NEEDS} 项所需数据, 收到 {len(value)} 项")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, entry in enumerate(value):
        if isinstance(entry, dict):
            entry = entry.get("element") or entry.get("name")
        if not isinstance(entry, str) or not entry.strip() or len(entry) > 100:
            raise bad(f"needs/{i}", "type", "每项所需数据应为 1–100 字的数据元编号或信息项名称")
        need = resolve_need(entry, standards)
        key = need["element"] or normalise_name(need["name"])
        if key not in seen:
            seen.add(key)
            out.append(need)
    return out


def need_key(need: dict[str, Any]) -> str:
    """How a need is named in coverage lists: its element id, else its name."""
    return str(need["element"] or need["name"])
