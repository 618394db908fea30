"""Load a seed catalogue (`seed/<department>/<resource>.yaml`) as published resources, by `system`.

Records carry their codes; ones already in the database are skipped, so `mulu seed` can be rerun.
Everything goes through the registry (validation, versions, audit entries, outbox) in one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from catalog.auth import SYSTEM, Actor
from catalog.db import Database
from catalog.departments import sync_departments
from catalog.errors import CatalogError
from catalog.models import Resource
from catalog.records import iter_record_files, read_record_file
from catalog.registry import Outcome, register_records
from catalog.settings import Settings
from catalog.standards import Standards, load_standards


def default_seed_dir(settings: Settings) -> Path:
    if settings.seed_dir is not None:
        return settings.seed_dir
    import seed

    return Path(seed.__file__).resolve().parent


@dataclass(slots=True)
class SeedResult:
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # codes already present
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    departments_added: int = 0
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # file -> the pipeline's outcome (findings)


def load_departments(*, db: Database, standards: Standards | None = None) -> int:
    """Copy the departments of the standards files (default: the shipped ones) into the database."""
    standards = standards or load_standards()
    with db.transaction() as session:
        return sync_departments(session=session, departments=list(standards.departments.values()),
                                region=standards.documents["departments"].get("region"))


def seed_catalogue(*, db: Database, directory: Path, actor: Actor = SYSTEM,
                   standards: Standards | None = None) -> SeedResult:
    """Register every record file under `directory` as published; report what failed, by file."""
    result = SeedResult(departments_added=load_departments(db=db, standards=standards))
    files, records = [], []
    for path in iter_record_files([directory]):
        try:
            records.append(read_record_file(path))
            files.append(str(path))
        except CatalogError as exc:
            result.failed.append((str(path), exc.message))
    with db.transaction() as session:
        present = set(session.execute(select(col(Resource.code))).scalars())
        todo = [(f, r) for f, r in zip(files, records) if r.get("code") not in present or not r.get("code")]
        result.skipped = [r["code"] for r in records if r.get("code") in present]
        outcomes: list[Outcome] = register_records(
            session=session, actor=actor, records=[r for _, r in todo], allow_code=True,
            state="published", sources=[f for f, _ in todo], standards=standards)
    for (source, _), outcome in zip(todo, outcomes):
        result.outcomes[source] = outcome
        if outcome.ok and outcome.code:
            result.loaded.append(outcome.code)
        else:
            first = next((f for f in outcome.findings if f.severity == "error"), None)
            detail = f"{first.path}: {first.message}" if first else ""
            result.failed.append((source, f"{outcome.problem.message if outcome.problem else ''} {detail}".strip()))
    return result
