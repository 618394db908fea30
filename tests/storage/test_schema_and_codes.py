"""Migrations, code sequences (also under concurrency) and the after-commit hooks."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect, text

from catalog import codes
from catalog.db import ensure_schema

TABLES = {"departments", "resources", "resource_versions", "tokens", "audit_log", "audit_head",
          "code_sequences", "outbox", "alembic_version"}


def test_migrations_create_every_table_and_are_idempotent(db):
    assert TABLES <= set(inspect(db.engine).get_table_names())
    ensure_schema(db.engine)
    with db.session() as s:
        assert s.execute(text("SELECT count(*) FROM audit_head")).scalar_one() == 1


def test_codes_are_sequential_per_classification(db):
    with db.transaction() as s:
        assert codes.reserve_codes(session=s, classification="102001", count=2) == ["102001/000001",
                                                                                  "102001/000002"]
        assert codes.reserve_codes(session=s, classification="101001") == ["101001/000001"]
        codes.claim_code(session=s, code="102001/000040")
        codes.claim_code(session=s, code="102001/000005")  # below the sequence: no effect
        assert codes.reserve_codes(session=s, classification="102001") == ["102001/000041"]


def test_concurrent_reservations_never_share_a_code(db):
    def grab(_: int) -> list[str]:
        with db.transaction() as s:
            return codes.reserve_codes(session=s, classification="201001", count=3)

    with ThreadPoolExecutor(8) as pool:
        got = [c for batch in pool.map(grab, range(40)) for c in batch]
    assert len(got) == len(set(got)) == 120
    assert max(got) == "201001/000120"


@pytest.mark.parametrize("code, parsed", [
    ("102001/000001", ("102001", 1)),
    ("301001330782101/000123", ("301001330782101", 123)),
    ("102001/1", None), ("102001-000001", None), ("402001/000001", None), (None, None),
])
def test_parse_code(code, parsed):
    assert codes.parse_code(code) == parsed


def test_after_commit_hooks_run_only_after_commit(db):
    calls: list[str] = []
    db.after_commit.append(lambda: calls.append("applied"))
    db.after_commit.append(lambda: 1 / 0)  # a failing hook (search down) never breaks the write
    with db.transaction() as s:
        codes.reserve_codes(session=s, classification="102001")
    assert calls == ["applied"]
    with pytest.raises(RuntimeError):
        with db.transaction() as s:
            codes.reserve_codes(session=s, classification="102001")
            raise RuntimeError("boom")
    assert calls == ["applied"]
    with db.transaction() as s:
        assert codes.reserve_codes(session=s, classification="102001") == ["102001/000002"]
