"""The registry on both databases: one transaction per change, versions, audit chain, outbox, seeding."""
from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from sqlalchemy import func, select, text

from api.examples import RECORD
from catalog import audit_log, registry
from catalog.auth import SYSTEM, Actor
from catalog.errors import InvalidRecord, PreconditionFailed
from catalog.models import AuditEntry, OutboxEvent, Resource, ResourceVersion
from catalog.seeding import seed_catalogue

STEWARD = Actor(name="张三", role="steward", department_code="330782101")


def record(n: int) -> dict:
    r = copy.deepcopy(RECORD)
    r["name"] = f"企业登记基本信息{n}"
    return r


def counts(db) -> dict[str, int]:
    with db.session() as s:
        return {m.__tablename__: s.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Resource, ResourceVersion, AuditEntry, OutboxEvent)}


def test_create_writes_row_version_audit_and_outbox_together(db):
    with db.transaction() as s:
        row = registry.create_resource(session=s, actor=STEWARD, record=record(1))
    assert (row.code, row.state, row.version) == ("102001/000001", "draft", 1)
    assert counts(db) == {"resources": 1, "resource_versions": 1, "audit_log": 1, "outbox": 1}
    with pytest.raises(RuntimeError):
        with db.transaction() as s:
            registry.create_resource(session=s, actor=STEWARD, record=record(2))
            raise RuntimeError("crash before commit")
    assert counts(db)["resources"] == 1 and counts(db)["audit_log"] == 1 and counts(db)["outbox"] == 1


def test_invalid_record_changes_nothing(db):
    bad = record(1)
    del bad["abstract"]  # the steward's own department (another department's is refused before validation)
    with pytest.raises(InvalidRecord) as caught, db.transaction() as s:
        registry.create_resource(session=s, actor=STEWARD, record=bad)
    assert any(f.path == "/abstract" for f in caught.value.findings)
    assert counts(db) == {"resources": 0, "resource_versions": 0, "audit_log": 0, "outbox": 0}


def test_stale_etag_loses_no_update(db):
    with db.transaction() as s:
        row = registry.create_resource(session=s, actor=STEWARD, record=record(1))
    etag = row.etag
    with db.transaction() as s:
        registry.update_resource(session=s, actor=STEWARD, code=row.code, record=record(1) | {"abstract": "甲"},
                                 if_match=f'"{etag}"')
    with pytest.raises(PreconditionFailed), db.transaction() as s:
        registry.update_resource(session=s, actor=STEWARD, code=row.code, record=record(1) | {"abstract": "乙"},
                                 if_match=f'"{etag}"')
    with db.session() as s:
        assert s.execute(select(Resource.record)).scalar_one()["abstract"] == "甲"


def test_concurrent_creates_get_distinct_codes_and_a_whole_chain(db):
    def create(n: int) -> str:
        with db.transaction() as s:
            return registry.create_resource(session=s, actor=STEWARD, record=record(n)).code

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(create, range(40)))
    assert len(set(got)) == 40
    with db.session() as s:
        check = audit_log.verify_chain(session=s)
    assert check.ok and check.checked == 40


@pytest.mark.parametrize("tamper, broken", [
    ("UPDATE audit_log SET actor = '李四' WHERE id = 2", 2),
    ("DELETE FROM audit_log WHERE id = 2", 2),
    ("DELETE FROM audit_log WHERE id = 3", 3),
])
def test_verify_names_the_first_broken_entry(db, tamper, broken):
    for n in range(3):
        with db.transaction() as s:
            registry.create_resource(session=s, actor=STEWARD, record=record(n))
    with db.session() as s:
        assert audit_log.verify_chain(session=s).ok
    with db.engine.begin() as conn:
        conn.execute(text(tamper))
    with db.session() as s:
        check = audit_log.verify_chain(session=s)
    assert not check.ok and check.broken_id == broken


def test_seed_loads_published_and_reruns_cleanly(db, tmp_path):
    folder = tmp_path / "seed" / "330782101"
    folder.mkdir(parents=True)
    for n, code in ((1, "102001/000007"), (2, "102001/000003")):
        (folder / f"r{n}.yaml").write_text(yaml.safe_dump(record(n) | {"code": code}, allow_unicode=True), "utf-8")
    (folder / "broken.yaml").write_text("name: [unclosed", "utf-8")
    first = seed_catalogue(db=db, directory=tmp_path / "seed")
    assert sorted(first.loaded) == ["102001/000003", "102001/000007"] and len(first.failed) == 1
    again = seed_catalogue(db=db, directory=tmp_path / "seed")
    assert again.loaded == [] and sorted(again.skipped) == sorted(first.loaded)
    with db.transaction() as s:
        assert registry.create_resource(session=s, actor=STEWARD, record=record(9)).code == "102001/000008"
        states = set(s.execute(select(Resource.state).where(Resource.created_by == SYSTEM.name)).scalars())
    assert states == {"published"}
