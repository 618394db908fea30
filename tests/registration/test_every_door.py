"""The same records through every door give the same verdict and the same findings.

Doors: POST /resources, POST /resources/bulk, POST /validate (no write), the import service (YAML tree,
as `mulu import` and POST /imports run it), the steward's web upload form, and `seed_catalogue` (`mulu
seed`). Every door acts for the same steward of department OWN, on a fresh catalogue holding one
published record of OWN and one draft of department OTHER. Cases: one record per rule of the engine
(tests/invalid_records, codes removed: only bulk, imports and seed may give codes), a record of another
department (refused before validation, with no finding), a relation to a resource that does not exist
and one to the other department's draft (both dangling for this steward), and valid records.
"""
from __future__ import annotations

import copy
import html
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.examples import RECORD
from catalog.auth import SYSTEM, Actor, create_token
from catalog.core import Catalog
from catalog.interop.service import import_input
from catalog.records import read_record_file
from catalog.registration import register_records
from catalog.seeding import load_departments, seed_catalogue
from catalog.settings import Settings
from tests.databases import any_database

HERE = Path(__file__).resolve().parent
VALID = HERE.parent / "validation" / "valid_record.yaml"
EXAMPLES = sorted((HERE.parent / "invalid_records").glob("*.yaml"))
OWN, OTHER = "330782101", "330782102"
STEWARD = Actor(name="steward-own", role="steward", department_code=OWN)
CODE_RULES = ("code.", "cross.duplicate-code")  # about input codes, which not every door accepts
Verdict = tuple[str, frozenset[tuple[Any, ...]]]


def _expectations(path: Path) -> list[tuple[str, str]]:
    return re.findall(r"^# expect: (\S+) (\S*)$", path.read_text("utf-8"), re.MULTILINE)


def cases(published_code: str, other_draft: str) -> list[tuple[str, dict[str, Any], str, set[tuple[str, str]]]]:
    """(name, record, expected verdict, (rule, pointer) that must be among the findings)."""
    out = []
    for path in EXAMPLES:
        expected = _expectations(path)
        if any(rule.startswith(CODE_RULES) for rule, _ in expected):
            continue
        record = read_record_file(path)
        record.pop("code", None)
        if record.get("provider_code") != OWN:
            out.append((path.stem, record, "forbidden", set()))
            continue
        from catalog.validation import RULES

        errors = any(RULES[rule].severity == "error" for rule, _ in expected)
        out.append((path.stem, record, "invalid" if errors else "accepted", set(expected)))
    base = read_record_file(VALID)
    base.pop("code")
    other = copy.deepcopy(RECORD) | {"name": "公安户籍草稿", "provider": "义乌市公安局", "provider_code": OTHER}
    out.append(("another-department", other, "forbidden", set()))
    out.append(("related-missing", base | {"name": "关联缺失", "related": ["102001/999999"]}, "invalid",
                {("cross.dangling-related", "/related/0")}))
    out.append(("related-invisible-draft", base | {"name": "关联草稿", "related": [other_draft]}, "invalid",
                {("cross.dangling-related", "/related/0")}))
    out.append(("related-published", base | {"name": "关联已发布", "related": [published_code]}, "accepted", set()))
    out.append(("valid", base | {"name": "企业设立登记信息（新）"}, "accepted", set()))
    return out


def _finding_key(f: dict[str, Any]) -> tuple[Any, ...]:
    return (f["rule"], f["severity"], f["path"], f["message"], f.get("suggestion"))


@contextmanager
def fresh_catalogue(kind: str, tmp_path: Path) -> Iterator[tuple[Catalog, str, str, str]]:
    """A new catalogue: (Catalog, steward token, code of OWN's published record, code of OTHER's draft)."""
    where = tmp_path / uuid.uuid4().hex[:8]
    with any_database(kind, where, prefix="mulu_doors") as db:
        catalog = Catalog.from_settings(Settings(data_dir=where / "data"), db=db)
        load_departments(db=db, standards=catalog.files)
        published = read_record_file(VALID)
        other = copy.deepcopy(RECORD) | {"name": "公安户籍信息", "provider": "义乌市公安局", "provider_code": OTHER}
        with db.transaction() as session:
            [p] = register_records(session=session, actor=SYSTEM, records=[published], allow_code=True,
                                   state="published", standards=catalog.files)
            [d] = register_records(session=session, actor=SYSTEM, records=[other], standards=catalog.files)
            token, _ = create_token(session=session, role="steward", department_code=OWN, name="steward-own")
        assert p.ok and d.ok, (p.findings, d.findings)
        try:
            yield catalog, token, published["code"], d.code or ""
        finally:
            catalog.close()


# -- the doors: each answers (verdict, findings) for one record ---------------------------------------------


def _api(status: int, body: dict[str, Any]) -> Verdict:
    if status in (200, 201) and body.get("valid", True):  # a stored resource carries its warnings
        return "accepted", frozenset(_finding_key(f) for f in body.get("findings", body.get("warnings", [])))
    if status == 403:
        return "forbidden", frozenset(_finding_key(f) for f in body.get("findings", []))
    assert status in (200, 422), body
    return "invalid", frozenset(_finding_key(f) for f in body["findings"])


def door_post(catalog: Catalog, client: TestClient, token: str, record: dict[str, Any], tmp: Path) -> Verdict:
    r = client.post("/api/v1/resources", json=record, headers={"Authorization": f"Bearer {token}"})
    return _api(r.status_code, r.json())


def door_validate(catalog: Catalog, client: TestClient, token: str, record: dict[str, Any], tmp: Path) -> Verdict:
    r = client.post("/api/v1/validate", json=record, headers={"Authorization": f"Bearer {token}"})
    return _api(r.status_code, r.json())


def door_bulk(catalog: Catalog, client: TestClient, token: str, record: dict[str, Any], tmp: Path) -> Verdict:
    r = client.post("/api/v1/resources/bulk", json=[record], headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    [item] = r.json()["data"]
    findings = frozenset(_finding_key(f) for f in item["findings"])
    if item["ok"]:
        return "accepted", findings
    return ("forbidden" if item["error"] == "forbidden" else "invalid"), findings


def _write(tmp: Path, record: dict[str, Any]) -> Path:
    folder = tmp / uuid.uuid4().hex[:8] / OWN
    folder.mkdir(parents=True)
    (folder / "record.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    return folder.parent


def door_import(catalog: Catalog, client: TestClient, token: str, record: dict[str, Any], tmp: Path) -> Verdict:
    folder = _write(tmp, record)
    summary = import_input(db=catalog.db, actor=STEWARD, fmt="yaml", name=folder.name, path=folder,
                           standards=catalog.files)
    findings = [f.to_dict() for f in summary.findings]
    if summary.stored == 1:
        return "accepted", frozenset(_finding_key(f) for f in findings)
    if [f["rule"] for f in findings] == ["forbidden"]:
        return "forbidden", frozenset()
    return "invalid", frozenset(_finding_key(f) for f in findings)


def door_seed(catalog: Catalog, client: TestClient, token: str, record: dict[str, Any], tmp: Path) -> Verdict:
    folder = _write(tmp, record)
    result = seed_catalogue(db=catalog.db, directory=folder, actor=STEWARD, standards=catalog.files)
    [outcome] = result.outcomes.values()
    findings = frozenset(_finding_key(f.to_dict()) for f in outcome.findings)
    if outcome.ok:
        return "accepted", findings
    return ("forbidden" if outcome.problem and outcome.problem.code == "forbidden" else "invalid"), findings


_LI = re.compile(r'<li class="(error|warning)" data-rule="([^"]+)"><code>([^<]*)</code>')


def door_web(catalog: Catalog, client: TestClient, token: str, record: dict[str, Any], tmp: Path) -> Verdict:
    page = client.get("/signin")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert client.post("/signin", data={"csrf_token": csrf, "token": token, "next": "/"}).status_code == 303
    csrf = client.cookies.get("mulu_csrf") or ""
    r = client.post("/steward/upload", data={"csrf_token": csrf, "yaml_text": yaml.safe_dump(record, allow_unicode=True)})
    # the web page shows rule, severity and pointer of each finding (its message is HTML)
    findings = frozenset((html.unescape(rule), severity, html.unescape(path)) for severity, rule, path in _LI.findall(r.text))
    if r.status_code == 303:
        return "accepted", frozenset()  # the page after saving lists no warnings
    if r.status_code == 403:
        return "forbidden", findings
    assert 'data-refused="422"' in r.text, r.text[-1500:]
    return "invalid", findings


DOORS: dict[str, Callable[..., Verdict]] = {
    "POST /resources": door_post, "POST /validate": door_validate, "POST /resources/bulk": door_bulk,
    "import (yaml)": door_import, "mulu seed": door_seed, "web upload": door_web,
}


def _short(findings: frozenset[tuple[Any, ...]]) -> frozenset[tuple[Any, ...]]:
    return frozenset((f[0], f[1], f[2]) for f in findings)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_every_door_gives_the_same_verdict_and_findings(kind: str, tmp_path: Path) -> None:
    answers: dict[str, dict[str, Verdict]] = {}
    expected: dict[str, tuple[str, set[tuple[str, str]]]] = {}
    for door_name, door in DOORS.items():
        with fresh_catalogue(kind, tmp_path) as (catalog, token, published, other_draft):
            client = TestClient(create_app(catalog=catalog), base_url="http://127.0.0.1", follow_redirects=False)
            answers[door_name] = {}
            for name, record, verdict, must in cases(published, other_draft):
                expected[name] = (verdict, must)
                answers[door_name][name] = door(catalog, client, token, copy.deepcopy(record), tmp_path)
    reference = answers["POST /resources"]
    for name, (verdict, must) in expected.items():
        got_verdict, findings = reference[name]
        assert got_verdict == verdict, f"{name}: POST /resources said {got_verdict}, expected {verdict}"
        assert must <= {(f[0], f[2]) for f in findings}, f"{name}: {sorted(findings)}"
        if verdict == "forbidden":
            assert not findings, f"{name}: a refused caller learns nothing, got {sorted(findings)}"
    for door_name, results in answers.items():
        for name, (got_verdict, findings) in results.items():
            want_verdict, want = reference[name]
            assert got_verdict == want_verdict, f"{door_name} / {name}: {got_verdict} ≠ {want_verdict}"
            if door_name == "web upload":
                if got_verdict != "accepted":
                    assert findings == _short(want), f"{door_name} / {name}"
            else:
                assert findings == want, f"{door_name} / {name}: {sorted(findings ^ want)}"
