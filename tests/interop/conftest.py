"""Interop fixtures: a real temp SQLite database through the real registry, and sample records."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from catalog.db import Database, open_database
from catalog.seeding import load_departments
from catalog.settings import Settings

SAMPLES = Path("/work/shared/samples/dcat-us")
SCHEMA = Path(__file__).parent / "schema" / "dcat-us-1.1.schema.json"

DB_RECORD: dict[str, Any] = {
    "name": "企业登记基本信息", "classification": "102001", "provider": "义乌市市场监督管理局",
    "provider_code": "330782101", "abstract": "全市各类企业设立、变更、注销登记的基本信息。\n第二行\r\n第三行",
    "keywords": ["企业登记", "市场主体"], "format": {"category": "数据库", "type": "mysql"},
    "items": [
        {"name": "统一社会信用代码", "identifier": "unified_social_credit_code", "data_type": "C", "length": 18},
        {"name": "注册资本", "identifier": "registered_capital_amount", "data_type": "Y", "length": 18,
         "precision": 2, "description": "万元"},
    ],
    "share": {"type": "无条件共享", "method": {"category": "共享平台", "type": "接口"}},
    "open": {"to_public": True, "condition": "依法公开"},
    "update_cycle": "每日", "published_on": "2024-03-01", "charset": "UTF-8",
    "interface": {"base_url": "https://share.yw.gov.cn/api/market/v1", "authentication": {"type": "oauth2"},
                  "operations": [{"id": "get_enterprise", "name": "查询企业", "method": "GET",
                                  "path": "/enterprises", "response": {"type": "object"}}]},
}
FILE_RECORD: dict[str, Any] = {
    "name": "企业年度报告公示文件", "classification": "102002", "provider": "义乌市市场监督管理局",
    "provider_code": "330782101", "abstract": "企业年报 PDF。", "format": {"category": "电子文件", "type": "pdf"},
    "share": {"type": "无条件共享", "method": {"category": "共享平台", "type": "文件"}},
    "open": {"to_public": False}, "update_cycle": "每年", "keywords": ["年报"],
}


def records() -> list[dict[str, Any]]:
    return [copy.deepcopy(DB_RECORD), copy.deepcopy(FILE_RECORD)]


@pytest.fixture
def db(tmp_settings: Settings) -> Database:
    database = open_database(tmp_settings)
    load_departments(db=database)
    yield database
    database.dispose()


@pytest.fixture
def other_db(tmp_path: Path) -> Database:
    database = open_database(Settings(data_dir=tmp_path / "other"))
    load_departments(db=database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def dcat_us_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
