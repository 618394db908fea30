"""The claims mapping table and the OIDC settings: what maps to what, what is refused, and the README's
example table, which must load as written."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from catalog.errors import Forbidden, InvalidInput
from catalog.oidc.claims_map import load_claims_map
from catalog.oidc.config import OidcConfig
from catalog.settings import SETTINGS_TABLE, Settings
from tests.oidc.conftest import CLAIMS_MAP

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(CLAIMS_MAP, encoding="utf-8")
    return path


@pytest.mark.parametrize("claims, role, department", [
    ({"sub": "a", "roles": ["mulu-steward"], "department_code": "ORG-TAX"}, "steward", "330782103"),
    ({"sub": "a", "roles": "staff mulu-steward", "department_code": "330782101"}, "steward", "330782101"),
    ({"sub": "a", "roles": ["mulu-steward", "mulu-admin"]}, "admin", None),  # the first listed in the table wins
    ({"sub": "a", "roles": ["mulu-coordinator"], "department_code": "ORG-UNKNOWN"}, "coordinator", None),
])
def test_claims_map_to_a_role_and_department(table: Path, claims: dict[str, Any], role: str,
                                             department: str | None) -> None:
    actor = load_claims_map(table).actor_for(claims)
    assert (actor.role, actor.department_code) == (role, department)


@pytest.mark.parametrize("claims, message", [
    ({"sub": "a", "name": "李四", "roles": ["staff"], "department_code": "ORG-TAX"}, "没有对应的目录角色"),
    ({"sub": "a", "department_code": "ORG-TAX"}, "没有对应的目录角色"),
    ({"sub": "a", "roles": ["mulu-steward"], "department_code": "ORG-NONE"}, "没有对应的部门"),
    ({"sub": "a", "roles": ["mulu-steward"]}, "没有对应的部门"),
])
def test_claims_that_map_to_nothing_are_refused(table: Path, claims: dict[str, Any], message: str) -> None:
    with pytest.raises(Forbidden, match=message):
        load_claims_map(table).actor_for(claims)


def test_dotted_claim_paths_reach_nested_claims(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("role_claim: realm_access.roles\nroles: {mulu-steward: steward}\n"
                    "department_claim: org.code\n", encoding="utf-8")
    actor = load_claims_map(path).actor_for({"sub": "s", "realm_access": {"roles": ["mulu-steward"]},
                                            "org": {"code": "330782103"}})
    assert (actor.role, actor.department_code) == ("steward", "330782103")


@pytest.mark.parametrize("text, message", [
    ("roles: {}\n", "roles 不能为空"),
    ("roles: {x: superuser}\n", "superuser 未知"),
    ("roles: {x: steward}\ndepartments: {ORG: '12'}\n", "应为 9 位数字"),
    ("roles: [unclosed\n", "无法读取"),
])
def test_a_broken_table_is_refused_at_start(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_claims_map(path)


@pytest.mark.parametrize("overrides, message", [
    ({"oidc_client_id": ""}, "MULU_OIDC_CLIENT_ID"),
    ({"oidc_claims_map": None}, "MULU_OIDC_CLAIMS_MAP"),
    ({"oidc_algorithms": ("RS256", "HS256")}, "HS256"),
    ({"oidc_algorithms": ("none",)}, "none"),
    ({"oidc_scopes": "profile"}, "openid"),
])
def test_unsafe_or_incomplete_settings_are_refused(table: Path, overrides: dict[str, Any], message: str) -> None:
    settings = Settings(**{"oidc_issuer": "https://sso.example", "oidc_client_id": "mulu",
                           "oidc_claims_map": table, **overrides})
    with pytest.raises(InvalidInput, match=message):
        OidcConfig.from_settings(settings)


def test_without_an_issuer_oidc_is_off() -> None:
    assert OidcConfig.from_settings(Settings()) is None


def test_the_readme_claims_map_loads_and_its_variables_exist(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# oidc-claims.yaml:.*?)```", readme, re.DOTALL)
    assert example, "the README lost its claims-map example"
    path = tmp_path / "oidc-claims.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    actor = load_claims_map(path).actor_for({"sub": "s", "roles": ["mulu-steward"], "department_code": "ORG-TAX"})
    assert (actor.role, actor.department_code) == ("steward", "330782103")
    documented = set(re.findall(r"MULU_OIDC_[A-Z_]+", readme))
    assert documented == {name for name, _, _ in SETTINGS_TABLE if name.startswith("MULU_OIDC_")}
