"""Chinese examples for the OpenAPI document: a resource record and the main responses."""
from __future__ import annotations

from typing import Any

import yaml

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


RECORD_YAML = yaml.safe_dump(RECORD, allow_unicode=True, sort_keys=False)


def record_request_body(description: str) -> dict[str, Any]:
    """An `openapi_extra` requestBody for routes that read a record (JSON or YAML)."""
    return {"requestBody": {"required": True, "description": description, "content": {
        "application/json": {"schema": {"type": "object"},
                             "examples": {"企业登记基本信息": {"summary": "数据库类资源（无条件共享）",
                                                       "value": RECORD}}},
        "application/yaml": {"schema": {"type": "string"}, "example": RECORD_YAML},
    }}}


REASON_BODY = {"requestBody": {"required": False, "content": {"application/json": {
    "schema": {"type": "object", "properties": {"reason": {"type": "string"}}},
    "examples": {"退回": {"value": {"reason": "共享条件未写明法律依据，请补充后重新提交"}}}}}}}

# The one error body (catalog.errors / api.errors), documented for every error status (checked by the
# API fuzzing in tests/hardening/test_fuzz.py), each status with an example of its own.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["error", "message", "findings"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                   "findings": {"type": "array", "items": {"type": "object"}}},
}
# status: (code, description, example message, example findings, extra fields of the body)
ERROR_EXAMPLES: dict[int, tuple[str, str, str, list[dict[str, Any]], dict[str, Any]]] = {
    400: ("invalid_input", "请求体无法读取（空、非 UTF-8、JSON/YAML 格式错误）",
          "请求体:1: JSON 格式错误：Expecting value (invalid JSON)；请求体看起来是 YAML：请加上请求头 "
          "Content-Type: application/yaml", [], {}),
    401: ("unauthenticated", "缺少或无效的令牌",
          "需要令牌：Authorization: Bearer <token> (authentication required)", [], {}),
    403: ("forbidden", "角色或部门无权操作",
          "角色 steward（330782103） 无权对资源 102001/000001 执行 update (forbidden)", [],
          {"role": "steward", "action": "update"}),
    404: ("not_found", "资源不存在", "资源 102001/999999 不存在 (resource not found)", [], {}),
    409: ("conflict", "状态不允许此操作",
          "资源 102001/000001 处于 published 状态，不能执行 submit（需处于 draft） (wrong state)", [],
          {"state": "published"}),
    412: ("precondition_failed", "If-Match 已过期",
          "资源 102001/000001 已被修改（当前版本 3，状态 draft），请重新读取后再提交 (stale If-Match)", [],
          {"etag": "102001-000001-3-draft", "version": 3}),
    413: ("payload_too_large", "请求体超过上限", "请求体超过上限 2000000 字节 (payload too large)", [], {}),
    422: ("invalid_record", "记录未通过校验，findings 指出字段与规则", "资源记录有 1 处错误，未保存",
          [{"rule": "required", "severity": "error", "path": "/abstract",
            "message": "缺少必填字段 信息资源摘要 abstract"}], {}),
    428: ("precondition_required", "缺少 If-Match",
          "修改资源需要 If-Match 请求头，值为读取时得到的 ETag (If-Match required)", [],
          {"etag": "102001-000001-3-draft"}),
    503: ("storage_unavailable", "数据库只读、磁盘已满或暂不可用，未保存",
          "磁盘已满 (disk full)：本次修改未保存，请联系管理员或稍后重试 (nothing was saved)", [], {}),
}
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/json": {
        "schema": ERROR_SCHEMA,
        "example": {"error": code, "message": message, "findings": findings, **extra}}}}
    for status, (code, text, message, findings, extra) in ERROR_EXAMPLES.items()
}
