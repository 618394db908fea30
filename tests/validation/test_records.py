"""Reading record files: UTF-8 only, safe YAML, dates as text, clear errors naming file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from catalog.errors import InvalidInput
from catalog.records import iter_record_files, parse_record_text, read_record_file


def test_yaml_dates_become_iso_strings() -> None:
    record = parse_record_text(b"published_on: 2024-03-01\nat: 2024-03-01 08:00:00\n", source="r.yaml")
    assert record == {"published_on": "2024-03-01", "at": "2024-03-01T08:00:00"}


@pytest.mark.parametrize(("data", "suffix", "needle"), [
    ("name: 企业登记\n".encode("gbk"), ".yaml", "r.yaml:1: 文件不是 UTF-8 编码"),
    (b"a: 1\nb: \xff\xfe\n", ".yaml", "r.yaml:2: 文件不是 UTF-8"),
    (b"", ".yaml", "r.yaml: 文件为空"),
    (b"# only a comment\n\n", ".yaml", "r.yaml: 文件为空"),
    (b"name: x\nitems: [a, b\nshare: 1\n", ".yaml", "r.yaml:3: YAML 格式错误"),
    (b"- a\n- b\n", ".yaml", "r.yaml:1: 资源记录应为键值映射"),
    (b'{"name": "x",\n "a": }', ".json", "r.yaml:2: JSON 格式错误"),
    (b"!!python/object/apply:os.system ['echo hi']\n", ".yaml", "r.yaml:1: YAML 格式错误"),
])
def test_unreadable_input_names_file_and_line(data: bytes, suffix: str, needle: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_record_text(data, source="r.yaml", suffix=suffix)
    assert needle in caught.value.message


def test_alias_bomb_is_rejected_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(InvalidInput, match="alias"):
        parse_record_text("\n".join(lines).encode(), source="bomb.yaml")


@pytest.mark.parametrize("text, line", [
    ("a: &a [*a]\n", 1),  # the 12-byte body that hung the server: a list containing itself
    ("name: x\na: &a 1\nb: [" + ",".join(["*a"] * 150) + "]\n", 2),
    ("name: x\na: &x [1]\nb: *x\n", 2),  # even one anchor: no standard record needs it
])
def test_yaml_anchors_and_aliases_are_refused_naming_the_line(text: str, line: int) -> None:
    with pytest.raises(InvalidInput, match=f"bomb.yaml:{line}: YAML 锚点和别名.*标准资源记录不需要") as caught:
        parse_record_text(text.encode(), source="bomb.yaml")
    assert caught.value.status == 400


def test_iter_record_files_finds_yaml_and_json_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.yaml", "1.json", "b/3.yml", "notes.txt", ".hidden.yaml"):
        (tmp_path / name).write_text('{"a": 1}\n')
    found = [p.relative_to(tmp_path).as_posix() for p in iter_record_files([tmp_path])]
    assert found == ["1.json", "b/2.yaml", "b/3.yml"]
    with pytest.raises(InvalidInput, match="不存在"):
        list(iter_record_files([tmp_path / "missing"]))
    assert read_record_file(tmp_path / "1.json") == {"a": 1}
