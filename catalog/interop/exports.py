"""Reading the catalogue out of the database for the exporters (xlsx, DCAT-US, DCAT-AP, YAML tree)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from catalog.db import Database
from catalog.models import Resource


def catalogue_records(*, db: Database, states: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """The current record of every resource (optionally only in `states`), ordered by code."""
    query = select(col(Resource.record)).order_by(col(Resource.code))
    if states:
        query = query.where(col(Resource.state).in_(states))
    with db.session() as session:
        return [dict(r) for r in session.execute(query).scalars()]
