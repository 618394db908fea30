"""A reader for the plain block YAML that record files are written in, without libyaml's node objects.

`parse_block_yaml(text, loader=)` reads only what it can prove it reads exactly as libyaml and PyYAML's safe
loader do, and returns NOT_SUBSET for everything else, so the caller's exact reader decides there. The subset:

    key: plain scalar          - item                 key: 'single' / "double \\u4e2d"
    key:                       - key: value           key: [a, b]   key: {a: b, c: d}   (one line, plain)
      nested: mapping            other: value         # whole-line comments
    list:
    - indentless sequence

- Every line is one token: its indent and content. Nesting follows the indents, as YAML's block rules say.
- Plain scalars (keys and values) are resolved with the loader's own implicit resolvers (YAML 1.1: yes/no,
  octal, sexagesimal, timestamps...) and built with its own constructors, so they are the very same values.
- Refused as a whole (NOT_SUBSET): tabs, CR, any character YAML does not print or reads as a line break,
  text after a value (` #`), trailing spaces, document markers (`---`, `...`), any indicator opening a
  scalar (`- ? : , [ ] { } # & * ! | > ' " % @` and backquote) except a whole quoted scalar and a one-line
  flow list or mapping of plain scalars without `: ? # [ ] { } , ' "` in them, multi-line scalars, quoted
  or long keys, unknown escapes, merge and value keys (`<<`, `=`), any line whose indent fits no open block, and anything beyond the shape guard's bounds (depth, values, keys, length).

tests/validation/test_fast_yaml.py proves it gives the exact reader's value, types told apart, over the seed,
the tests' YAML, the hostile corpus, tricky documents, random re-dumps and random edits of records.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from catalog.input_shape import MAX_DEPTH, MAX_KEYS, MAX_NODES, MAX_STRING_CHARS

NOT_SUBSET: Any = object()

# What no line-by-line rule below could read safely; the searches run over the whole text at once.
_UNPRINTED = re.compile(  # tab, CR, control characters, NEL, LS, PS, BOM, surrogates, U+FFFE/FFFF
    "[^\n -~\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_COMMENT_AFTER_CONTENT = re.compile(r"[^ \n] +#")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_ITEM = frozenset(("-", "- "))  # content[:2] of a list item's line
_CLOSING = {"[": "]", "{": "}"}
_FLOW_UNSAFE = frozenset(":?#[]{},'\"")
_MAX_KEY_CHARS = 200  # far inside libyaml's 1,024-character limit on an implicit key
_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")
_ESCAPES = {"0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c", "r": "\r",
            "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
            "L": "\u2028", "P": "\u2029"}  # libyaml's table (scanner.c)
_BUILT = frozenset(("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                    "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"))  # not merge '<<' nor value '='
_MISSING = object()


class _NotSubset(Exception):
    """Raised anywhere inside the reader: the text is not in the subset."""


def parse_block_yaml(text: str, *, loader: yaml.SafeLoader) -> Any:
    """The value of `text`, or NOT_SUBSET. `loader` lends its implicit resolvers and scalar constructors."""
    if _UNPRINTED.search(text) or " \n" in text or text.endswith(" ") or text.startswith(("---", "...")) \
            or "\n---" in text or "\n..." in text or " #" in text and _COMMENT_AFTER_CONTENT.search(text):
        return NOT_SUBSET
    tokens = []
    for line in text.split("\n"):
        content = line.lstrip(" ")
        if content and content[0] != "#":
            tokens.append((len(line) - len(content), content))
    if not tokens or len(tokens) > MAX_KEYS:  # so no block mapping can have more than MAX_KEYS entries
        return NOT_SUBSET
    reader = _Reader(tokens, loader)
    try:
        value = reader.block(1)
    except _NotSubset:
        return NOT_SUBSET
    return value if reader.at == len(tokens) else NOT_SUBSET


# Per loader class, what a line or key reads as wherever it stands: the entry lines of records repeat a lot
# ("  data_type: C"). Only keys and values that cannot change are kept (no `[]`, `{}`), and only so many.
_KEYS: dict[type, dict[str, Any]] = {}  # plain key text -> its key (None, bool, int, str...)
_KEYS_KEPT = 5_000
_LINES: dict[type, dict[str, tuple[Any, Any]]] = {}  # entry line (indent stripped) -> (key, value or _NESTED)
_LINES_KEPT = 50_000
_NESTED: Any = object()
_IMMUTABLE = frozenset((str, int, float, bool, type(None), object))  # object: _NESTED


class _Reader:
    def __init__(self, tokens: list[tuple[int, str]], loader: yaml.SafeLoader) -> None:
        self.tokens = tokens
        self.at = 0
        # Values, as the shape guard counts them: the root, at most two per line (a list item holding a
        # mapping's first entry), and each scalar of a flow list or mapping, counted as it is read.
        self.nodes = 1 + 2 * len(tokens)
        self.loader = loader
        self.resolvers = loader.yaml_implicit_resolvers
        self.constructors = loader.yaml_constructors
        self.keys = _KEYS.setdefault(type(loader), {})
        self.lines = _LINES.setdefault(type(loader), {})

    def block(self, depth: int) -> Any:
        """The mapping or sequence whose first line is the current token."""
        indent, content = self.tokens[self.at]
        if content[:2] in _ITEM:
            return self.sequence(indent, depth, indentless=False)
        return self.mapping(indent, depth, content)

    def mapping(self, column: int, depth: int, content: str) -> dict[Any, Any]:
        """Entries at `column`; `content` is the first one's text (after '- ' for a mapping in a list item)."""
        if depth > MAX_DEPTH:
            raise _NotSubset
        mapping: dict[Any, Any] = {}
        tokens, count, lines, at = self.tokens, len(self.tokens), self.lines, self.at
        while True:
            known = lines.get(content)
            if known is None:
                known = self.entry(content, depth)
                if len(lines) < _LINES_KEPT and type(known[1]) in _IMMUTABLE:
                    lines[content] = known
            key, value = known
            at += 1
            if value is _NESTED:
                self.at = at
                mapping[key] = self.nested(column, depth, in_mapping=True)
                at = self.at
            else:
                mapping[key] = value
            if at == count:
                self.at = at
                return mapping
            indent, content = tokens[at]
            if indent < column:
                self.at = at
                return mapping
            if indent > column or content[:2] in _ITEM:
                raise _NotSubset

    def entry(self, content: str, depth: int) -> tuple[Any, Any]:
        """The key and value of the entry line `content` (value _NESTED: on the lines below)."""
        split = content.find(": ")
        if split >= 0:
            key_text, rest = content[:split], content[split + 2:].lstrip(" ")
        elif content[-1] == ":":
            key_text, rest = content[:-1], ""
        else:
            raise _NotSubset  # a line that is no entry: a multi-line scalar, or an error
        key = self.keys.get(key_text, _MISSING)
        if key is _MISSING:
            if not key_text or key_text[0] in _INDICATORS or ":" in key_text or key_text[-1] == " " \
                    or len(key_text) > _MAX_KEY_CHARS:
                raise _NotSubset
            key = self.plain(key_text)
            if len(self.keys) < _KEYS_KEPT:
                self.keys[key_text] = key
        if not rest:
            return key, _NESTED
        if rest[0] in _INDICATORS or ": " in rest or rest[-1] == ":" or len(rest) > MAX_STRING_CHARS \
                or rest[0] in self.resolvers:
            return key, self.scalar(rest, depth + 1)
        return key, rest  # plain text that no implicit resolver reads (the common value)

    def sequence(self, column: int, depth: int, *, indentless: bool) -> list[Any]:
        """Items ('- ') at `column`; `indentless`: the value of a mapping key at the same column."""
        if depth > MAX_DEPTH:
            raise _NotSubset
        items: list[Any] = []
        tokens, count = self.tokens, len(self.tokens)
        content = tokens[self.at][1]
        while True:
            rest = content[1:]
            item = rest.lstrip(" ")
            if not item:
                self.at += 1
                items.append(self.nested(column, depth, in_mapping=False))
            elif item[:2] in _ITEM:
                raise _NotSubset  # '- - x': a sequence in a sequence on one line
            elif ": " in item or item[-1] == ":":
                items.append(self.mapping(column + len(rest) - len(item) + 1, depth + 1, item))
            else:
                self.at += 1
                items.append(self.scalar(item, depth + 1))
            if self.at == count:
                return items
            indent, content = tokens[self.at]
            if indent < column:
                return items
            if indent == column:
                if content[:2] in _ITEM:
                    continue
                if indentless:
                    return items
            raise _NotSubset

    def nested(self, column: int, depth: int, *, in_mapping: bool) -> Any:
        """The value of a key or item whose line ends there: a deeper block, an indentless list, or null."""
        if self.at < len(self.tokens):
            indent, content = self.tokens[self.at]
            if indent > column:
                return self.block(depth + 1)
            if in_mapping and indent == column and content[:2] in _ITEM:
                return self.sequence(column, depth + 1, indentless=True)
        return self.plain("")

    def scalar(self, text: str, depth: int) -> Any:
        """A value written on its key's or item's line."""
        first = text[0]
        if first not in _INDICATORS:
            if ": " in text or text[-1] == ":":
                raise _NotSubset  # YAML refuses a second ': ' on the line
            return self.plain(text)
        if first == "'":
            inner = text[1:-1]
            if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
                raise _NotSubset
            return _text(inner.replace("''", "'"))
        if first == '"':
            match = _DOUBLE_QUOTED.fullmatch(text)
            if match is None:
                raise _NotSubset
            return _text(_ESCAPE.sub(_unescape, match.group(1)))
        if depth > MAX_DEPTH or text[-1] != _CLOSING.get(first):
            raise _NotSubset
        inner = text[1:-1]
        parts = inner.split(",") if inner else []
        if first == "[":
            return [self.flow_plain(part) for part in parts]
        if len(parts) > MAX_KEYS:
            raise _NotSubset
        mapping: dict[Any, Any] = {}
        for part in parts:
            key, colon, value = part.partition(": ")
            if not colon:
                raise _NotSubset
            mapping[self.flow_plain(key)] = self.flow_plain(value)
        return mapping

    def flow_plain(self, text: str) -> Any:
        """A plain scalar inside one-line `[...]` or `{...}`: no nesting, no quotes, no ':' '?' '#'."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _NotSubset
        text = text.strip(" ")
        if not text or text[0] in _INDICATORS or not _FLOW_UNSAFE.isdisjoint(text):
            raise _NotSubset
        return self.plain(text)

    def plain(self, text: str) -> Any:
        """A plain scalar, resolved and built as the loader would."""
        for tag, regexp in self.resolvers.get(text[:1], ()):
            if regexp.match(text):
                if tag not in _BUILT:
                    raise _NotSubset
                try:
                    return self.constructors[tag](self.loader, yaml.ScalarNode(tag, text))
                except Exception:  # noqa: BLE001 - e.g. an int past Python's digit limit: the exact path's to tell
                    raise _NotSubset from None
        return _text(text)


def _text(value: str) -> str:
    if len(value) > MAX_STRING_CHARS:
        raise _NotSubset
    return value


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) == 1:
        if code not in _ESCAPES:
            raise _NotSubset
        return _ESCAPES[code]
    value = int(code[1:], 16)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        raise _NotSubset
    return chr(value)
