"""Import runs as kept by the lossless import: list them, read one (its counts and report)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from catalog.db import Database
from catalog.errors import NotFound
from catalog.models import ImportRun


def run_dict(run: ImportRun, *, with_report: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": run.id, "source_system": run.source_system, "format": run.format,
                           "actor": run.actor, "started_at": run.started_at.isoformat(),
                           "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                           "counts": run.counts}
    if with_report:
        out["report"] = run.report
    return out


def list_runs(*, db: Database, source_system: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    query = select(ImportRun).order_by(col(ImportRun.id).desc()).limit(max(1, min(limit, 500)))
    if source_system:
        query = query.where(col(ImportRun.source_system) == source_system)
    with db.session() as session:
        return [run_dict(r) for r in session.execute(query).scalars()]


def get_run(*, db: Database, run_id: int) -> dict[str, Any]:
    with db.session() as session:
        run = session.get(ImportRun, run_id)
        if run is None:
            raise NotFound(f"导入批次 {run_id} 不存在 (import run not found)")
        return run_dict(run, with_report=True)
