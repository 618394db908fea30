"""回流: apply the upper level's published records of the subscribed classifications here, read-only.

Each page of the upstream feed is applied in one transaction together with the "return" cursor, so a
crash in the middle applies a page wholly or not at all. A record new here is registered as a
published resource of its (merged) department with a `returned` origin; a newer version replaces the
record; a withdrawal upstairs withdraws the copy. A record this level's standards reject is skipped
and counted, with its findings, in the result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor
from catalog.cascade.intake import merge_departments
from catalog.cascade.models import ResourceOrigin
from catalog.cascade.origins import find_copy, map_related, replace_record, withdraw_copy


@dataclass(slots=True)
class ReturnResult:
    applied: int = 0
    withdrawn: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)


def apply_page(*, session: Session, upstream: str, level: str | None, entries: list[dict[str, Any]],
               departments: list[dict[str, Any]], result: ReturnResult) -> None:
    from catalog.departments import registry_standards
    from catalog.registry import register_records
    from catalog.validation import validate_record

    actor = Actor(name=f"回流 {upstream}", role="admin")
    merge_departments(session=session, departments=departments)
    standards = registry_standards(session=session)
    for entry in entries:
        copy = find_copy(session=session, kind="returned", origin=upstream, origin_code=entry["code"])
        if entry["action"] == "withdrawn":
            if copy is not None and withdraw_copy(session=session, actor=actor, code=copy.code):
                result.withdrawn += 1
            continue
        record = map_related(session=session, kind="returned", origin=upstream,
                             record={k: v for k, v in entry["record"].items() if k != "code"})
        if copy is not None:
            if copy.origin_version >= entry["version"] and entry["version"] > 0:
                from catalog.models import Resource
                from sqlalchemy import select

                state = session.execute(select(col(Resource.state)).where(col(Resource.code) == copy.code)).scalar_one()
                if state == "published":
                    continue  # already applied
            check = validate_record({**record, "code": copy.code}, standards=standards)
            if not check.valid:
                result.refused.append({"code": entry["code"], "findings": [f.to_dict() for f in check.errors]})
                continue
            replace_record(session=session, actor=actor, code=copy.code, record=record,
                           warnings=[f.to_dict() for f in check.warnings], origin_version=entry["version"])
        else:
            [outcome] = register_records(session=session, actor=actor, records=[record], state="published",
                                         standards=standards)
            if outcome.problem is not None:
                result.refused.append({"code": entry["code"], "findings": [f.to_dict() for f in outcome.findings],
                                       "message": outcome.problem.message})
                continue
            assert outcome.code is not None  # a registered record has its code
            session.add(ResourceOrigin(code=outcome.code, kind="returned", origin=upstream, origin_level=level,
                                       origin_code=entry["code"], origin_version=entry["version"]))
            session.flush()
        result.applied += 1
