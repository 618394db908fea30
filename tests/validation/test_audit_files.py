"""`audit_files` on worker processes gives the audit that reading every file and calling `audit` gives:
the same reports in the same order, the cross-record rules across files that different workers read, the
same unreadable files; and `mulu audit` exits as before."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from catalog.errors import InvalidInput, InvalidRecord
from catalog.records import iter_record_files, read_record_file
from catalog.standards import load_standards
from catalog.validation import audit, audit_files as audit_files_module
from catalog.validation.audit_files import audit_files
from cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "invalid_records"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Seed records, the invalid examples (cross rules among them) and files that cannot be read."""
    root = tmp_path / "records"
    shutil.copytree(ROOT / "seed", root / "seed")
    shutil.copytree(EXAMPLES, root / "invalid")
    seed_file = sorted((root / "seed").rglob("*.yaml"))[3]
    twin = yaml.safe_load(seed_file.read_text("utf-8"))  # a duplicate name and code, read by another worker
    (root / "zz-twin.yaml").write_text(yaml.safe_dump(twin, allow_unicode=True), encoding="utf-8")
    (root / "broken.yaml").write_text("name: [x\n", encoding="utf-8")
    (root / "gbk.yaml").write_bytes("name: 企业登记\n".encode("gbk"))
    long = dict(twin, abstract="长" * 100_001)
    (root / "long.yaml").write_text(yaml.safe_dump(long, allow_unicode=True), encoding="utf-8")
    return root


def sequential(root: Path) -> tuple[dict, list[str]]:
    records, problems = [], []
    for path in iter_record_files([root]):
        try:
            records.append((str(path), read_record_file(path)))
        except (InvalidInput, InvalidRecord) as exc:
            problems.append((str(path), exc.message))
    return audit(records, standards=load_standards()).to_dict(), problems


def test_workers_give_the_sequential_audit(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_files_module, "POOL_FROM", 1)  # a pool even for this small tree
    expected, expected_problems = sequential(tree)
    files = list(iter_record_files([tree]))
    seen: list[int] = []
    result, problems = audit_files(files, standards=load_standards(), workers=3, on_progress=seen.append)
    assert result.to_dict() == expected
    assert problems == expected_problems and len(problems) == 3
    assert sum(seen) == len(files) and len(seen) > 3  # told per chunk
    rules = {f.rule for f in result.cross}
    assert {"cross.duplicate-name", "cross.duplicate-code"} <= rules
    assert any(f.source and f.source.endswith("zz-twin.yaml") for f in result.cross)
    assert result.to_dict()["invalid_records"] > 10


def test_one_worker_and_many_agree(tree: Path) -> None:
    files = list(iter_record_files([tree]))
    one, problems_one = audit_files(files, standards=load_standards(), workers=1)
    many, problems_many = audit_files(files, standards=load_standards(), workers=2)
    assert one.to_dict() == many.to_dict() and problems_one == problems_many


def test_mulu_audit_exit_codes_and_json(tree: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "audit.json"
    result = runner.invoke(app, ["audit", str(tree), "--format", "json", "-o", str(out), "-j", "2"])
    assert result.exit_code == 2, result.output  # unreadable files: exit 2, each named, no traceback
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "broken.yaml" in result.output and "long.yaml" in result.output and "过长" in result.output
    body = json.loads(out.read_text("utf-8"))
    assert len(body["unreadable"]) == 3 and body["valid"] is False
    for bad in ("broken.yaml", "gbk.yaml", "long.yaml"):
        (tree / bad).unlink()
    assert runner.invoke(app, ["audit", str(tree)]).exit_code == 1  # findings: exit 1
    shutil.rmtree(tree / "invalid")
    (tree / "zz-twin.yaml").unlink()
    assert runner.invoke(app, ["audit", str(tree / "seed")]).exit_code == 0
