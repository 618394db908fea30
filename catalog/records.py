"""Reading resource record files (YAML / JSON): safe, UTF-8 only, with errors naming file and line."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Iterator

import yaml

from catalog import time_budget
from catalog.block_yaml import NOT_SUBSET, parse_block_yaml
from catalog.errors import InvalidInput
from catalog.input_shape import MAX_KEYS, MAX_NODES, MAX_STRING_CHARS, check_shape

RECORD_SUFFIXES = (".yaml", ".yml", ".json")
MAX_RECORD_BYTES = 5_000_000
MAX_DEPTH = 64  # nesting of mappings/lists; a record needs ~10 (libyaml's composer segfaults at ~100k)

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    """YAML dates become 'YYYY-MM-DD' strings (datetimes ISO 8601), as in JSON."""
    value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


class _RecordLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """The fast safe loader, with dates kept as text."""


_RecordLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
NO_ANCHORS = ("YAML 锚点和别名（&、*）不被接受：标准资源记录不需要它们，请把内容直接写出 "
              "(YAML anchors/aliases are not accepted; no standard record needs them)")


def _yaml_structure(text: str, source: str) -> None:
    """From the event stream (iterative, no recursion, nothing built yet): refuse anchors and aliases
    (`a: &a [*a]` is a self-referencing list; a billion-laughs bomb expands exponentially) and documents
    nested deeper than MAX_DEPTH."""
    depth = 0
    for n, event in enumerate(yaml.parse(text, Loader=_SafeLoader)):
        if n % 1024 == 0:
            time_budget.check()
        assert event.start_mark is not None  # the parser marks every event it yields
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise InvalidInput(f"{source}:{event.start_mark.line + 1}: {NO_ANCHORS}")
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
    """The exact path: the event-stream guard, then libyaml's safe loader (the shape guard follows)."""
    _yaml_structure(text, source)
    return yaml.load(text, Loader=_RecordLoader)  # noqa: S506 - a SafeLoader subclass


# The fast path, for the many small well-formed files of an audit, in two steps. First the block reader
# (catalog/block_yaml.py) reads the plain block YAML records are written in, line by line; whatever it cannot
# prove it reads exactly, it leaves to the second step. There libyaml composes the node tree, one
# iterative walk builds the values with the loader's own scalar constructors and checks the shape guard's
# bounds on the way. It is taken only where it cannot differ from the exact path:
#   - no '&', '*' or '!' in the text: no anchor, alias or explicit tag can exist, so the event-stream guard
#     has nothing to refuse but depth, and nothing can be shared or cyclic;
#   - at most FAST_INDICATORS of '[', '{', '-', ':', '?': every mapping or sequence owns at least one of
#     them, so the nesting cannot come near what libyaml's recursive composer survives.
# Anything else, and any error or broken bound on the way, goes back to the exact path, which then gives
# the very same value or message as it always did. tests/validation/test_fast_yaml.py proves it.
FAST_INDICATORS = 5_000
_UNSAFE_FOR_FAST = ("&", "*", "!")
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_FALLBACK = object()


class _FastLoader(_RecordLoader):
    """The record loader with the implicit-tag lookup of BaseResolver.resolve, minus the path resolvers
    (a safe loader has none): it runs for every scalar, and this is the hot loop of a large audit."""

    _implicit = _RecordLoader.yaml_implicit_resolvers

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self._implicit.get(value[:1], ()):
                    if regexp.match(value):
                        return tag  # type: ignore[no-any-return]
            return self.DEFAULT_SCALAR_TAG  # type: ignore[no-any-return]
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG  # type: ignore

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


assert not _RecordLoader.yaml_path_resolvers and None not in _RecordLoader.yaml_implicit_resolvers


_SCALARS = _RecordLoader("")  # lends its implicit resolvers and scalar constructors to the block reader


def _fast_yaml(text: str) -> Any:
    """The value of `text`, or _FALLBACK when the exact path must decide (see above). Plain block YAML, the
    common form of a record, is read line by line without libyaml's node objects (catalog/block_yaml.py)."""
    if any(c in text for c in _UNSAFE_FOR_FAST) or sum(map(text.count, "[{-:?")) > FAST_INDICATORS:
        return _FALLBACK
    try:
        value = parse_block_yaml(text, loader=_SCALARS)
    except Exception:  # noqa: BLE001 - e.g. a constructor's error: the exact path's to report, in its own words
        value = NOT_SUBSET
    if value is not NOT_SUBSET:
        return value
    return _node_yaml(text)


def _node_yaml(text: str) -> Any:
    """libyaml's node tree, then one iterative build (see above); _FALLBACK when the exact path must decide."""
    loader = _FastLoader(text)
    try:
        root = loader.get_single_node()
        return None if root is None else _construct(loader, root)
    except Exception:  # noqa: BLE001 - every error is the exact path's to report, in its own words
        return _FALLBACK
    finally:
        loader.dispose()


def _construct(loader: _FastLoader, root: yaml.Node) -> Any:
    """Values of a composed tree (no aliases), iteratively, within the shape guard's bounds."""
    constructors = loader.yaml_constructors
    nodes = 0
    pending: list[tuple[yaml.Node, Any, Any, int]] = [(root, None, None, 1)]  # node, parent, key, depth
    result: Any = _FALLBACK
    while pending:
        node, parent, key, depth = pending.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return _FALLBACK
        tag = node.tag
        if tag == _STR:
            value = node.value
            if len(value) > MAX_STRING_CHARS:
                return _FALLBACK
        elif tag == _MAP:
            if depth > MAX_DEPTH or len(node.value) > MAX_KEYS:
                return _FALLBACK
            value = {}
            children = []
            for key_node, value_node in node.value:
                if key_node.tag == _STR and isinstance(key_node, yaml.ScalarNode):
                    key_value = key_node.value
                elif not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in constructors \
                        or key_node.tag in (_SEQ, _MAP):
                    return _FALLBACK  # merge keys ('<<'), '=' keys and collection keys
                else:
                    key_value = constructors[key_node.tag](loader, key_node)
                if isinstance(key_value, str) and len(key_value) > MAX_STRING_CHARS:
                    return _FALLBACK
                value[key_value] = None  # the key's place is its first appearance, as in the constructor
                children.append((value_node, value, key_value, depth + 1))
            pending.extend(reversed(children))  # popped in document order: a repeated key's last value wins
        elif tag == _SEQ:
            if depth > MAX_DEPTH:
                return _FALLBACK
            value = [None] * len(node.value)
            pending.extend((item, value, index, depth + 1) for index, item in enumerate(node.value))
        elif tag in constructors:
            value = constructors[tag](loader, node)
        else:
            return _FALLBACK  # '<<' merge and '=' value tags: the exact path's business
        if parent is None:
            result = value
        else:
            parent[key] = value
    return result


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
    starts_with_content = text[:1] not in ("", "#") and not text[0].isspace()  # the usual file, at a glance
    if not starts_with_content and not any(line.strip() and not line.lstrip().startswith("#")
                                           for line in text.splitlines()):
        raise InvalidInput(f"{source}: 文件为空，没有资源记录 (empty file)")
    shaped = False  # the fast YAML path checks the shape guard's bounds itself
    try:
        with time_budget.within(time_budget.PARSE_SECONDS, source):
            if suffix.lower() == ".json":
                value = json.loads(text)
            elif (value := _fast_yaml(text)) is not _FALLBACK:
                shaped = True
            else:
                value = _load_yaml(text, source)
            if not shaped:
                check_shape(value, source)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{source}:{exc.lineno}: JSON 格式错误：{exc.msg} (invalid JSON)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidInput(f"{where}: YAML 格式错误：{problem} (invalid YAML)") from None
    except RecursionError:
        raise InvalidInput(f"{source}: 嵌套过深，拒绝读取 (nesting too deep)") from None
    except (ValueError, KeyError, TypeError, OverflowError) as exc:  # `!!bool "fals"`, an int of 5,000 digits
        raise InvalidInput(f"{source}: YAML 格式错误：值无法按其类型读取（{type(exc).__name__}: "
                           f"{str(exc)[:200]}） (invalid scalar value)") from None
    if value is None:
        raise InvalidInput(f"{source}: 文件为空，没有资源记录 (empty file)")
    if not isinstance(value, dict):
        kind = type(value).__name__
        raise InvalidInput(f"{source}:1: 资源记录应为键值映射（mapping），实际是 {kind} (record must be a mapping)")
    return value


def _files_under(folder: str) -> list[tuple[tuple[str, ...], str]]:
    """(path parts, path) of each record file below `folder`, hidden files left out, in no order; the parts sort
    as `Path`s do. One `scandir` per folder (a 10,000-file tree: ~0.05 s, against ~0.3 s for `rglob` and a
    `stat` per file); folders linked in are followed, as `rglob` does."""
    found: list[tuple[tuple[str, ...], str]] = []
    pending = [(folder, tuple(Path(folder).parts))]
    while pending:
        where, parts = pending.pop()
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue  # unreadable folder: rglob skips it too
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir():
                    pending.append((entry.path, (*parts, name)))
                elif not name.startswith(".") and os.path.splitext(name)[1].lower() in RECORD_SUFFIXES \
                        and entry.is_file():
                    found.append(((*parts, name), entry.path))
            except OSError:
                continue
    return found


def read_record_bytes(path: Path | str) -> bytes:
    """The bytes of one record file; raise InvalidInput with the file name when it cannot be read."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as exc:
        raise InvalidInput(f"{path}: 无法读取文件：{exc.strerror} (cannot read file)") from None


def read_record_file(path: Path) -> dict[str, Any]:
    """Read one YAML/JSON record file; raise InvalidInput with the file name (and line) when unreadable."""
    return parse_record_text(read_record_bytes(path), source=str(path), suffix=path.suffix)


def iter_record_files(paths: list[Path]) -> Iterator[Path]:
    """The record files named by `paths` (files as given, folders searched recursively, sorted)."""
    return map(Path, record_file_names(paths))


def record_file_names(paths: list[Path]) -> list[str]:
    """The names of the record files of `paths`, as `iter_record_files` gives them: for a caller that needs
    only the names (10,000 `Path` objects cost ~0.1 s). Raise InvalidInput when a path does not exist."""
    names: list[str] = []
    for path in paths:
        if path.is_dir():
            found = _files_under(str(path))
            found.sort(key=lambda parts: parts[0])
            names.extend(name for _, name in found)
        elif path.exists():
            names.append(str(path))
        else:
            raise InvalidInput(f"{path}: 文件或目录不存在 (no such file or directory)")
    return names
