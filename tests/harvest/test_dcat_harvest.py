"""Lossless DCAT-US harvest: every dataset accounted for, publishers as a hierarchy, harvest semantics."""
from __future__ import annotations

import json

from catalog.auth import SYSTEM
from catalog.interop.harvest_sources import harvest_input
from catalog.lifecycle_bulk import bulk_change_state

REGION = "110000"


def harvest(db, data: bytes, **options):
    return harvest_input(db=db, actor=SYSTEM, fmt="dcat-us", name="data.json", data=data, region=REGION,
                         source_system="nces", **options)


def test_every_dataset_is_accounted_for_and_publishers_keep_their_hierarchy(db, samples):
    raw = (samples / "dcat-us" / "small-education.json").read_bytes()
    doc = json.loads(raw)
    report = harvest(db, raw)
    c = report.counts()
    assert c["read"] == len(doc["dataset"])
    assert c["read"] == c["created"] + c["updated"] + c["staged"] + c["duplicates"]
    identifiers = [d.get("identifier") for d in doc["dataset"]]
    repeated = len(identifiers) - len(set(identifiers))
    assert sum(1 for d in report.duplicates if d["reason"] == "same-identifier") == repeated
    assert all(d["duplicate_of"].startswith(("1", "2", "3", "staged:")) for d in report.duplicates)
    from catalog.departments import list_departments

    with db.session() as session:
        departments = {d.name: d for d in list_departments(session=session, division=REGION)}
    nces = departments["National Center for Education Statistics"]
    parent = next(d for d in departments.values() if d.code == nces.parent_code)
    assert parent.name == "Institute of Education Sciences"
    assert all(d.code.startswith(REGION) for d in departments.values())


def test_reimport_updates_what_changed_and_flags_what_disappeared(db, samples):
    doc = json.loads((samples / "dcat-us" / "small-education.json").read_bytes())
    first = harvest(db, json.dumps(doc).encode())
    created = first.created
    assert len(created) >= 3
    bulk_change_state(db=db, actor=SYSTEM, action="submit", codes=[e["code"] for e in created])
    bulk_change_state(db=db, actor=SYSTEM, action="publish", codes=[e["code"] for e in created])
    changed_key, gone_key = created[0]["key"], created[1]["key"]
    for d in doc["dataset"]:
        if d.get("identifier") == changed_key:
            d["description"] = d["description"] + "（已更新）"
    doc["dataset"] = [d for d in doc["dataset"] if d.get("identifier") != gone_key]
    again = harvest(db, json.dumps(doc).encode(), missing="withdraw")
    c = again.counts()
    assert c["read"] == c["created"] + c["updated"] + c["staged"] + c["duplicates"] == first.read - 1
    assert [u["key"] for u in again.updated] == [changed_key]
    assert again.updated[0]["version"] == 2 and again.updated[0]["state"] == "published"
    assert c["created"] == 0 and c["staged"] == first.counts()["staged"]
    assert [m["key"] for m in again.missing] == [gone_key] and again.missing[0]["action"] == "withdrawn"
    from catalog.models import Resource, ResourceVersion
    from sqlalchemy import select

    with db.session() as session:
        gone = session.execute(select(Resource).where(Resource.code == created[1]["code"])).scalar_one()
        assert gone.state == "withdrawn"  # never deleted
        versions = session.execute(select(ResourceVersion.version).where(
            ResourceVersion.resource_code == created[0]["code"])).scalars().all()
        assert sorted(versions) == [1, 2]


def test_dcat_harvest_needs_a_region(db, samples):
    import pytest

    from catalog.errors import InvalidInput

    with pytest.raises(InvalidInput, match="region"):
        harvest_input(db=db, actor=SYSTEM, fmt="dcat-us", name="data.json",
                      data=(samples / "dcat-us" / "usda.gov.data-2-datasets.json").read_bytes())
