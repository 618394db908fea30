"""The neighbourhood of a resource in the `related` graph, limited to what the viewer may read.

Missing from the catalogue (reported): a "resources that list code X as related" query. It lives here
until `catalog/` has one; it reads only, through the same visibility rule (`catalog.auth.allowed`).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from catalog.auth import Actor, allowed
from catalog.models import Resource

MAX_NODES = 30


def _info(row: Resource) -> dict[str, Any]:
    record = row.record or {}
    return {"name": row.name, "provider": record.get("provider", row.provider_code),
            "related": [r for r in record.get("related") or [] if isinstance(r, str)], "state": row.state}


def neighbourhood(*, session: Session, actor: Actor, code: str, depth: int = 3) -> dict[str, dict[str, Any]]:
    """code -> {name, provider, related, state} for `code` and resources linked to it within `depth`."""
    found: dict[str, dict[str, Any]] = {}
    to_load, to_expand = {code}, {code}
    for _ in range(depth + 1):
        if not (to_load or to_expand) or len(found) >= MAX_NODES:
            break
        rows = list(session.execute(select(Resource).where(Resource.code.in_(sorted(to_load)))).scalars())
        for target in sorted(to_expand):  # who lists `target` (its record's JSON text holds "target")
            rows += session.execute(select(Resource).where(
                cast(Resource.record, Text).contains('"' + target + '"', autoescape=True))
                .limit(MAX_NODES)).scalars()
        new: list[str] = []
        for row in rows:
            if row.code in found or not allowed(actor, "read", provider_code=row.provider_code, state=row.state):
                continue
            found[row.code] = _info(row)
            new.append(row.code)
            if len(found) >= MAX_NODES:
                break
        to_load = {r for c in new for r in found[c]["related"] if r not in found}
        to_expand = set(new) - {code}
    # keep only real links (the text match may also hit a code quoted elsewhere in a record)
    for info in found.values():
        info["related"] = [r for r in info["related"] if r in found]
    return found
