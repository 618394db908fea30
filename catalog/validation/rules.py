"""The one table of validation rules: stable id, severity, Chinese message template, English gloss."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    template: str  # Chinese, str.format() fields from the check
    en: str


E: Severity = "error"
W: Severity = "warning"
_TABLE: list[tuple[str, Severity, str, str]] = [
    # layer 0: text hygiene (catalog/validation/text.py)
    ("text.control-character", E, "{field} 含有控制字符或无效字符 {value}（如 NUL），请删除",
     "control character or lone surrogate in the text"),
    ("text.bidi-control", E, "{field} 含有双向文本控制字符 {value}（可让文字显示顺序与实际不同），请删除",
     "bidirectional control character (e.g. U+202E) in the text"),
    ("text.too-long", E, "{field} 过长：最多 {expected} 个字符", "value longer than any record needs"),
    ("record.findings-truncated", W, "另有 {value} 处同类问题（{field}）未逐一列出", "further findings of this kind omitted"),
    # layer 1: core-metadata schema (generic keywords: schema.<keyword>)
    ("schema.required", E, "缺少必填项 {field}", "required element missing"),
    ("schema.type", E, "类型错误：应为 {expected}", "wrong type"),
    ("schema.enum", E, "取值不在代码表中：{value}，应为 {expected} 之一", "value not in the code list"),
    ("schema.pattern", E, "格式不符：{value} 应匹配 {expected}", "value does not match the pattern"),
    ("schema.format", E, "格式不符：{value} 应为 {expected} 格式", "value is not of the format"),
    ("schema.minLength", E, "不能为空", "must not be empty"),
    ("schema.maxLength", E, "过长：最多 {expected} 个字符", "too long"),
    ("schema.uniqueItems", E, "存在重复项", "duplicate entries"),
    ("schema.minimum", E, "取值过小：最小为 {expected}", "value too small"),
    ("schema.other", E, "不符合核心元数据：{detail}", "breaks the core-metadata schema"),
    ("record.unknown-field", W, "未知字段 {field}（不属于核心元数据）", "unknown field"),
    # conditional rules of the core metadata (x-rule in core-metadata.schema.json)
    ("share.condition-required", E, "共享类型为有条件共享时必须填写共享条件", "conditional sharing needs its condition"),
    ("share.basis-required", E, "共享类型为不予共享时必须在共享条件中写明不予共享依据（法律、行政法规或国务院政策）",
     "non-shareable needs its legal basis"),
    ("open.condition-required", E, "向社会开放时必须填写开放条件", "open data needs its open condition"),
    ("items.required", E, "格式为数据库或电子表格时必须填写信息项", "database/spreadsheet resources need items"),
    ("format.type-category", E, "格式类型 {value} 不属于格式分类 {category}，应为 {expected} 之一",
     "format type does not belong to the format category"),
    ("share.method-format", E, "共享方式类型 {value} 与资源格式 {category} 不相符，应为 {expected} 之一",
     "share method does not fit the format"),
    ("interface.required", E, "共享方式为接口时必须提供服务接口契约 interface", "interface sharing needs a contract"),
    ("classification.format", E, "分类代码 {value} 格式错误：类 1 位 + 项 2 位 + 目 3 位 (+ 细目 9 位)",
     "classification code malformed"),
    ("code.format", E, "资源代码 {value} 格式错误：应为 <分类代码>/<6 位顺序号>", "resource code malformed"),
    ("provider.code-format", E, "提供方代码 {value} 应为 9 位数字（6 位行政区划代码 + 3 位部门号）",
     "provider code must be 9 digits"),
    # layer 2: classification and codes
    ("classification.unknown", E, "分类代码 {value} 不在分类方案中：{detail}", "classification not in the scheme"),
    ("classification.detail-missing", E, "部门信息资源（类 3）的分类代码须以 9 位部门代码作细目",
     "class 3 needs the department code as 细目"),
    ("classification.detail-unexpected", E, "类 {value} 的分类代码不应有细目", "classes 1 and 2 have no 细目"),
    ("classification.detail-mismatch", E, "分类细目 {value} 应等于提供方代码 {expected}",
     "class 3 细目 must equal provider_code"),
    ("classification.sector-mismatch", E, "部门信息资源的项 {value} 应为提供方所属行业代码 {expected}",
     "class 3 项 must be the department's sector"),
    ("code.classification-mismatch", E, "资源代码前缀 {value} 与分类代码 {expected} 不一致",
     "resource code must start with the classification"),
    ("provider.unknown", E, "提供方代码 {value} 不在部门注册表中", "provider code not in the department registry"),
    ("provider.name-mismatch", E, "提供方名称 {value} 与部门注册表不一致，应为 {expected}",
     "provider name differs from the registry"),
    ("share.base-class-unconditional", E, "基础信息资源（类 1）应为无条件共享，当前为 {value}",
     "base-class resources must be shared unconditionally"),
    # layer 3: naming of items
    ("naming.identifier-pattern", E, "英文标识符 {value} 不符合命名规则 {expected}", "identifier breaks the naming rule"),
    ("naming.identifier-length", E, "英文标识符 {value} 过长：最多 {expected} 个字符", "identifier too long"),
    ("naming.duplicate-identifier", E, "英文标识符 {value} 重复（与第 {expected} 项相同）", "duplicate item identifier"),
    ("naming.element-unknown", E, "数据元 {value} 不在数据元目录中", "unknown data element"),
    ("naming.element-type", E, "信息项 {field} 对应数据元 {element}，数据类型应为 {expected}，实际为 {value}",
     "item disagrees with its data element's type"),
    ("naming.element-length", E, "信息项 {field} 对应数据元 {element}，长度应为 {expected}，实际为 {value}",
     "item disagrees with its data element's length"),
    ("naming.element-identifier", E, "信息项 {field} 对应数据元 {element}，英文标识符应为 {expected}，实际为 {value}"
     "（同一数据同一名称）", "an item carrying a data element must use the element's identifier"),
    ("naming.near-miss", W, "信息项名称 {value} 与标准数据元 {expected} 相近，建议使用标准名称",
     "item name is a near-miss of a standard data element"),
    ("naming.representation-term", W, "信息项 {value} 缺少表示词（如 代码、名称、日期、金额）",
     "identifier/name lacks a representation term"),
    # layer 4: interface contract
    ("interface.contract", E, "服务接口契约不符合接口标准：{detail}", "interface contract breaks its schema"),
    ("interface.schema-invalid", E, "{field} 不是合法的 JSON Schema 2020-12：{detail}", "request/response is no JSON Schema"),
    ("interface.path-parameter", E, "路径参数 {value} 未在请求参数 request 中声明", "path parameter not declared"),
    ("interface.duplicate-operation", E, "接口操作 id {value} 重复", "duplicate operation id"),
    # layer 5: advice on the record
    ("record.missing-optional", W, "建议填写 {field}", "optional element missing"),
    # layer 6: 一数一源 — who collects which data (catalog/sources/collection.py)
    ("source.duplicate-collection", W, "信息项 {field}（数据元 {element}）的权威来源为 {expected}，"
     "{value} 重复采集（一数一源）",
     "the department re-collects data whose authoritative source is another department"),
    # cross-record rules (audit)
    ("cross.duplicate-name", E, "同一提供方下资源名称重复（忽略标点和空格）：{value} 与 {expected}",
     "duplicate resource name within a provider"),
    ("cross.duplicate-code", E, "资源代码 {value} 重复，另见 {expected}", "duplicate resource code"),
    ("cross.dangling-related", E, "关联资源代码 {value} 不存在", "related code names no resource"),
    # registration against the live catalogue (catalog.live_checks, catalog.lifecycle)
    ("code.assigned", E, "资源代码由 mulu 分配，新建时请勿填写 code", "codes are assigned by mulu"),
    ("code.taken", E, "资源代码 {value} 已被占用{detail}", "code already in use"),
    ("field.immutable", E, "{field} 不可修改：应为 {expected}，收到 {value}", "field cannot be changed"),
    ("reason.required", E, "请填写退回理由", "a reason is required"),
    # departments (catalog.departments) and imports (catalog.interop)
    ("department.code-format", E, "部门代码 {value} 应为 9 位数字", "department code must be 9 digits"),
    ("department.name-required", E, "部门名称不能为空", "department name must not be empty"),
    ("department.sector-format", E, "行业代码 {value} 应为 2 位数字", "sector code must be 2 digits"),
    ("import.department-not-created", E, "{detail}", "the record's department could not be created"),
    ("department.parent", E, "上级部门 {value} 不存在或无效", "parent department missing or invalid"),
    ("department.row", E, "每个部门应为一个对象", "department must be a mapping"),
    ("department.level", E, "行政层级 {value} 无效", "administrative level invalid"),
    ("department.names", E, "曾用名、别名应为文字列表", "former names and aliases must be lists of text"),
    ("code.unavailable", E, "资源代码 {value} 不可用", "code not available to the caller"),
    # what an import reads before a record exists (catalog.interop): each call site words its own message
    ("import.department-created", W, "新建部门 {value}", "department created by the import"),
    ("import.unreadable", E, "{detail}", "file cannot be read"),
    ("dcat.access-level", E, "{detail}", "accessLevel cannot be mapped to a share type"),
    ("dcat.dataset-type", E, "{detail}", "dataset must be an object"),
    ("dcat.date-invalid", W, "{detail}", "date cannot be read"),
    ("dcat.date-partial", W, "{detail}", "partial date completed"),
    ("dcat.department-created", W, "{detail}", "publisher department created"),
    ("dcat.distribution-missing", E, "{detail}", "no distribution and no landing page"),
    ("dcat.landing-page-used", W, "{detail}", "no distribution: the landing page is the resource"),
    ("dcat.field-missing", E, "{detail}", "required DCAT field missing"),
    ("dcat.identifier-duplicate", E, "{detail}", "identifier repeats in the feed"),
    ("dcat.identifier-missing", W, "{detail}", "identifier missing"),
    ("dcat.periodicity-missing", W, "{detail}", "accrualPeriodicity missing"),
    ("dcat.periodicity-nearest", W, "{detail}", "accrualPeriodicity mapped to the nearest cycle"),
    ("dcat.periodicity-unknown", W, "{detail}", "accrualPeriodicity unknown"),
    ("dcat.rights-missing", E, "{detail}", "rights missing for a restricted dataset"),
    ("mapping.default-used", W, "{detail}", "mapping default used"),
    ("mapping.field-missing", E, "{detail}", "mapped source field missing"),
    ("mapping.format-unknown", E, "{detail}", "source format unknown"),
    ("mapping.row-type", E, "{detail}", "source row must be an object"),
    ("mapping.value-unmapped", E, "{detail}", "value has no mapping"),
    ("xlsx.json", E, "{detail}", "cell JSON cannot be read"),
    ("xlsx.row-key-duplicate", E, "{detail}", "row key repeats"),
    ("xlsx.row-orphan", E, "{detail}", "row belongs to no resource"),
    ("xlsx.sheet", W, "{detail}", "sheet missing or unknown"),
    # other doors' inputs: cascade reports (catalog.cascade), notification settings (catalog.notify)
    ("cascade.entry", E, "{detail}", "reported entry invalid"),
    ("notify.invalid", E, "{detail}", "notification setting invalid"),
]
RULES: dict[str, Rule] = {r[0]: Rule(*r) for r in _TABLE}
# Rules a door checks when it writes (codes, immutable fields, departments, imports), not the record engine:
# no record file breaks them alone; tests/registration/test_every_door.py and the API tests exercise them.
WRITE_RULES = frozenset({"code.assigned", "code.taken", "code.unavailable", "field.immutable", "reason.required",
                         *(r for r in RULES if r.split(".")[0] in {
                             "department", "import", "dcat", "mapping", "xlsx", "cascade", "notify"})})


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "?"


def finding(
    rule_id: str, path: str, *, source: str | None = None, suggestion: str | None = None, **params: Any
) -> Finding:
    """A Finding for `rule_id` with its table severity and formatted Chinese message."""
    rule = RULES[rule_id]
    return Finding(rule=rule.id, severity=rule.severity, path=path,
                   message=rule.template.format_map(_Blank(params)), suggestion=suggestion, source=source)
