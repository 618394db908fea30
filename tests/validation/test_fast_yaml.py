"""The fast YAML path of `parse_record_text` (the block reader, then libyaml's node tree and one iterative
build) parses identically to the exact path (event-stream guard, `yaml.load`, shape guard): the same value,
or the same error and message, over the seed, every YAML file of the tests, the hostile corpus, tables of
tricky documents, random re-dumps and random edits of records. Each step is also compared on its own."""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalog import records
from catalog.errors import CatalogError
from catalog.input_shape import MAX_KEYS, MAX_STRING_CHARS
from tests.hostile.corpus import cases

ROOT = Path(__file__).resolve().parents[2]

TRICKY = [
    "name: a\nname: b\ncode: 1\n",  # a repeated key: the last value wins, in the first key's place
    "a: yes\nb: No\nc: on\nd: ~\ne: null\nf: ''\ng:\n",  # YAML 1.1 booleans and nulls
    "a: 0o17\nb: 017\nc: 0x1F\nd: 1_000\ne: 1:30\nf: +12\ng: -0\n",  # ints, octal, sexagesimal
    "a: 1.5\nb: .inf\nc: -.Inf\nd: .nan\ne: 1e3\nf: 6.8523015e+5\ng: 1_0.5\n",  # floats
    "a: 2024-01-02\nb: 2024-1-2\nc: 2001-12-14t21:59:43.10-05:00\nd: 2001-12-14 21:59:43.10\n",  # timestamps
    "a: '2024-01-02'\nb: \"yes\"\nc: '1'\nd: \"\\u4e2d\\t\\x41\"\ne: 'it''s'\n",  # quoted scalars stay text
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",  # merge key through an anchor
    "merged:\n  <<: {x: 1}\n  y: 2\n",  # merge key without an anchor
    "a: =\n= : b\n",  # the value tag
    "? [a, b]\n: c\n",  # a sequence as a key
    "? {a: 1}\n: c\n",  # a mapping as a key
    "1: a\n2.5: b\ntrue: c\nnull: d\n2024-01-02: e\n",  # non-text keys
    "a: [1, [2, [3, {b: c}]]]\nd: {e: [f, {g: h}]}\ne: []\nf: {}\n",  # flow collections
    "- a\n- b: c\n  d: [e]\n- - f\n  - g\n",  # a sequence at the root
    "just text\n",  # a scalar at the root
    "---\na: 1\n---\nb: 2\n",  # two documents
    "--- \n...\n",  # an empty document
    "# only a comment\nname: x # and another\n",
    "text: |\n  line one\n  line two\n\nfolded: >\n  a\n  b\n\n  c\n",  # block scalars
    "long: this plain scalar\n  runs over\n\n  several lines\n",  # multi-line plain scalar
    "a: !!str 123\nb: !!int '7'\n",  # explicit tags
    "a: !!binary aGVsbG8=\n",
    "a: !!python/object/apply:os.system ['true']\n",  # refused: not a safe tag
    "a: !custom x\n",
    'a: !!bool "fals"\n', "a: !!int '2%'\n", "a: !!float x\n", "a: !!timestamp 2024-13-45\n",  # bad tagged values
    "a: !!int 1" + "0" * 5000 + "\n", "a: 1" + "0" * 5000 + "\n",  # past Python's int digit limit
    "%YAML 1.1\n---\na: 1\n",
    "a: b: c\n",  # syntax errors
    "a: [b\n",
    "a:\n  - b\n c: d\n",
    "a:\t b\n",
    "\ufeffname: 带 BOM\n",
    "name: \"控制\\x00字符\"\n",
    "name: \"\\ud800\"\n",
    "name: 双向\u202e控制\n",
    "a: " + "[" * 65 + "]" * 65 + "\n",  # nesting just past the bound
    "a: " + "[" * 63 + "]" * 63 + "\n",  # and just within it
    "- " * 64 + "x\n",
    "- " * 70 + "x\n",
    "\n".join(f"k{i}: {i}" for i in range(MAX_KEYS + 1)) + "\n",  # one key too many
    "a: " + "长" * (MAX_STRING_CHARS + 1) + "\n",  # a value too long
    "长" * (MAX_STRING_CHARS + 1) + ": 1\n",  # a key too long
    "a: " + "x" * MAX_STRING_CHARS + "\n",
    "a: " + ", ".join(["b"] * 3000) + "\n" + "c: [" + ", ".join(["d: e"] * 2000) + "]\n",  # many indicators
]


def outcome(data: bytes, *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(records, "_fast_yaml", lambda text: records._FALLBACK)
        try:
            return "value", records.parse_record_text(data, source="doc.yaml")
        except CatalogError as exc:
            return type(exc).__name__, (exc.message, [f.to_dict() for f in exc.findings])
        except Exception as exc:  # noqa: BLE001 - a crash of the exact path must be the fast path's crash too
            return type(exc).__name__, str(exc)


def same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to itself and bool, int and float told apart."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and a != a:
        return b != b
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def corpus() -> list[tuple[str, bytes]]:
    files = sorted([*(ROOT / "seed").rglob("*.yaml"), *(ROOT / "tests").rglob("*.yaml")])
    out = [(str(p.relative_to(ROOT)), p.read_bytes()) for p in files]
    out += [(f"hostile:{c.id}", c.payload) for c in cases() if isinstance(c.payload, bytes)]
    out += [(f"tricky:{i}", text.encode("utf-8")) for i, text in enumerate(TRICKY)]
    return out


def test_the_fast_path_parses_exactly_like_the_exact_path(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = corpus()
    assert len(documents) > 300
    differ = []
    for name, data in documents:
        fast, exact = outcome(data, fast=True, monkeypatch=monkeypatch), outcome(data, fast=False,
                                                                                  monkeypatch=monkeypatch)
        if not same(fast, exact):
            differ.append((name, str(fast)[:200], str(exact)[:200]))
    assert not differ, differ[:5]


def test_the_fast_path_is_taken_for_ordinary_records_and_refused_where_it_could_differ() -> None:
    seed = sorted((ROOT / "seed").rglob("*.yaml"))
    taken = [p for p in seed if records._fast_yaml(p.read_text("utf-8")) is not records._FALLBACK]
    assert len(taken) >= 0.9 * len(seed), f"only {len(taken)} of {len(seed)} seed records take the fast path"
    for text in ("a: &x 1\nb: *x\n", "a: !!str 1\n", "a: " + "[" * 6000 + "]" * 6000 + "\n",
                 "merged:\n  <<: {x: 1}\n", "a: [b\n", "- " * 70 + "x\n",
                 "\n".join(f"k{i}: {i}" for i in range(MAX_KEYS + 1))):
        assert records._fast_yaml(text) is records._FALLBACK, text[:40]


def test_random_records_parse_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records built from random parts of the seed, dumped in every style the dumper has."""
    rng = random.Random(19)
    seed = [yaml.safe_load(p.read_text("utf-8")) for p in sorted((ROOT / "seed").rglob("*.yaml"))[:40]]
    scalars: list[Any] = ["yes", "No", "0o17", "017", "1:30", "2024-01-02", "~", "", " 前后空格 ", "a: b", "#x",
                          "- x", "长" * 90, "多行\n文本\n", 0, -7, 1.5, True, None, "[x]", "{y}", "'q'", '"dq"']
    differ = []
    for i in range(300):
        record = dict(rng.choice(seed))
        for _ in range(3):
            record[rng.choice(list(record))] = rng.choice(scalars)
        style = rng.choice([None, "'", '"', "|", ">"])
        flow = rng.choice([None, True, False])
        text = yaml.dump(record, Dumper=yaml.SafeDumper, allow_unicode=rng.random() < 0.8, default_style=style,
                         default_flow_style=flow, width=rng.choice([40, 80, 1000]), sort_keys=rng.random() < 0.5)
        data = text.encode("utf-8")
        fast, exact = outcome(data, fast=True, monkeypatch=monkeypatch), outcome(data, fast=False,
                                                                                  monkeypatch=monkeypatch)
        if not same(fast, exact):
            differ.append((i, text[:300]))
    assert not differ, differ[:3]


def test_the_quick_text_check_hides_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """text_findings skips its walk when one JSON pass finds nothing suspect: for every character class the
    rule refuses, in a key, a value, a name and a list, the findings are those of the walk itself."""
    from catalog.standards import load_standards
    from catalog.validation import text

    standards = load_standards()
    base = yaml.safe_load((ROOT / "tests" / "validation" / "valid_record.yaml").read_text("utf-8"))
    chars = [chr(c) for c in [*range(0, 32), 0x7F, 0xD800, 0xDFFF, 0x061C, 0x200E, 0x200F,
                              *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x85]]
    chars += ["\\u0000", "\\b", "\\f", "\\"]  # text that looks like an escape
    compared = 0
    for char in chars:
        for place in ("key", "value", "name", "keyword"):
            record = dict(base, keywords=list(base.get("keywords") or []))
            if place == "key":
                record[f"x{char}"] = 1
            elif place == "value":
                record["abstract"] = f"摘要{char}"
            elif place == "name":
                record["name"] = f"名称{char}"
            else:
                record["keywords"].append(f"词{char}")
            quick = text.text_findings(record, standards=standards, source="r")
            with monkeypatch.context() as patch:
                patch.setattr(text, "_surely_clean", lambda record: False)
                walked = text.text_findings(record, standards=standards, source="r")
            assert quick == walked, (hex(ord(char[0])), place)
            compared += bool(walked)
    assert compared > 100  # the walk did find something in most of them


# The block reader (catalog/block_yaml.py) runs before the node tree. It must give the exact path's value
# wherever it answers at all; everything below is checked against the exact path through `outcome`.
BLOCK_TRICKY = [
    "a: 1\nb:\n  c: 2\n  d:\n  - x\n  - y: 1\n    z:\n  - - nested\ne: last\n",  # indentless lists, nulls
    "items:\n- name: a\n  id: b\n- name: c\nnext: 1\n",
    "- a:\n  - x\n- b:\n- c\n-\n  d: e\n-\n- f: g\n  h: i\n",  # compact mappings, empty items
    "-   a: 1\n    b: 2\n-   c\n",  # wide item indents
    "  a: 1\n  b: 2\n",  # an indented root
    "a: 1\n  b: 2\n",  # a deeper line after a value: a multi-line plain scalar
    "a:\n    b: 1\n  c: 2\n",  # an indent that fits no open block
    "a:\n  - x\n  b: 1\n",
    "a:\n  - x\n - y\n",
    "a: 1\n- x\n",
    "- x\na: 1\n",
    "a:\n- x\nb: 1\n- y\n",
    "yes: 1\nNo: 2\n~: 3\n1: 4\n0o17: 5\n1:30: 6\n2024-01-02: 7\n.nan: 8\n.inf: 9\n-1: 10\n",  # keys that resolve
    "1: a\ntrue: b\n1.0: c\n",  # keys equal as Python values: the first key stays, the last value wins
    "a: yes\nb: Off\nc: 0x1F\nd: 0b101\ne: 1_000\nf: 190:20:30\ng: +1.5e3\nh: .5\ni: 1.\nj: 2001-12-14 21:59:43.10\n"
    "k: 2001-12-14t21:59:43.10-05:00\nl: 2024-1-2\nm: NULL\nn: Null\no: nULL\np: 0o8\nq: 09\nr: 1e3\ns: =\nt: <<\n",
    "a: [yes, 0o17, 1:30, ~, 2024-01-02, .inf, x y, 'q']\nb: {yes: no, 1: 2, ~: ~}\nc: [a,b]\nd: [ a , b ]\n",
    "a: [a, ]\nb: [, a]\nc: [ ]\nd: { }\ne: [a: b]\nf: {a}\ng: {a: b: c}\nh: [[a]]\ni: [a]b\n",
    "a: 'it''s'\nb: ''''\nc: 'a'' ''b'\nd: 'x' y'\ne: 'open\nf: ''\ng: '\n",
    'a: "\\u4e2d\\x41\\U0001F600\\t\\n\\\\\\"\\/\\0\\a\\b\\v\\f\\r\\e\\ \\N\\_\\L\\P"\nb: "\\\'"\nc: "\\ud800"\n'
    'd: "\\xZZ"\ne: "\\U00110000"\nf: "a"b"\ng: "open\nh: ""\n',
    "a: b: c\n", "a: b:\n", "a: -\n", "a: - b\n", "a: -1\n", "a: ?\n", "a: ? b\n", "a: :b\n", "a: ,b\n",
    "a: |\n  x\n", "a: >\n  x\n", "a: @x\n", "a: `x\n", "a: %x\n", "%x: 1\n", "a: x#y\n", "a: x #y\n",
    "# head\na: 1 # tail\n  # deeper comment\nb: 2\n#\n", "a:\n# between\n  b: 1\n",
    "a:b\n", "a :b\n", "a : b\n", "a:  b\n", "a:   \n", "a: b  \n", "a:\tb\n", "a: b\r\nc: d\r\n",
    "a: b\x85c\n", "a: b\u2028c\n", "a: b\u2029c\n", "a: b\ufeffc\n", "a: b\xa0c\n", "\xa0a: b\n", "a: \xa0\n",
    "a: b\u202ec\n", "a: \U0001F600\n", "a: \ufffd\n",
    "---\na: 1\n", "a: 1\n---\n", "a: 1\n...\n", "....: 1\n", "---a: 1\n", "a: ---\n",
    "a: 1\na: 2\na:\n", "a:\n", "a:\n\n\n", "-\n", "- \n", "-\n-\n", "x\n", "- - x\n", "-x: 1\n", "- -x\n",
    "k" * 200 + ": 1\n", "k" * 201 + ": 1\n", "长" * 300 + ": 1\n",
    "a: " + "[" * 3 + "]" * 3 + "\n",
    "".join(" " * i + "k:\n" for i in range(70)),  # nesting past MAX_DEPTH, one key a level
    "".join(" " * i + "k:\n" for i in range(63)) + " " * 63 + "k: []\n",
    "".join(" " * i + "k:\n" for i in range(64)) + " " * 64 + "k: []\n",
    "".join("  " * i + "-\n" for i in range(70)),
    "\n".join(f"k{i}: {i}" for i in range(MAX_KEYS)) + "\n",
    "a: <<\n<<: 1\n=: 2\n",
]


def block_outcome(data: bytes, *, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """`outcome` with the block reader in front of the exact path alone (no node tree)."""
    with monkeypatch.context() as patch:
        patch.setattr(records, "_node_yaml", lambda text: records._FALLBACK)
        return outcome(data, fast=True, monkeypatch=monkeypatch)


def test_the_block_reader_reads_exactly_like_the_exact_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from catalog.block_yaml import NOT_SUBSET, parse_block_yaml

    documents = corpus() + [(f"block:{i}", text.encode("utf-8")) for i, text in enumerate(BLOCK_TRICKY)]
    differ, read = [], 0
    for name, data in documents:
        block, exact = block_outcome(data, monkeypatch=monkeypatch), outcome(data, fast=False,
                                                                            monkeypatch=monkeypatch)
        if not same(block, exact):
            differ.append((name, str(block)[:200], str(exact)[:200]))
        text = data.decode("utf-8-sig", "replace")
        read += parse_block_yaml(text, loader=records._SCALARS) is not NOT_SUBSET
    assert not differ, differ[:5]
    assert read > 250  # most of the seed and the tests' records, and many tricky documents


def test_the_block_reader_takes_generated_and_seed_records_and_refuses_what_it_cannot_prove(
        tmp_path: Path) -> None:
    from bench.audit_bench import generate
    from catalog.block_yaml import NOT_SUBSET, parse_block_yaml

    generate(tmp_path, 60)
    generated = sorted(tmp_path.rglob("*.yaml"))
    seed = sorted((ROOT / "seed").rglob("*.yaml"))
    refused = [p for p in [*generated, *seed] if parse_block_yaml(p.read_text("utf-8"), loader=records._SCALARS)
               is NOT_SUBSET]
    assert not [p for p in refused if p in generated]
    assert len(refused) <= 0.05 * len(seed), refused
    for text in ("a: 1\n  b\n", "a: x # c\n", "a: |\n  x\n", "<<: {a: 1}\n", "a: \"\\'\"\n", "a: b\r\n",
                 "a:\n    b: 1\n  c: 2\n", "a: 'x\n  y'\n", "- - x\n", "---\na: 1\n", "a: 1\nb: [c: d]\n"):
        assert parse_block_yaml(text, loader=records._SCALARS) is NOT_SUBSET, text


MUTATIONS = [" ", "  ", "\n", "-", "- ", ":", ": ", "#", " #", "'", '"', "[", "]", "{", "}", ",", "?", "\t", "\\",
             "&", "*", "!", "|", ">", "%", "@", "`", "~", "0", "1", ".", "y", "n", "\r", "\x85", "\u2028", "\xa0",
             "---", "...", "<<", "=", "0o", "0x", "1:", "2024-01-02", "\\u4e2d", "''", ". "]


def mutated(text: str, rng: random.Random) -> str:
    """`text` with one to three random edits: characters put in, taken out or replaced; lines re-indented,
    doubled or dropped."""
    for _ in range(rng.randint(1, 3)):
        lines = text.split("\n")
        at = rng.randrange(len(text) + 1)
        kind = rng.randrange(6)
        if kind == 0:
            text = text[:at] + rng.choice(MUTATIONS) + text[at:]
        elif kind == 1:
            text = text[:at] + text[at + rng.randint(1, 3):]
        elif kind == 2:
            text = text[:at] + rng.choice(MUTATIONS) + text[at + 1:]
        else:
            n = rng.randrange(len(lines))
            if kind == 3:
                lines[n] = " " * rng.choice([1, 2, 3, 4]) + lines[n] if rng.random() < 0.6 else lines[n][1:]
            elif kind == 4:
                lines.insert(n, lines[n])
            else:
                del lines[n]
            text = "\n".join(lines)
    return text


def test_randomly_edited_records_parse_alike(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Records of every origin (seed, generated, re-dumped in every style), edited at random in the places YAML
    is touchy about: wherever the block reader answers, it is the exact path's value or error."""
    from bench.audit_bench import generate

    rng = random.Random(1912)
    generate(tmp_path, 40)
    texts = [p.read_text("utf-8") for p in sorted(tmp_path.rglob("*.yaml"))]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "seed").rglob("*.yaml"))[::6]]
    for record in [yaml.safe_load(t) for t in texts[:20]]:
        for _ in range(3):
            texts.append(yaml.dump(record, Dumper=yaml.SafeDumper, allow_unicode=rng.random() < 0.7,
                                   default_style=rng.choice([None, None, "'", '"']),
                                   default_flow_style=rng.choice([False, None]), indent=rng.choice([2, 3, 4]),
                                   width=rng.choice([30, 80, 1000]), explicit_start=rng.random() < 0.2))
    differ, compared = [], 0
    for i in range(1500):
        text = mutated(rng.choice(texts), rng)
        data = text.encode("utf-8", "surrogatepass")
        exact = outcome(data, fast=False, monkeypatch=monkeypatch)
        for fast in (outcome(data, fast=True, monkeypatch=monkeypatch), block_outcome(data, monkeypatch=monkeypatch)):
            compared += 1
            if not same(fast, exact):
                differ.append((i, text[:400], str(fast)[:200], str(exact)[:200]))
    assert not differ, differ[:3]
    assert compared == 3000


def test_a_clean_source_has_no_text_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """`clean_source(data)` lets the audit skip text hygiene: wherever it says clean, text_findings of the parsed
    record is empty; every character the rule refuses, written raw or escaped, in a key or a value, is unclean."""
    from catalog.standards import load_standards
    from catalog.validation.text import clean_source, text_findings

    standards = load_standards()
    skipped = 0
    documents = corpus() + [(f"block:{i}", text.encode("utf-8")) for i, text in enumerate(BLOCK_TRICKY)]
    for code in [*range(0, 32), 0x7F, 0x85, 0xD800, 0xDFFF, 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                 *range(0x2066, 0x206A), 0x2028, 0xFEFF]:
        char = chr(code)
        for text in (f"name: 名称{char}x\n", f"k{char}: v\n", f'name: "名{char}"\n', f"keywords: [a{char}]\n",
                     yaml.dump({"name": f"名{char}", f"k{char}": 1}, allow_unicode=True),
                     json.dumps({"name": f"名{char}"}), json.dumps({"name": f"名{char}"}, ensure_ascii=False)):
            documents.append((f"char:{code:x}", text.encode("utf-8", "surrogatepass")))
    for name, data in documents:
        kind, record = outcome(data, fast=True, monkeypatch=monkeypatch)
        if kind != "value":
            continue
        found = text_findings(record, standards=standards, source="r")
        if clean_source(data):
            assert found == [], name
        else:
            skipped += 1
    assert skipped > 60  # the refused characters were all seen as unclean, and the findings were there to see
