"""The claims mapping table: which role and department a provider's account gets in mulu.

A YAML file (MULU_OIDC_CLAIMS_MAP), for example:

    role_claim: roles              # claim holding the account's roles or groups (a string or a list)
    roles:                         # provider value → mulu role; the first listed value the account has wins
      mulu-admin: admin
      mulu-steward: steward
    department_claim: department_code   # claim holding the account's organisation
    departments:                   # provider value → 9-digit department code (a 9-digit value maps to itself)
      ORG-TAX: "330782103"

Claim names may be dotted paths into nested claims (`org.code`). An account whose claims give no role,
or a steward whose department maps to nothing, is refused (403) with a message naming the claim values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from catalog.auth import ROLES, Actor
from catalog.errors import Forbidden, InvalidInput

DEPARTMENT_CODE = re.compile(r"^\d{9}$")
NEEDS_DEPARTMENT = ("steward",)  # roles whose every right is "own department"


@dataclass(frozen=True)
class ClaimsMap:
    role_claim: str
    roles: tuple[tuple[str, str], ...]  # (provider value, mulu role), in order of precedence
    department_claim: str
    departments: dict[str, str]

    def actor_for(self, claims: dict[str, Any]) -> Actor:
        """The Actor an account's claims stand for; Forbidden when they map to no role or department."""
        who = str(claims.get("name") or claims.get("preferred_username") or claims.get("sub") or "?")
        values = _values(claims, self.role_claim)
        role = next((mulu_role for value, mulu_role in self.roles if value in values), None)
        if role is None:
            raise Forbidden(f"统一身份认证账号“{who}”的 {self.role_claim}（{', '.join(values) or '无'}）"
                            "在映射表中没有对应的目录角色，无法登录；请联系管理员 (claims map to no role)")
        org = next(iter(_values(claims, self.department_claim)), None)
        department = self.departments.get(org) if org is not None else None
        if department is None and org is not None and DEPARTMENT_CODE.match(org):
            department = org
        if department is None and role in NEEDS_DEPARTMENT:
            raise Forbidden(f"统一身份认证账号“{who}”的 {self.department_claim}（{org or '无'}）在映射表中"
                            "没有对应的部门，无法以数据管理员身份登录；请联系管理员 (claims map to no department)")
        return Actor(name=who, role=role, department_code=department)


def _values(claims: dict[str, Any], path: str) -> list[str]:
    value: Any = claims
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split() if isinstance(value, str) else [value]
    return [str(v) for v in items if isinstance(v, (str, int))]


def load_claims_map(path: Path) -> ClaimsMap:
    """Read and check the table; an InvalidInput names the file and what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"无法读取 OIDC 映射表 {path}：{exc} (unreadable claims map)") from None
    if not isinstance(data, dict) or not isinstance(data.get("roles"), dict) or not data["roles"]:
        raise InvalidInput(f"OIDC 映射表 {path} 应为映射，且 roles 不能为空 (claims map needs roles)")
    roles = tuple((str(k), str(v)) for k, v in data["roles"].items())
    unknown = sorted({r for _, r in roles if r not in ROLES})
    if unknown:
        raise InvalidInput(f"OIDC 映射表 {path} 中的角色 {', '.join(unknown)} 未知，应为 {', '.join(ROLES)} "
                           "(unknown role)")
    departments = {str(k): str(v) for k, v in (data.get("departments") or {}).items()}
    bad = sorted(v for v in departments.values() if not DEPARTMENT_CODE.match(v))
    if bad:
        raise InvalidInput(f"OIDC 映射表 {path} 中的部门代码 {', '.join(bad)} 应为 9 位数字 (expected ^\\d{{9}}$)")
    return ClaimsMap(role_claim=str(data.get("role_claim") or "roles"), roles=roles,
                     department_claim=str(data.get("department_claim") or "department_code"),
                     departments=departments)
