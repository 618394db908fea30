"""One rule table: every rule id a finding is made with anywhere in catalog/ is in RULES, with the severity
the call site gives it. Read from the source, so a new finding with an unregistered id fails here."""
from __future__ import annotations

import re
from pathlib import Path

from catalog.validation import RULES

CATALOG = Path(__file__).resolve().parents[2] / "catalog"
# Finding("rule.id", "severity", …) and <report>.add("rule.id", "severity", …): the two ways a finding is made
# with a literal id besides finding(rule_id, …), which reads the table itself.
MADE = re.compile(r"""(?:\bFinding\(|\.add\()\s*["']([a-z][a-z0-9_-]*\.[a-z0-9_.-]+)["'],\s*["'](error|warning)["']""")


def call_sites() -> list[tuple[str, str, str]]:
    return [(m.group(1), m.group(2), f"{path.relative_to(CATALOG.parent)}:{text.count(chr(10), 0, m.start()) + 1}")
            for path in sorted(CATALOG.rglob("*.py")) for text in [path.read_text("utf-8")]
            for m in MADE.finditer(text)]


def test_the_scan_sees_the_findings_of_every_kind_of_door() -> None:
    kinds = {rule.split(".")[0] for rule, _, _ in call_sites()}
    assert {"department", "dcat", "mapping", "xlsx"} <= kinds  # the pattern still matches the code


def test_every_rule_id_made_in_catalog_is_in_the_table() -> None:
    unknown = [(rule, where) for rule, _, where in call_sites() if rule not in RULES]
    assert not unknown, f"rule ids outside catalog/validation/rules.py: {unknown}"


def test_every_call_site_gives_the_table_severity() -> None:
    wrong = [(rule, severity, where) for rule, severity, where in call_sites()
             if rule in RULES and RULES[rule].severity != severity]
    assert not wrong, f"severity differs from the rule table: {wrong}"
