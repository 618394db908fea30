"""Names for codes on the pages, read from the standards (classification path, departments, elements)."""
from __future__ import annotations

import html
import re

from markupsafe import Markup

from catalog.core import Catalog
from catalog.standards import Standards


def standards(catalog: Catalog) -> Standards:
    """The catalogue's standards, with the departments stored in its database."""
    return catalog.standards()


def classification_path(code: str, std: Standards) -> list[tuple[str, str]]:
    """[(code, name)] for 类 / 项 / 目 / 细目 of a classification code, as far as it resolves."""
    out: list[tuple[str, str]] = []
    node = std.classes.get(code[:1])
    if node is None:
        return [(code, code)]
    out.append((code[:1], node.name))
    item = node.items.get(code[1:3]) if len(code) >= 3 else None
    if item is not None:
        out.append((code[:3], item.name))
        if len(code) >= 6 and code[3:6] in item.categories:
            out.append((code[:6], item.categories[code[3:6]]))
    if len(code) > 6:
        dept = std.departments.get(code[6:])
        out.append((code, dept["name"] if dept else code[6:]))
    return out


def department_name(code: str | None, std: Standards) -> str:
    if not code:
        return ""
    dept = std.departments.get(code)
    return str(dept["name"]) if dept else code


_MARK = re.compile(r"<(/?)(?:em|mark)>")


def highlight_html(fragment: str) -> Markup:
    """A search highlight as safe HTML: only the match markers survive, all other text is escaped."""
    parts = _MARK.split(fragment)
    out: list[str] = []
    # split() alternates text, group(1) ("" or "/"), text, ...
    for i, part in enumerate(parts):
        if i % 2:
            out.append("</mark>" if part == "/" else "<mark>")
        else:
            out.append(html.escape(html.unescape(part)))
    opened = sum(1 for i, p in enumerate(parts) if i % 2 and p == "") - sum(
        1 for i, p in enumerate(parts) if i % 2 and p == "/")
    out.extend("</mark>" for _ in range(max(0, opened)))
    return Markup("".join(out))
