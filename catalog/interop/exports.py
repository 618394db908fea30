"""Reading the catalogue out of the database for the exporters (xlsx, DCAT-US, DCAT-AP, YAML tree)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from catalog.db import Database
from catalog.models import Resource


def catalogue_records(*, db: Database, states: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """The current record of every resource (optionally only in `states`), ordered by code."""
    query = select(Resource.record).order_by(Resource.code)
    if states:
        query = query.where(Resource.state.in_(states))
    with db.session() as session:
        return [dict(r) for r in session.execute(query).scalars()]
