"""Field-level difference between two record versions, as JSON-pointer paths with old and new values."""
from __future__ import annotations

from typing import Any

from catalog.findings import pointer

_MISSING = object()


def diff_records(old: Any, new: Any) -> list[dict[str, Any]]:
    """[{op: add|remove|replace, path, old?, new?}] turning `old` into `new` (lists by index)."""
    changes: list[dict[str, Any]] = []
    _walk(old, new, (), changes)
    return changes


def _walk(old: Any, new: Any, parts: tuple[str | int, ...], out: list[dict[str, Any]]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            _walk(old.get(key, _MISSING), new.get(key, _MISSING), (*parts, key), out)
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            _walk(old[i] if i < len(old) else _MISSING, new[i] if i < len(new) else _MISSING, (*parts, i), out)
    elif old is _MISSING:
        out.append({"op": "add", "path": pointer(*parts), "new": new})
    elif new is _MISSING:
        out.append({"op": "remove", "path": pointer(*parts), "old": old})
    elif old != new or type(old) is not type(new):
        out.append({"op": "replace", "path": pointer(*parts), "old": old, "new": new})
