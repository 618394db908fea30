"""Human labels for facet values (department names, classification names, state names)."""
from __future__ import annotations

from typing import Any

STATE_LABELS = {
    "draft": "草稿",
    "submitted": "待审核",
    "published": "已发布",
    "rejected": "已退回",
    "withdrawn": "已撤回",
}
BOOL_LABELS = {"true": "是", "false": "否"}


def facet_label(facet: str, value: str, *, standards: Any | None) -> str:
    """The label shown next to a facet value; the value itself when nothing better is known."""
    if facet == "state":
        return STATE_LABELS.get(value, value)
    if facet == "open_to_public":
        return BOOL_LABELS.get(value, value)
    if standards is None:
        return value
    if facet == "provider_code":
        dept = standards.departments.get(value)
        return dept["name"] if dept else value
    if facet == "classification_class":
        node = standards.classes.get(value)
        return node.name if node else value
    if facet == "classification_item":
        node = standards.classes.get(value[:1])
        item = node.items.get(value[1:3]) if node else None
        if item is None and value[:1] == "3":
            sector = value[1:3]
            names = [d.get("short_name") or d["name"] for d in standards.departments.values() if d.get("sector") == sector]
            return names[0] if names else value
        return item.name if item else value
    return value
