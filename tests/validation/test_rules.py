"""Every rule has a record that breaks it: the exact rule id and pointer, and no other error."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog.records import read_record_file
from catalog.standards import load_standards
from catalog.validation import RULES, audit, validate_record
from catalog.validation.rules import WRITE_RULES

HERE = Path(__file__).parent
VALID = HERE / "valid_record.yaml"
EXAMPLES = sorted((HERE.parent / "invalid_records").glob("*.yaml"))
NOT_TRIGGERABLE = {"schema.other",  # fallback for keywords the shipped core schema does not use
                   "text.too-long"}  # raised by the shape guard before validation (tests/security)


def expectations(path: Path) -> list[tuple[str, str]]:
    found = re.findall(r"^# expect: (\S+) (\S*)$", path.read_text("utf-8"), re.MULTILINE)
    assert found, f"{path.name} states no '# expect: <rule> <pointer>'"
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_invalid_example_breaks_exactly_its_rule(path: Path) -> None:
    expected = expectations(path)
    result = audit([(str(VALID), read_record_file(VALID)), (str(path), read_record_file(path))])
    report = result.reports[str(path)]
    got = {(f.rule, f.path) for f in report.findings}
    for rule, ptr in expected:
        assert (rule, ptr) in got, f"{path.name}: expected {rule} at {ptr}, got {sorted(got)}"
    unexpected_errors = {(f.rule, f.path) for f in report.errors} - set(expected)
    assert not unexpected_errors, f"{path.name}: other errors {sorted(unexpected_errors)}"
    severities = {RULES[rule].severity for rule, _ in expected}
    assert report.valid == (severities == {"warning"})
    assert result.reports[str(VALID)].errors == [] or expected[0][0].startswith("cross.")


def test_every_rule_has_an_invalid_example() -> None:
    covered = {rule for path in EXAMPLES for rule, _ in expectations(path)}
    assert set(RULES) - NOT_TRIGGERABLE - WRITE_RULES - covered == set()
    assert covered <= set(RULES)


def test_valid_record_has_no_findings() -> None:
    report = validate_record(read_record_file(VALID), source="valid")
    assert report.valid and report.findings == []


def test_every_x_rule_of_the_core_schema_is_in_the_table() -> None:
    text = (load_standards().files["core-metadata"]).read_text("utf-8")
    used = set(re.findall(r'"x-rule": "([^"]+)"', text))
    assert used and used <= set(RULES)


def test_rules_table_is_well_formed() -> None:
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z]+\.[a-z][a-zA-Z-]*", rule.id)
        assert rule.severity in ("error", "warning") and rule.template and rule.en
    assert RULES["naming.near-miss"].severity == "warning"
    assert RULES["naming.element-length"].severity == "error"


def test_near_miss_suggests_the_standard_element() -> None:
    record = read_record_file(VALID)
    record["items"][0] = {"name": "统一信用代码", "identifier": "uscc_code", "data_type": "C", "length": 18}
    [hit] = [f for f in validate_record(record).findings if f.rule == "naming.near-miss"]
    assert hit.suggestion and hit.suggestion.startswith("统一社会信用代码 (unified_social_credit_code")


def test_fuzzy_near_miss_without_alias() -> None:
    record = read_record_file(VALID)
    record["items"][1] = {"name": "企业名字称", "identifier": "enterprise_title_name", "data_type": "C",
                          "length": 200}
    hits = [f for f in validate_record(record).findings if f.rule == "naming.near-miss"]
    assert [h.path for h in hits] == ["/items/1/name"] and "企业名称" in hits[0].message


def test_integer_provider_code_from_unquoted_yaml_is_reported() -> None:
    record = read_record_file(VALID)
    record["provider_code"] = 330782101
    rules = {(f.rule, f.path) for f in validate_record(record).errors}
    assert ("provider.code-format", "/provider_code") in rules


def test_dangling_related_accepts_known_codes_from_a_database() -> None:
    record = read_record_file(VALID)
    record["related"] = ["102001/000001"]
    assert not audit([("a", record)]).valid
    assert audit([("a", record)], known_codes=frozenset({"102001/000001"})).valid


def test_audit_summary_per_provider() -> None:
    good = read_record_file(VALID)
    bad = dict(good, name="另一个资源", code="301001330782101/000002", update_cycle="每天")
    result = audit([("good", good), ("bad", bad)])
    assert not result.valid
    [row] = result.summary().values()
    assert row == {"provider_code": "330782101", "provider": "义乌市市场监督管理局", "records": 2,
                   "invalid": 1, "errors": 1, "warnings": 0}
    assert result.to_dict()["invalid_records"] == 1


def test_non_mapping_record_is_a_finding_not_a_crash() -> None:
    report = validate_record(["not", "a", "record"])  # type: ignore[arg-type]
    assert [f.rule for f in report.errors] == ["schema.type"]


@pytest.mark.parametrize("garbage", [
    {"items": "x", "format": {"category": "数据库"}}, {"items": [1, None, {"name": ["x"]}]},
    {"share": {"type": ["有条件共享"]}}, {"interface": {"operations": [1, {"path": 5, "request": []}]}},
    {"classification": 301001, "code": ["x"], "related": [1, None]},
])
def test_malformed_shapes_give_findings_not_exceptions(garbage: dict) -> None:
    record = dict(read_record_file(VALID), **garbage)
    assert not validate_record(record).valid
