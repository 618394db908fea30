"""Administrative divisions (GB/T 2260): a six-digit code says its level and the divisions above it.

    330000  province   (xx0000)
    330700  city       (xxxx00, also 自治州 / 地区 / 盟)
    330702  district   (xxxx01–xxxx20, 市辖区)
    330782  county     (xxxx21–xxxx99: 县, 自治县, 旗, 县级市)

A department's code starts with its division's code; divisions are stored with a name and a parent so
that a region's departments can be shown in their province and city.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from catalog.models import Division

LEVELS = ("province", "city", "county", "district")
LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级", "district": "区级"}
_CODE = re.compile(r"^\d{6}$")


def is_division_code(code: Any) -> bool:
    return isinstance(code, str) and bool(_CODE.match(code)) and code[:2] != "00"


def level_of(code: str) -> str:
    """The administrative level of a six-digit division code."""
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "district" if int(code[4:]) <= 20 else "county"


def parent_of(code: str) -> str | None:
    """The division code one level up (a county's city, a city's province), or None for a province."""
    level = level_of(code)
    if level == "province":
        return None
    if level == "city":
        return code[:2] + "0000"
    return code[:4] + "00"


def ensure_division(*, session: Session, code: str, name: str | None = None) -> Division:
    """The stored division `code`, created (with its level and parent) when missing; a given name is kept."""
    row = session.get(Division, code)
    if row is None:
        row = Division(code=code, name=name or code, level=level_of(code), parent_code=parent_of(code))
        session.add(row)
        session.flush()
    elif name and row.name == row.code:
        row.name = name
    return row


def division_dict(row: Division | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"code": row.code, "name": row.name, "level": row.level, "parent_code": row.parent_code}
