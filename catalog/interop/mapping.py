"""A crosswalk as data: a YAML mapping file turns CSV or JSON rows of any portal into mulu records.

    title: 安徽省公共数据开放平台
    source_system: cn-open-data/anhui      # who the source is: a re-import compares against its last run
    region: {code: "340000", name: 安徽省}  # GB/T 2260 division of the departments the import creates
    records: entries                       # JSON: the key holding the row list (omit for a bare list / CSV)
    where: {source: {endswith: anhui_anhui.json}}   # optional: only the rows that match
    key: [url, 详情页网址]                  # the source identifier (first key present in the row)
    fields:                                # mulu field (dotted path) ← a rule
      name: [标题, name]                   #   a list of source keys: the first one present wins
      share.type: {from: [开放属性, open_label], map: {无条件开放: 无条件共享, 有条件开放: 有条件共享}}
      keywords: {from: [所属领域, theme], split: ","}
      format: {from: [数据格式, formats], format: true}   # the first recognised format → category/type
      classification: {from: [theme, name], classify: themes}
      open.to_public: {value: true}        # a constant
      share.method: {derive: share-method} # 共享平台 + 接口 (an API format) or 文件 (any other format)
    defaults:                              # used when the field is still empty; each use is a warning
      share.method: {category: 共享平台, type: 文件}

Nothing is invented silently: a value missing from a value map, an unrecognised format or a default
that was used is a finding on the record (rule `mapping.*`, pointer of the mulu field). Missing
required fields are left missing, so the validator reports them and the import stages the record.
"""
from __future__ import annotations

import ast
import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from catalog.errors import InvalidInput
from catalog.findings import pointer
from catalog.interop import crosswalk as cw
from catalog.interop.parsed import ParsedRecord


@dataclass(slots=True)
class Mapping:
    title: str
    source_system: str
    region: dict[str, Any]
    key: list[str]
    fields: dict[str, Any]
    defaults: dict[str, Any] = field(default_factory=dict)
    records: str | None = None
    where: dict[str, dict[str, str]] = field(default_factory=dict)
    provider_field: str = "provider"


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; InvalidInput naming the problem when it is malformed."""
    try:
        doc: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(f"{path}: 无法读取映射文件 (cannot read mapping): {exc}") from None
    return mapping_from_dict(doc, name=str(path))


def mapping_from_dict(doc: Any, *, name: str) -> Mapping:
    if not isinstance(doc, dict) or not isinstance(doc.get("fields"), dict):
        raise InvalidInput(f"{name}: 映射文件应含 fields（mulu 字段 → 来源键）(mapping needs fields)")
    region = doc.get("region")
    if not (isinstance(region, dict) and isinstance(region.get("code"), str) and len(region["code"]) == 6
            and region["code"].isdigit()):
        raise InvalidInput(f"{name}: /region 应为 {{code: 6 位行政区划代码, name: 名称}} (region needs a division code)")
    system = doc.get("source_system")
    if not (isinstance(system, str) and system.strip()):
        raise InvalidInput(f"{name}: 缺少 source_system（来源系统的标识）(source_system required)")
    key = doc.get("key")
    keys = [key] if isinstance(key, str) else key
    if not (isinstance(keys, list) and keys and all(isinstance(k, str) for k in keys)):
        raise InvalidInput(f"{name}: key 应为来源标识字段名或字段名列表 (key required)")
    return Mapping(title=str(doc.get("title") or system), source_system=system.strip(), region=region,
                   key=keys, fields=doc["fields"], defaults=doc.get("defaults") or {},
                   records=doc.get("records"), where=doc.get("where") or {})


def read_rows(data: bytes, *, name: str, mapping: Mapping) -> list[dict[str, Any]]:
    """The rows of a CSV or JSON source (a list, or the list under `mapping.records`), filtered by `where`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{name}: 文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 (not UTF-8)") from None
    if name.lower().endswith(".csv"):
        rows: Any = list(csv.DictReader(io.StringIO(text)))
    else:
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{name}:{exc.lineno}: JSON 格式错误：{exc.msg} (invalid JSON)") from None
        if isinstance(rows, dict):
            rows = rows.get(mapping.records or "records", rows.get("data"))
    if not isinstance(rows, list):
        raise InvalidInput(f"{name}: 找不到记录列表（映射文件的 records 指定键名）(no list of rows)")
    return [r for r in rows if not isinstance(r, dict) or _matches(r, mapping.where)]


def _matches(row: dict[str, Any], where: dict[str, dict[str, str]]) -> bool:
    for key, test in where.items():
        value = str(row.get(key) or "")
        for op, expected in (test.items() if isinstance(test, dict) else [("equals", test)]):
            if op == "equals" and value != str(expected) or op == "endswith" and not value.endswith(str(expected)) \
                    or op == "contains" and str(expected) not in value:
                return False
    return True


def _first(row: dict[str, Any], keys: Any) -> Any:
    for key in [keys] if isinstance(keys, str) else keys:
        value = row.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, "", [], "暂无"):
            return value
    return None


def source_key(row: Any, mapping: Mapping, index: int) -> str:
    value = _first(row, mapping.key) if isinstance(row, dict) else None
    return str(value) if value is not None else f"#row{index + 1}"


def map_row(row: Any, *, mapping: Mapping, index: int, label: str) -> ParsedRecord:
    """One source row → a candidate record with its mapping findings."""
    item = ParsedRecord(source=label, record=None)
    if not isinstance(row, dict):
        item.add("mapping.row-type", "error", "", "每条来源记录应为对象 (row must be an object)")
        return item
    record: dict[str, Any] = {}
    for target, rule in mapping.fields.items():
        if isinstance(rule, dict) and rule.get("derive") == "share-method":
            continue  # after the format is known
        value = _apply(rule, row, target, item)
        if value is not None:
            _put(record, target, value)
    for target, rule in mapping.fields.items():
        if isinstance(rule, dict) and rule.get("derive") == "share-method" and isinstance(record.get("format"), dict):
            method = "接口" if record["format"].get("category") == "服务接口" else "文件"
            _put(record, target, {"category": rule.get("category", cw.SHARE_METHOD_CATEGORY), "type": method})
    for target, value in mapping.defaults.items():
        if _get(record, target) is None:
            _put(record, target, value)
            item.add("mapping.default-used", "warning", _pointer(target),
                     f"来源未提供 {target}，按映射文件的默认值填写 {value!r}，请核实 (default used)")
    item.record = record
    return item


def _apply(rule: Any, row: dict[str, Any], target: str, item: ParsedRecord) -> Any:
    if isinstance(rule, (str, list)):
        return _first(row, rule)
    if not isinstance(rule, dict):
        return None
    if "value" in rule:
        return rule["value"]
    value = _first(row, rule.get("from", []))
    if value is None:
        return None
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            value = ast.literal_eval(value)  # a Python-list string such as "['api']"
        except (ValueError, SyntaxError):
            pass
    if "split" in rule and isinstance(value, str):
        value = [v.strip() for v in value.replace("，", ",").split(rule["split"]) if v.strip()]
    if rule.get("format"):
        return _format(value, target, item)
    if rule.get("classify") == "themes":
        from catalog.interop.dcat_us import classify

        words = [str(_first(row, [k]) or "") for k in rule.get("from", [])]
        code = classify(words)
        if code == cw.DEFAULT_CLASSIFICATION:
            item.add("mapping.default-used", "warning", _pointer(target),
                     f"无法从主题判断分类，按默认分类 {code} 填写，请核实 (default classification)")
        return code
    if "map" in rule:
        values = value if isinstance(value, list) else [value]
        mapped = [rule["map"].get(str(v)) for v in values]
        if any(m is None for m in mapped):
            bad = [str(v) for v, m in zip(values, mapped) if m is None]
            item.add("mapping.value-unmapped", "error", _pointer(target),
                     f"来源值 {'、'.join(bad)} 不在映射表中，无法填写 {target} (value not in the map)",
                     f"在映射文件 fields.{target}.map 中补充该值")
            return None
        return mapped if isinstance(value, list) else mapped[0]
    return value


def _format(value: Any, target: str, item: ParsedRecord) -> dict[str, str] | None:
    names = value if isinstance(value, list) else [value]
    known = [cw.FORMAT_NAMES[str(n).strip().casefold()] for n in names if str(n).strip().casefold() in cw.FORMAT_NAMES]
    if not known:
        item.add("mapping.format-unknown", "error", _pointer(target),
                 f"数据格式 {'、'.join(map(str, names))} 无法对应到格式代码表 (unknown format)")
        return None
    # A file format first: an API format needs an interface contract that portals do not publish.
    files = [k for k in known if k[0] != "服务接口"] or known
    category, fmt = min(files, key=lambda k: cw.CATEGORY_PREFERENCE.index(k[0]))
    return {"category": category, "type": fmt}


def _pointer(target: str) -> str:
    return pointer(*target.split("."))


def _get(record: dict[str, Any], target: str) -> Any:
    node: Any = record
    for part in target.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _put(record: dict[str, Any], target: str, value: Any) -> None:
    parts = target.split(".")
    node = record
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
