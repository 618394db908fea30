"""The standards loader: every file meta-checked, errors naming file and line, compiled once and cached."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

import standards as standards_package
from catalog.standards import StandardsError, load_standards
from catalog.standards.loader import REQUIRED

SHIPPED = Path(standards_package.__file__).parent


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "standards"
    shutil.copytree(SHIPPED, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def test_shipped_standards_load_and_list() -> None:
    loaded = load_standards()
    ids = {row["id"] for row in loaded.list()}
    assert set(REQUIRED) <= ids
    for row in loaded.list():
        assert row["version"] and row["title"] and (SHIPPED / row["file"]).is_file()
    assert loaded.get("naming")["identifier"]["max_length"] == 40
    assert len(loaded.get("data-elements")["elements"]) >= 80
    with pytest.raises(KeyError):
        loaded.get("nope")


def test_loaded_once_per_directory() -> None:
    assert load_standards() is load_standards()
    assert load_standards(SHIPPED) is load_standards()


def test_settings_override_directory(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings' folder is the Catalog's; the domain never reads MULU_STANDARDS_DIR itself."""
    from catalog.core import standards_dir
    from catalog.settings import get_settings

    monkeypatch.setenv("MULU_STANDARDS_DIR", str(copy))
    assert load_standards().directory == SHIPPED.resolve()
    assert load_standards(standards_dir(get_settings())).directory == copy.resolve()


def test_schema_enums_follow_the_code_lists() -> None:
    loaded = load_standards()
    lists, props = loaded.get("code-lists"), loaded.get("core-metadata")["properties"]
    assert props["share"]["properties"]["type"]["enum"] == [c["name"] for c in lists["share_types"]]
    assert props["update_cycle"]["enum"] == [c["name"] for c in lists["update_cycles"]]
    assert props["format"]["properties"]["category"]["enum"] == [c["name"] for c in lists["format_categories"]]
    assert props["items"]["items"]["properties"]["data_type"]["enum"] == [c["code"] for c in
                                                                         lists["item_data_types"]]


def _replace(path: Path, old: str, new: str) -> int:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(("file", "old", "new"), [
    ("departments.yaml", 'code: "330782102"', 'code: "12"'),
    ("data-elements.yaml", "data_type: C", "data_type: X"),
    ("naming.yaml", "max_length: 40", "max_length: forty"),
    ("code-lists.yaml", "frictionless: string", "frictionless: text"),
    ("classification.yaml", 'code: "01"', 'code: "1"'),
])
def test_broken_file_is_named_with_its_line(copy: Path, file: str, old: str, new: str) -> None:
    line = _replace(copy / file, old, new)
    with pytest.raises(StandardsError) as caught:
        load_standards(copy)
    assert f"{copy / file}:{line}:" in caught.value.message


def test_broken_yaml_syntax_is_named_with_its_line(copy: Path) -> None:
    (copy / "synonyms.yaml").write_text("id: synonyms\nversion: 1.0.0\ntitle: t\ngroups: [[a, b]\n", "utf-8")
    with pytest.raises(StandardsError, match=r"synonyms.yaml:5: YAML 格式错误"):
        load_standards(copy)


def test_json_schema_standard_must_be_valid_2020_12(copy: Path) -> None:
    path = copy / "interface-contract.schema.json"
    line = _replace(path, '"minItems": 1', '"minItems": "one"')
    with pytest.raises(StandardsError) as caught:
        load_standards(copy)
    assert f"{path}:{line}:" in caught.value.message and "JSON Schema" in caught.value.message


def test_missing_standard_is_named(copy: Path) -> None:
    (copy / "synonyms.yaml").unlink()
    with pytest.raises(StandardsError, match="synonyms"):
        load_standards(copy)


def test_unknown_extra_standard_needs_only_id_version_title(copy: Path) -> None:
    (copy / "broken.yaml").write_text("id: broken\ntitle: 无版本\n", "utf-8")
    with pytest.raises(StandardsError, match="broken.yaml:1:"):
        load_standards(copy)
    (copy / "broken.yaml").unlink()
    (copy / "extra.yaml").write_text("id: extra\nversion: 1.0.0\ntitle: 附加\n", "utf-8")
    assert load_standards(copy).get("extra")["title"] == "附加"


@pytest.mark.parametrize(("file", "old", "new"), [
    ("departments.yaml", 'code: "330782102"', 'code: "12"'),
    ("naming.yaml", "max_length: 40", "max_length: forty"),
    ("classification.yaml", 'code: "01"', 'code: "1"'),
    ("interface-contract.schema.json", '"minItems": 1', '"minItems": "one"'),
    ("departments.yaml", "departments:", "departments: []\nunknown_key:"),
])
def test_the_compiled_meta_check_reports_what_jsonschema_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str, old: str, new: str) -> None:
    """The loader asks jsonschema_rs first and jsonschema only for a failing file: the message a steward reads
    is the one jsonschema alone gives (same file, line, pointer and words)."""
    messages = []
    for name, blocked in (("fast", False), ("exact", True)):
        folder = tmp_path / name
        shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
        _replace(folder / file, old, new)
        with monkeypatch.context() as patch:
            if blocked:
                patch.setitem(sys.modules, "jsonschema_rs", None)  # import raises ImportError
            with pytest.raises(StandardsError) as caught:
                load_standards(folder)
        messages.append(caught.value.message.replace(str(folder), "DIR"))
    assert messages[0] == messages[1]
    assert f"DIR/{file}:" in messages[0]
