"""Layer 0: text hygiene. Control characters (NUL...) and lone surrogates in any key or value are refused:
they are invisible to a reader, break exports, and PostgreSQL cannot store NUL in JSON."""
from __future__ import annotations

import json
import re
from typing import Any

from catalog import time_budget
from catalog.findings import Finding, pointer
from catalog.standards import Standards
from catalog.validation.rules import finding

BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE...) make a name display differently from what it is.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SUSPECT = re.compile(r"\\u00|\\b|\\f|[\x7f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NAME_FIELDS = frozenset({"name", "provider", "identifier", "keywords", "title"})


def _is_name(path: tuple[str | int, ...]) -> bool:
    """A name-like value: `name`, `provider`, an item's `identifier`, a keyword..."""
    last = path[-2] if path and isinstance(path[-1], int) else (path[-1] if path else None)
    return last in NAME_FIELDS


def _surely_clean(record: dict[str, Any]) -> bool:
    """True when no key or value holds a control character, a lone surrogate or a bidi control: one pass of
    the JSON encoder (C) and one search. The encoder writes control characters as escapes (\\u00XX, \\b,
    \\f); a text that merely looks like one only sends the record down the slow walk, which decides."""
    try:
        text = json.dumps(record, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return False
    return _SUSPECT.search(text) is None


# The UTF-8 bytes of what BAD_CHAR and BIDI look for, and the backslash that starts every escape (JSON, YAML
# double quotes). Each character of BAD_CHAR is one byte below 0x80, so it never hides inside another
# character's bytes; strict UTF-8 has no surrogates at all. The one-byte ones are what `translate` keeps
# when it deletes every other byte (one C pass, ~3x faster than a regular expression over the file).
_ALLOWED_BYTES = bytes(b for b in range(256) if b in b"\t\n\r" or 0x20 <= b != 0x7f and b != ord("\\"))
_BIDI_BYTES = re.compile(rb"\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def clean_source(data: bytes) -> bool:
    """True when the UTF-8 `data` of a record file holds no character text_findings refuses and no escape.
    Every key and value a YAML or JSON parser builds from it is then text taken from `data` (or a number,
    date, boolean...): text_findings of that record is empty, and `validate_record(text_clean=True)` may skip
    it (tests/validation/test_fast_yaml.py checks this over the corpus and every refused character)."""
    if data.translate(None, _ALLOWED_BYTES):
        return False
    if b"\xe2\x80" in data or b"\xe2\x81" in data or b"\xd8\x9c" in data:  # “”—… are common: look closer
        return _BIDI_BYTES.search(data) is None
    return True


def text_findings(record: dict[str, Any], *, standards: Standards, source: str | None) -> list[Finding]:
    if _surely_clean(record):
        return []  # the common case; the walk below names the place of each bad character
    out: list[Finding] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(record, ())]
    while stack:
        node, path = stack.pop()
        if len(out) % 64 == 0:
            time_budget.check()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and (bad := BAD_CHAR.search(key)):
                    out.append(finding("text.control-character", pointer(*path), source=source,
                                       field=f"字段名 {key.encode('unicode_escape').decode()}",
                                       value=f"U+{ord(bad.group()):04X}"))
                stack.append((value, (*path, key)))
        elif isinstance(node, list):
            stack.extend((value, (*path, i)) for i, value in enumerate(node))
        elif isinstance(node, str) and (bad := BAD_CHAR.search(node)):
            out.append(finding("text.control-character", pointer(*path), source=source,
                               field=pointer(*path) or "记录", value=f"U+{ord(bad.group()):04X}"))
        elif isinstance(node, str) and _is_name(path) and (bad := BIDI.search(node)):
            out.append(finding("text.bidi-control", pointer(*path), source=source,
                               field=pointer(*path), value=f"U+{ord(bad.group()):04X}"))
    return sorted(out, key=lambda f: f.path)


def scrubbed(value: Any) -> Any:
    """A copy with every bad character replaced by U+FFFD, so the other layers can still check the record
    (the schema validator cannot even encode a lone surrogate)."""
    if isinstance(value, str):
        return BAD_CHAR.sub("\ufffd", value)
    if isinstance(value, dict):
        return {scrubbed(k): scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrubbed(v) for v in value]
    return value
