"""DCAT-US 1.1 data.json ⇄ mulu records, through the crosswalk (docs/crosswalk.md).

`parse_dcat_us` never raises on a messy dataset: every defect is a finding on that dataset (source =
`dataset[i]:identifier`) and the next dataset is read. Only an unreadable document raises InvalidInput.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Iterable
from urllib.parse import urlsplit

from catalog.errors import InvalidInput
from catalog.findings import pointer
from catalog.interop import crosswalk as cw
from catalog.interop.parsed import ParsedRecord
from catalog.interop.publishers import DepartmentDirectory
from catalog.records import check_depth

CONFORMS_TO = "https://project-open-data.cio.gov/v1.1/schema"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:[T ].*)?$")
_URL_EXT = re.compile(r"\.([A-Za-z0-9]{2,5})(?:$|[?#])")


def load_dcat_document(data: bytes, *, source: str = "data.json") -> dict[str, Any]:
    """Decode a data.json document; InvalidInput (naming the problem) when it is not a DCAT-US catalogue."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{source}: 文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 (not UTF-8)") from None
    try:
        doc = json.loads(text)
        check_depth(doc, source)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{source}:{exc.lineno}: JSON 格式错误：{exc.msg} (invalid JSON)") from None
    except RecursionError:
        raise InvalidInput(f"{source}: 嵌套过深，拒绝读取 (nesting too deep)") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("dataset"), list):
        raise InvalidInput(f"{source}: 不是 DCAT-US 目录：缺少 /dataset 数组 (not a data.json catalog: /dataset)")
    return doc


def parse_dcat_us(doc: dict[str, Any], *, departments: DepartmentDirectory) -> list[ParsedRecord]:
    """Map every dataset of a data.json catalogue to a candidate record with its parse findings."""
    seen: dict[str, int] = {}
    parsed = []
    for index, dataset in enumerate(doc["dataset"]):
        ident = dataset.get("identifier") if isinstance(dataset, dict) else None
        label = f"dataset[{index}]" + (f":{ident}" if isinstance(ident, str) and ident.strip() else "")
        item = ParsedRecord(source=label, record=None)
        if not isinstance(dataset, dict):
            item.add("dcat.dataset-type", "error", "", "数据集应为 JSON 对象 (dataset must be an object)")
        else:
            if isinstance(ident, str) and ident.strip():
                if ident in seen:
                    item.add("dcat.identifier-duplicate", "error", "",
                             f"identifier “{ident}” 与 dataset[{seen[ident]}] 重复，本条未导入 (duplicate identifier)",
                             "为每个数据集使用唯一的 identifier")
                else:
                    seen[ident] = index
            else:
                item.add("dcat.identifier-missing", "warning", "", "数据集缺少 identifier (missing identifier)")
            item.record = _dataset_to_record(dataset, item, departments)
        parsed.append(item)
    return parsed


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _dataset_to_record(ds: dict[str, Any], item: ParsedRecord, departments: DepartmentDirectory) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for field_name, key in (("name", "title"), ("abstract", "description")):
        value = _text(ds.get(key))
        if value is None:
            item.add("dcat.field-missing", "error", pointer(field_name), f"缺少 {key}，无法填写 {field_name} (missing {key})")
        else:
            record[field_name] = value
    _map_publisher(ds, record, item, departments)
    keywords = [k.strip() for k in ds.get("keyword") or [] if isinstance(k, str) and k.strip()]
    if keywords:
        record["keywords"] = list(dict.fromkeys(keywords))
    record["classification"] = classify(keywords + _list(ds.get("theme")) + [record.get("name", "")])
    _map_access(ds, record, item)
    _map_distributions(ds, record, item)
    record["update_cycle"] = _map_periodicity(ds.get("accrualPeriodicity"), item)
    _map_date(ds, record, item)
    return record


def _list(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def classify(words: Iterable[str]) -> str:
    """The first class-2 theme whose words occur in the keywords/themes/title; else the default."""
    text = " ".join(words).casefold()
    for code, needles in cw.THEME_RULES:
        if any(n in text for n in needles):
            return code
    return cw.DEFAULT_CLASSIFICATION


def _map_publisher(ds: dict[str, Any], record: dict[str, Any], item: ParsedRecord,
                   departments: DepartmentDirectory) -> None:
    publisher = ds.get("publisher")
    name = _text(publisher.get("name")) if isinstance(publisher, dict) else _text(publisher)
    if name is None:
        item.add("dcat.field-missing", "error", "/provider", "缺少 publisher.name，无法确定提供方 (missing publisher)",
                 "在 publisher 中填写机构名称，或用 --publisher-map 映射")
        return
    provider, code, created = departments.resolve(name)
    record["provider"], record["provider_code"] = provider, code
    if created:
        item.add("dcat.department-created", "warning", "/provider_code",
                 f"发布者 “{name}” 不在部门注册表中，新建部门 {code} (department created)",
                 "如需对应到已有部门，请用 --publisher-map 映射")


def _map_access(ds: dict[str, Any], record: dict[str, Any], item: ParsedRecord) -> None:
    level = _text(ds.get("accessLevel"))
    if level not in cw.ACCESS_LEVEL:
        item.add("dcat.access-level", "error", "/share/type",
                 f"accessLevel 应为 public / restricted public / non-public，实际是 {level!r} (invalid accessLevel)")
        return
    share_type, to_public = cw.ACCESS_LEVEL[level]
    share: dict[str, Any] = {"type": share_type}
    rights = _text(ds.get("rights"))
    if share_type != "无条件共享":
        if rights:
            share["condition"] = rights
        else:
            what = "共享条件" if share_type == "有条件共享" else "不予共享依据"
            item.add("dcat.rights-missing", "error", "/share/condition",
                     f"accessLevel={level} 需要 rights 说明{what}，数据集未提供 (rights missing)",
                     f"在 rights 中写明{what}（法律、行政法规或国务院政策依据）")
    record["share"] = share
    record["open"] = {"to_public": to_public}
    if to_public:
        licence = _text(ds.get("license"))
        record["open"]["condition"] = cw.OPEN_CONDITION_PUBLIC + (f"；许可 {licence}" if licence else "")


def _distribution_format(dist: dict[str, Any]) -> tuple[str, str] | None:
    fmt = (_text(dist.get("format")) or "").casefold()
    if fmt in ("api", "esri rest", "rest", "soap"):
        return cw.FORMAT_NAMES[fmt]
    media = (_text(dist.get("mediaType")) or "").split(";")[0].strip().casefold()
    if media in cw.MEDIA_TYPES:
        return cw.MEDIA_TYPES[media]
    if fmt in cw.FORMAT_NAMES:
        return cw.FORMAT_NAMES[fmt]
    url = _text(dist.get("downloadURL")) or ""
    match = _URL_EXT.search(urlsplit(url).path + "#") if url else None
    ext = match.group(1).casefold() if match else ""
    return cw.FORMAT_NAMES.get(ext)


def _map_distributions(ds: dict[str, Any], record: dict[str, Any], item: ParsedRecord) -> None:
    candidates = []
    for i, dist in enumerate(d for d in ds.get("distribution") or [] if isinstance(d, dict)):
        fmt = _distribution_format(dist)
        url = _text(dist.get("downloadURL")) or _text(dist.get("accessURL"))
        if fmt is None and url and not _text(dist.get("downloadURL")):
            fmt = ("电子文件", "html")  # an accessURL without a type: a web page
        if fmt is not None:
            candidates.append((cw.CATEGORY_PREFERENCE.index(fmt[0]), i, fmt, dist))
    if not candidates:
        landing = _text(ds.get("landingPage"))
        if landing:
            item.add("dcat.landing-page-used", "warning", "/format",
                     "没有可识别的 distribution，按 landingPage 网页（电子文件/html，文件方式）登记 (no distribution)")
            record["format"] = {"category": "电子文件", "type": "html"}
            record["share"] = {**record.get("share", {}), "method": {"category": cw.SHARE_METHOD_CATEGORY, "type": "文件"}}
        else:
            item.add("dcat.distribution-missing", "error", "/format",
                     "没有 distribution 也没有 landingPage，无法确定资源格式 (no distribution)")
        return
    _, _, (category, fmt_type), dist = min(candidates, key=lambda c: (c[0], c[1]))
    record["format"] = {"category": category, "type": fmt_type}
    method_type = "接口" if category == "服务接口" else "文件"
    share = record.setdefault("share", {})
    share["method"] = {"category": cw.SHARE_METHOD_CATEGORY, "type": method_type}
    if method_type == "接口":
        record["interface"] = _interface_from(dist, record)


def _interface_from(dist: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """A minimal contract for an API distribution: the URL, one GET operation, response schema unknown."""
    url = urlsplit(_text(dist.get("accessURL")) or _text(dist.get("downloadURL")) or "")
    public = record.get("share", {}).get("type") == "无条件共享"
    return {
        "base_url": f"{url.scheme}://{url.netloc}{url.path.rstrip('/')}",
        "authentication": {"type": "none"} if public else {"type": "apikey", "description": "导入自 DCAT-US，请核实"},
        "operations": [{
            "id": "get_data", "name": f"{record.get('name', '数据')} 数据访问", "method": "GET", "path": "/",
            "description": "导入自 DCAT-US distribution；响应结构未声明", "response": True,
        }],
    }


def _map_periodicity(value: Any, item: ParsedRecord) -> str:
    text = _text(value)
    if text is None:
        item.add("dcat.periodicity-missing", "warning", "/update_cycle",
                 f"缺少 accrualPeriodicity，更新周期记为 {cw.DEFAULT_UPDATE_CYCLE} (missing accrualPeriodicity)")
        return cw.DEFAULT_UPDATE_CYCLE
    key = text if text in cw.PERIODICITY else text.upper() if text.upper() in cw.PERIODICITY else text.lower()
    if key in cw.PERIODICITY:
        cycle = cw.PERIODICITY[key]
        if key in cw.PERIODICITY_NEAREST:
            item.add("dcat.periodicity-nearest", "warning", "/update_cycle",
                     f"accrualPeriodicity {text} 没有对应的更新周期，取最接近的 {cycle} (nearest update cycle)")
        return cycle
    item.add("dcat.periodicity-unknown", "warning", "/update_cycle",
             f"无法识别 accrualPeriodicity {text!r}，更新周期记为 {cw.DEFAULT_UPDATE_CYCLE} (unknown periodicity)")
    return cw.DEFAULT_UPDATE_CYCLE


def normalise_date(value: str) -> tuple[str | None, bool]:
    """(YYYY-MM-DD or None, was partial?) for ISO 8601 dates/datetimes such as 2014, 2014-10, 2019-04-26T17:38Z."""
    match = _DATE.match(value.strip())
    if not match:
        return None, False
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day)).isoformat(), match.group(3) is None
    except ValueError:
        return None, False


def _map_date(ds: dict[str, Any], record: dict[str, Any], item: ParsedRecord) -> None:
    for key in ("issued", "modified"):
        raw = _text(ds.get(key))
        if raw is None:
            continue
        date, partial = normalise_date(raw)
        if date is None:
            item.add("dcat.date-invalid", "warning", "/published_on",
                     f"{key} 不是可识别的日期：{raw!r}，已忽略 (unrecognised date)")
            continue
        if partial:
            item.add("dcat.date-partial", "warning", "/published_on",
                     f"{key} 只有部分日期 {raw!r}，按 {date} 登记 (partial date normalised)")
        record["published_on"] = date
        return


# --- export -------------------------------------------------------------------------------------

def to_dcat_us(records: Iterable[dict[str, Any]], *, catalog_id: str | None = None,
               today: str | None = None) -> dict[str, Any]:
    """A DCAT-US 1.1 data.json catalogue of the records (validates against the v1.1 schema)."""
    today = today or dt.date.today().isoformat()
    doc: dict[str, Any] = {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": CONFORMS_TO,
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": [dataset_of(r, today=today) for r in records],
    }
    if catalog_id:
        doc["@id"] = catalog_id
    return doc


def dataset_of(record: dict[str, Any], *, today: str) -> dict[str, Any]:
    share = record.get("share") or {}
    level = access_level_of(record)
    keywords = list(record.get("keywords") or []) or [record.get("classification") or record["name"]]
    ds: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": record.get("code") or record["name"],
        "title": record["name"],
        "description": record.get("abstract") or record["name"],
        "keyword": keywords,
        "modified": record.get("published_on") or today,
        "publisher": {"@type": "org:Organization", "name": record.get("provider") or record.get("provider_code", "")},
        "contactPoint": {"@type": "vcard:Contact", "fn": record.get("provider") or "mulu",
                         "hasEmail": f"mailto:{record.get('provider_code', 'catalog')}@mulu.invalid"},
        "accessLevel": level,
        "bureauCode": [cw.PLACEHOLDER_BUREAU_CODE],
        "programCode": [cw.PLACEHOLDER_PROGRAM_CODE],
        "accrualPeriodicity": cw.CYCLE_TO_ISO.get(record.get("update_cycle", ""), "irregular"),
    }
    if record.get("published_on"):
        ds["issued"] = record["published_on"]
    if share.get("condition"):
        ds["rights"] = share["condition"][:255]
    dist = _distribution_of(record)
    if dist:
        ds["distribution"] = [dist]
    return ds


def access_level_of(record: dict[str, Any]) -> str:
    """open to the public → public; else 有条件共享 → restricted public; else non-public."""
    if (record.get("open") or {}).get("to_public"):
        return "public"
    share_type = (record.get("share") or {}).get("type")
    return "restricted public" if share_type == "有条件共享" else "non-public"


def _distribution_of(record: dict[str, Any]) -> dict[str, Any] | None:
    fmt = record.get("format") or {}
    interface = record.get("interface") or {}
    dist: dict[str, Any] = {"@type": "dcat:Distribution", "format": f"{fmt.get('category', '')}/{fmt.get('type', '')}"}
    media = cw.TYPE_TO_MEDIA.get(fmt.get("type", ""))
    if media:
        dist["mediaType"] = media
    if isinstance(interface.get("base_url"), str):
        dist["accessURL"] = interface["base_url"]
    return dist
