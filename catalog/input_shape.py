"""The shape guard: bounds on a parsed record (or batch) checked BEFORE validation starts.

A resource record is small: ~10 levels of nesting, a few hundred nodes, short texts. Anything far beyond
that is refused here, in one iterative walk (no recursion, so a deep document cannot blow the stack), so
the validation layers only ever see documents of bounded size:

    depth      mappings/lists nested at most MAX_DEPTH levels            → 400 (nesting too deep)
    nodes      at most MAX_NODES values in total                          → 400 (document too large)
    keys       at most MAX_KEYS keys in one mapping                       → 400 (too many keys)
    strings    at most MAX_STRING_CHARS characters in one key or value    → 422 naming the field
    cycles     a value that contains itself (YAML `&a [*a]`)              → 400

The limits are far above any standard record and far below what hurts a server.
"""
from __future__ import annotations

from typing import Any

from catalog.errors import InvalidInput, InvalidRecord
from catalog.findings import pointer
from catalog.validation.rules import finding

MAX_DEPTH = 64  # a record needs ~10 (libyaml's composer segfaults at ~100k)
MAX_NODES = 200_000  # a bulk request of 1,000 records of ~150 nodes each fits
MAX_KEYS = 10_000  # keys in one mapping; validation lists unknown ones in bounded form
MAX_STRING_CHARS = 100_000  # one key or value (an abstract of a few pages is ~5,000)


def check_shape(value: Any, source: str, *, max_nodes: int = MAX_NODES) -> None:
    """Raise InvalidInput / InvalidRecord when `value` breaks a bound above; return None when it fits."""
    nodes = 0
    seen: set[int] = set()  # parsers build fresh containers: one met twice is shared or cyclic (`&a [*a]`)
    stack: list[tuple[Any, int, tuple[str | int, ...]]] = [(value, 1, ())]
    while stack:
        node, depth, path = stack.pop()
        nodes += 1
        if nodes > max_nodes:
            raise InvalidInput(f"{source}: 内容过多（超过 {max_nodes} 个值），拒绝读取 (document too large)")
        if isinstance(node, str):
            if len(node) > MAX_STRING_CHARS:
                _too_long(source, path)
            continue
        if not isinstance(node, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise InvalidInput(f"{source}: 嵌套超过 {MAX_DEPTH} 层，拒绝读取 (nesting too deep)")
        if id(node) in seen:
            raise InvalidInput(f"{source}: 记录引用了自身（YAML 锚点循环），拒绝读取 (self-referencing document)")
        if isinstance(node, dict):
            if len(node) > MAX_KEYS:
                raise InvalidInput(f"{source}: {pointer(*path) or '记录'} 有 {len(node)} 个键，超过上限 {MAX_KEYS}，"
                                   "拒绝读取 (too many keys)")
            for key in node:
                if isinstance(key, str) and len(key) > MAX_STRING_CHARS:
                    _too_long(source, path, "字段名")
            stack.extend((v, depth + 1, (*path, str(k))) for k, v in node.items())
        else:
            stack.extend((v, depth + 1, (*path, i)) for i, v in enumerate(node))
        seen.add(id(node))


def _too_long(source: str, path: tuple[str | int, ...], what: str = "") -> None:
    where = pointer(*path)
    raise InvalidRecord(
        f"{source}: {where or '记录'} {what}过长（超过 {MAX_STRING_CHARS} 个字符），未保存 (value too long)",
        findings=[finding("text.too-long", where, source=None, field=where or "记录", expected=MAX_STRING_CHARS)])
