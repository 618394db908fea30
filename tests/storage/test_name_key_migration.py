"""Migration 0800_perf: resources.name_key is backfilled with normalise_name, and a catalogue that already
holds duplicate names (written before the unique index) still upgrades: the oldest keeps the key."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from catalog.db import alembic_config, make_engine
from catalog.settings import Settings

ROW = ("INSERT INTO resources (code, name, classification, provider_code, state, version, etag, record, warnings,"
       " created_by, updated_by, created_at, updated_at) VALUES (:code, :name, '102001', :provider, 'draft', 1,"
       " 'e', '{}', '[]', 't', 't', '2026-01-01', '2026-01-01')")


def test_backfill_keeps_the_oldest_duplicate(tmp_path: Path) -> None:
    engine = make_engine(Settings(data_dir=tmp_path / "data"))
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0400_demands")
        for code, name, provider in [("102001/000001", "企业 登记信息", "330782101"),
                                     ("102001/000002", "企业登记-信息", "330782101"),  # same, after normalising
                                     ("102001/000003", "企业登记信息", "330782102")]:  # another provider
            conn.execute(text(ROW), {"code": code, "name": name, "provider": provider})
        command.upgrade(cfg, "head")
        keys = dict(conn.execute(text("SELECT code, name_key FROM resources")).all())
    assert keys == {"102001/000001": "企业登记信息", "102001/000002": None, "102001/000003": "企业登记信息"}
    engine.dispose()
