"""Highlight fragments computed in Python (the embedded backend; Elasticsearch highlights itself)."""
from __future__ import annotations

import html
import re
from typing import Iterable

FRAGMENT = 60  # characters of context around the first match in long text


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({t for t in terms if t and len(t.strip()) > 0}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def mark(text: str, pattern: re.Pattern[str]) -> str:
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [html.escape(text[last : m.start()]), "<em>", html.escape(m.group(0)), "</em>"]
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def fragments(fields: dict[str, list[str]], terms: Iterable[str], *, limit: int = 3) -> dict[str, list[str]]:
    """{field: [fragment with <em>…</em>]} for every field value that contains one of `terms`."""
    pattern = _pattern(terms)
    if pattern is None:
        return {}
    out: dict[str, list[str]] = {}
    for name, values in fields.items():
        found = []
        for value in values:
            m = pattern.search(value or "")
            if not m:
                continue
            if len(value) > 2 * FRAGMENT:
                start = max(0, m.start() - FRAGMENT // 2)
                value = ("…" if start else "") + value[start : start + 2 * FRAGMENT] + "…"
            found.append(mark(value, pattern))
            if len(found) >= limit:
                break
        if found:
            out[name] = found
    return out
