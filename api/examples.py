"""Chinese examples for the OpenAPI document: a resource record and the main responses."""
from __future__ import annotations

from typing import Any

from catalog.validation.rules import finding

RECORD: dict[str, Any] = {
    "name": "企业登记基本信息",
    "classification": "102001",
    "provider": "义乌市市场监督管理局",
    "provider_code": "330782101",
    "abstract": "全市各类企业设立、变更、注销登记的基本信息，供税务、公安等部门办理联合登记时共享使用。",
    "keywords": ["企业登记", "市场主体"],
    "format": {"category": "数据库", "type": "mysql"},
    "items": [
        {"name": "统一社会信用代码", "identifier": "unified_social_credit_code", "data_type": "C", "length": 18},
        {"name": "企业名称", "identifier": "enterprise_name", "data_type": "C", "length": 200},
    ],
    "share": {"type": "无条件共享", "method": {"category": "共享平台", "type": "数据库"}},
    "open": {"to_public": False},
    "update_cycle": "每日",
    "published_on": "2024-03-01",
}


def record_request_body(description: str) -> dict[str, Any]:
    """An `openapi_extra` requestBody for routes that read a record (JSON or YAML)."""
    return {"requestBody": {"required": True, "description": description, "content": {
        "application/json": {"schema": {"type": "object"},
                             "examples": {"企业登记基本信息": {"summary": "数据库类资源（无条件共享）",
                                                       "value": RECORD}}},
        "application/yaml": {"schema": {"type": "string"}},
    }}}


REASON_BODY = {"requestBody": {"required": False, "content": {"application/json": {
    "schema": {"type": "object", "properties": {"reason": {"type": "string"}}},
    "examples": {"退回": {"value": {"reason": "共享条件未写明法律依据，请补充后重新提交"}}}}}}}

ERROR_EXAMPLE = {"error": "invalid_record", "message": "资源记录有 1 处错误，未保存 (record has 1 error(s); nothing saved)",
                 "findings": [finding("schema.required", "/abstract", field="abstract").to_dict()]}
# The one error body (catalog.errors / api.errors), documented for every error status (checked by the
# API fuzzing in tests/hardening/test_fuzz.py).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["error", "message", "findings"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                   "findings": {"type": "array", "items": {"type": "object"}}},
}
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/json": {
        "schema": ERROR_SCHEMA, "example": {**ERROR_EXAMPLE, "error": code}}}}
    for status, code, text in [
        (400, "invalid_input", "请求体无法读取（空、非 UTF-8、JSON/YAML 格式错误）"),
        (413, "payload_too_large", "请求体超过上限"),
        (503, "storage_unavailable", "数据库只读、磁盘已满或暂不可用，未保存"),
        (401, "unauthenticated", "缺少或无效的令牌"), (403, "forbidden", "角色或部门无权操作"),
        (404, "not_found", "资源不存在"), (409, "conflict", "状态不允许此操作"),
        (412, "precondition_failed", "If-Match 已过期"), (428, "precondition_required", "缺少 If-Match"),
        (422, "invalid_record", "记录未通过校验，findings 指出字段与规则"),
    ]
}
