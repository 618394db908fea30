"""Reading resource record files (YAML / JSON): safe, UTF-8 only, with errors naming file and line."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Iterator

import yaml

from catalog.errors import InvalidInput

RECORD_SUFFIXES = (".yaml", ".yml", ".json")
MAX_RECORD_BYTES = 5_000_000
MAX_ALIASES = 100  # a record needs no YAML anchors; a few are tolerated, a bomb is not
MAX_NODES = 200_000  # nodes after alias expansion
MAX_DEPTH = 64  # nesting of mappings/lists; a record needs ~10 (libyaml's composer segfaults at ~100k)

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    """YAML dates become 'YYYY-MM-DD' strings (datetimes ISO 8601), as in JSON."""
    value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


class _RecordLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """The fast safe loader, with dates kept as text."""


class _CountingLoader(yaml.SafeLoader):
    """Pure-Python safe loader used only for documents with anchors: counts aliases."""

    aliases = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise _AliasBomb(mark.line + 1)
        return super().compose_node(parent, index)


for _loader in (_RecordLoader, _CountingLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


class _AliasBomb(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    key = id(node)
    if key not in memo:
        memo[key] = 1  # guards recursive anchors
        if isinstance(node, yaml.MappingNode):
            size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(_expanded_size(v, memo) for v in node.value)
        else:
            size = 1
        memo[key] = size
    return memo[key]


def _yaml_depth(text: str, source: str) -> None:
    """Refuse documents nested deeper than MAX_DEPTH, from the event stream (iterative, no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise InvalidInput(f"{source}:{event.start_mark.line + 1}: 嵌套超过 {MAX_DEPTH} 层，拒绝读取 "
                                   "(nesting too deep)")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def check_depth(value: Any, source: str) -> None:
    """Refuse parsed values (JSON) nested deeper than MAX_DEPTH (iterative walk)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > MAX_DEPTH:
                raise InvalidInput(f"{source}: 嵌套超过 {MAX_DEPTH} 层，拒绝读取 (nesting too deep)")
            stack.extend((v, depth + 1) for v in (node.values() if isinstance(node, dict) else node))


def _load_yaml(text: str, source: str) -> Any:
    _yaml_depth(text, source)
    if "&" not in text:
        return yaml.load(text, Loader=_RecordLoader)  # noqa: S506 - a SafeLoader subclass
    loader = _CountingLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, {}) > MAX_NODES:
            raise InvalidInput(f"{source}: YAML 别名展开过大（疑似 alias bomb），拒绝读取 (YAML alias expansion too large)")
        return loader.construct_document(node) if node is not None else None
    except _AliasBomb as bomb:
        raise InvalidInput(
            f"{source}:{bomb.line}: YAML 别名过多（超过 {MAX_ALIASES} 个），拒绝读取 (too many YAML aliases)"
        ) from None
    finally:
        loader.dispose()


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def parse_record_text(data: bytes, *, source: str, suffix: str = ".yaml") -> dict[str, Any]:
    """Parse the bytes of one record file into a mapping; raise InvalidInput naming source and line."""
    if len(data) > MAX_RECORD_BYTES:
        raise InvalidInput(f"{source}: 文件过大（{len(data)} 字节，上限 {MAX_RECORD_BYTES}） (file too large)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        hint = "（可能是 GBK/GB18030 编码，请另存为 UTF-8）"
        raise InvalidInput(f"{source}:{line}: 文件不是 UTF-8 编码{hint} (not UTF-8)") from None
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise InvalidInput(f"{source}: 文件为空，没有资源记录 (empty file)")
    try:
        if suffix.lower() == ".json":
            value = json.loads(text)
            check_depth(value, source)
        else:
            value = _load_yaml(text, source)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{source}:{exc.lineno}: JSON 格式错误：{exc.msg} (invalid JSON)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidInput(f"{where}: YAML 格式错误：{problem} (invalid YAML)") from None
    except RecursionError:
        raise InvalidInput(f"{source}: 嵌套过深，拒绝读取 (nesting too deep)") from None
    if value is None:
        raise InvalidInput(f"{source}: 文件为空，没有资源记录 (empty file)")
    if not isinstance(value, dict):
        kind = type(value).__name__
        raise InvalidInput(f"{source}:1: 资源记录应为键值映射（mapping），实际是 {kind} (record must be a mapping)")
    return value


def read_record_file(path: Path) -> dict[str, Any]:
    """Read one YAML/JSON record file; raise InvalidInput with the file name (and line) when unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: 无法读取文件：{exc.strerror} (cannot read file)") from None
    return parse_record_text(data, source=str(path), suffix=path.suffix)


def iter_record_files(paths: list[Path]) -> Iterator[Path]:
    """The record files named by `paths` (files as given, folders searched recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in RECORD_SUFFIXES and p.is_file() and not p.name.startswith(".")
            )
        elif path.exists():
            yield path
        else:
            raise InvalidInput(f"{path}: 文件或目录不存在 (no such file or directory)")
