"""Regenerate the seed catalogue (seed/<department code>/<slug>.yaml) from the specs in seed/specs/.

Usage: ``python -m seed.build_seed`` (from the repository root). The YAML files are the product;
this script only keeps them consistent: codes, data-element items, symmetric relations, interfaces.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from seed.specs import ALL_DEPARTMENTS
from seed.specs._spec import Spec

SEED_DIR = Path(__file__).resolve().parent
STANDARDS_DIR = SEED_DIR.parent / "standards"
BASE_URL = "https://share.yw.gov.cn/api"
KEY_ORDER = ("code", "name", "classification", "provider", "provider_code", "abstract", "keywords",
             "format", "items", "share", "open", "update_cycle", "published_on", "related", "charset",
             "interface")
TEXT_CATEGORIES = {"电子表格", "自描述格式", "电子文件"}
TEXT_TYPES = {"csv", "json", "xml", "geojson", "txt", "html", "yaml"}


def _load_yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load((STANDARDS_DIR / name).read_text(encoding="utf-8"))


def _element_index() -> dict[str, dict[str, Any]]:
    """Data elements by name and by alias (names win over aliases)."""
    path = STANDARDS_DIR / "data-elements.yaml"
    if not path.exists():
        return {}
    index: dict[str, dict[str, Any]] = {}
    elements = yaml.safe_load(path.read_text(encoding="utf-8"))["elements"]
    for element in elements:
        for alias in element.get("aliases", []):
            index.setdefault(alias, element)
    for element in elements:
        index[element["name"]] = element
    return index


_INLINE = re.compile(r"^(?P<name>[^=]+)=(?P<ident>[a-z0-9_]+):(?P<type>[CNYDTLMGBIF])(?::(?P<len>\d+))?(?::(?P<prec>\d+))?$")


def _item(token: str, elements: dict[str, dict[str, Any]], local: dict[str, str], where: str) -> dict[str, Any]:
    """One information item: a data element by name, or an inline / common definition."""
    if "=" not in token and token in elements:
        element = elements[token]
        item: dict[str, Any] = {"name": element["name"], "identifier": element["identifier"],
                                "data_type": element["data_type"]}
        for key in ("length", "precision"):
            if key in element:
                item[key] = element[key]
        item["element"] = element["id"]
        return item
    definition = token if "=" in token else local.get(token)
    if definition is None:
        raise SystemExit(f"{where}: item {token!r} is neither a data element nor defined in specs/_common.py")
    match = _INLINE.match(definition)
    if not match:
        raise SystemExit(f"{where}: bad item definition {definition!r}")
    item = {"name": match["name"], "identifier": match["ident"], "data_type": match["type"]}
    standard = elements.get(match["name"])
    if standard is not None and standard["name"] == match["name"] and standard["identifier"] != match["ident"]:
        raise SystemExit(f"{where}: item {match['name']!r} is data element {standard['id']}: write it by name so that "
                         f"it gets the identifier {standard['identifier']!r} (the same data has the same name)")
    if match["len"]:
        item["length"] = int(match["len"])
    if match["prec"]:
        item["precision"] = int(match["prec"])
    return item


def _json_schema(item: dict[str, Any]) -> dict[str, Any]:
    kind = item["data_type"]
    schema: dict[str, Any]
    if kind in ("C", "M"):
        schema = {"type": "string"}
        if "length" in item:
            schema["maxLength"] = item["length"]
    elif kind == "D":
        schema = {"type": "string", "format": "date"}
    elif kind == "T":
        schema = {"type": "string", "format": "date-time"}
    elif kind == "I":
        schema = {"type": "integer"}
    elif kind == "L":
        schema = {"type": "boolean"}
    elif kind == "G":
        schema = {"type": "string", "contentEncoding": "base64"}
    else:
        schema = {"type": "number"}
    return {"title": item["name"], **schema}


def _interface(spec: Spec, dept_slug: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    api = spec.api or {}
    by_name = {item["name"]: item for item in items}
    key = by_name[api.get("key", items[0]["name"])]
    filters = [by_name[name] for name in api.get("filters", [])]
    record = {"type": "object", "properties": {item["identifier"]: _json_schema(item) for item in items}}
    collection = api.get("collection", spec.slug.replace("-", "_"))
    auth_type = api.get("auth") or {"无条件共享": "apikey", "有条件共享": "oauth2"}.get(spec.share, "mtls")
    auth_text = {"apikey": "共享平台颁发的应用密钥，请求头 X-API-Key",
                 "oauth2": "共享平台统一身份认证，OAuth 2.0 客户端凭证模式，按共享授权范围发放令牌",
                 "mtls": "政务外网双向 TLS 证书认证，仅限已授权的业务系统"}[auth_type]
    operations: list[dict[str, Any]] = [{
        "id": f"get_{collection}",
        "name": f"按{key['name']}查询{spec.name}",
        "method": "GET",
        "path": f"/{collection}/{{{key['identifier']}}}",
        "request": {"type": "object", "required": [key["identifier"]],
                    "properties": {key["identifier"]: _json_schema(key)}, "additionalProperties": False},
        "response": record,
    }]
    if filters:
        operations.append({
            "id": f"search_{collection}",
            "name": f"按条件检索{spec.name}",
            "method": "POST",
            "path": f"/{collection}/search",
            "request": {"type": "object", "minProperties": 1, "additionalProperties": False,
                        "properties": {item["identifier"]: _json_schema(item) for item in filters}},
            "response": {"type": "array", "maxItems": api.get("max_items", 100), "items": record},
        })
    contract: dict[str, Any] = {
        "base_url": f"{BASE_URL}/{dept_slug}/v1",
        "authentication": {"type": auth_type, "description": auth_text},
        "rate_limit": {"requests": api.get("rate", 50), "per": api.get("per", "second")},
        "availability": {"sla": api.get("sla", 99.9), "hours": api.get("hours", "7x24")},
        "operations": operations,
    }
    return contract


def _method(spec: Spec, category: str) -> dict[str, str]:
    if spec.method:
        method_category, method_type = spec.method.split("/")
        return {"category": method_category, "type": method_type}
    if spec.api is not None or category == "服务接口":
        return {"category": "共享平台", "type": "接口"}
    return {"category": "共享平台", "type": "数据库" if category == "数据库" else "文件"}


def _classification(spec: Spec, department: dict[str, Any]) -> str:
    if len(spec.cls) == 3:  # 类 3: 3 + sector + 目 + department code
        return f"3{department['sector']}{spec.cls}{department['code']}"
    return spec.cls


def build() -> dict[str, dict[str, Any]]:
    """All seed records keyed by '<department code>/<slug>' (codes and relations resolved)."""
    departments = {d["code"]: d for d in _load_yaml("departments.yaml")["departments"]}
    elements = _element_index()
    from seed.specs._common import COMMON_ITEMS
    records: dict[str, dict[str, Any]] = {}
    specs: dict[str, Spec] = {}
    sequence: dict[str, int] = defaultdict(int)
    for module in ALL_DEPARTMENTS:
        department = departments[module.DEPARTMENT]
        for spec in module.RESOURCES:
            ref = f"{department['code']}/{spec.slug}"
            if ref in records:
                raise SystemExit(f"duplicate slug {ref}")
            category, ftype = spec.fmt.split("/")
            classification = _classification(spec, department)
            sequence[classification] += 1
            items = [_item(token, elements, COMMON_ITEMS, ref) for token in spec.items.split()]
            record: dict[str, Any] = {
                "code": f"{classification}/{sequence[classification]:06d}",
                "name": spec.name,
                "classification": classification,
                "provider": department["name"],
                "provider_code": department["code"],
                "abstract": spec.abstract,
                "keywords": list(spec.keywords),
                "format": {"category": category, "type": ftype},
            }
            if items:
                record["items"] = items
            share: dict[str, Any] = {"type": spec.share}
            if spec.cond:
                share["condition"] = spec.cond
            share["method"] = _method(spec, category)
            record["share"] = share
            record["open"] = {"to_public": True, "condition": spec.open} if spec.open else {"to_public": False}
            record["update_cycle"] = spec.cycle
            record["published_on"] = dt.date.fromisoformat(spec.date)
            if category in TEXT_CATEGORIES and ftype in TEXT_TYPES or category == "自描述格式":
                record["charset"] = "UTF-8"
            if record["share"]["method"]["type"] == "接口":
                record["interface"] = _interface(spec, module.SLUG, items)
            records[ref] = record
            specs[ref] = spec
    _relate(records, specs)
    return records


def _relate(records: dict[str, dict[str, Any]], specs: dict[str, Spec]) -> None:
    """Resolve related slugs ('<dept code>/<slug>' or '<slug>' in the same department), both ways."""
    links: dict[str, set[str]] = defaultdict(set)
    for ref, spec in specs.items():
        dept = ref.split("/")[0]
        for target in spec.related:
            target_ref = target if "/" in target else f"{dept}/{target}"
            if target_ref not in records:
                raise SystemExit(f"{ref}: related {target!r} does not exist")
            links[ref].add(target_ref)
            links[target_ref].add(ref)
    for ref, targets in links.items():
        codes = sorted(records[target]["code"] for target in targets)
        record = records[ref]
        record["related"] = codes
        # keep the DESIGN.md key order
        records[ref] = {key: record[key] for key in KEY_ORDER if key in record}


class _Dumper(yaml.SafeDumper):
    """Readable YAML: block style, Chinese as is, short scalar lists in flow style, no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(value, (str, int, float)) for value in data) and len(str(data)) < 90
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def write(records: dict[str, dict[str, Any]]) -> None:
    for child in SEED_DIR.iterdir():
        if child.is_dir() and re.fullmatch(r"\d{9}", child.name):
            shutil.rmtree(child)
    for ref, record in records.items():
        path = SEED_DIR / f"{ref}.yaml"
        path.parent.mkdir(exist_ok=True)
        text = yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                         default_flow_style=False)
        header = f"# {record['provider']} · {record['name']} (generated by seed/build_seed.py)\n"
        path.write_text(header + text, encoding="utf-8")


def main() -> None:
    records = build()
    write(records)
    print(f"wrote {len(records)} records to {SEED_DIR}")


if __name__ == "__main__":
    main()
