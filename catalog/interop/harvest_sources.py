"""Sources for a lossless import: a mapped CSV/JSON file or a DCAT-US data.json → harvest candidates.

Each gives the candidates (source identifier + parsed record) and the departments the import needs.
Mapped sources resolve providers within the mapping's region (catalog.interop.region_directory);
DCAT-US publishers become departments under the `--region` division, their `subOrganizationOf`
chain kept as parent departments.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from catalog.auth import Actor
from catalog.db import Database
from catalog.errors import InvalidInput
from catalog.interop.dcat_us import load_dcat_document, parse_dcat_us
from catalog.interop.harvest import Candidate, HarvestReport, Missing, Progress, harvest
from catalog.interop.mapping import Mapping, load_mapping, map_row, read_rows, source_key
from catalog.interop.publishers import DepartmentDirectory, load_publisher_map
from catalog.interop.region_directory import RegionDirectory
from catalog.divisions import is_division_code


def mapped_candidates(*, db: Database, mapping: Mapping, data: bytes,
                      name: str) -> tuple[list[Candidate], list[dict[str, Any]]]:
    rows = read_rows(data, name=name, mapping=mapping)
    with db.session() as session:
        directory = RegionDirectory.load(session=session, region=mapping.region)
    candidates = []
    for i, row in enumerate(rows):
        key = source_key(row, mapping, i)
        parsed = map_row(row, mapping=mapping, index=i, label=f"{name}#{i + 1}")
        record = parsed.record
        if record is not None:
            provider = record.get("provider")
            if isinstance(provider, str) and provider.strip():
                code, registered, created = directory.resolve(provider)
                record["provider"], record["provider_code"] = registered, code
                if created:
                    parsed.add("import.department-created", "warning", "/provider_code",
                               f"提供方 “{provider}” 不在 {mapping.region.get('name') or mapping.region['code']} "
                               f"的部门中，新建部门 {code} (department created)")
            else:
                parsed.add("mapping.field-missing", "error", "/provider", "来源未提供提供方，无法确定所属部门 (no provider)",
                           "在来源或映射文件中补充提供方")
            if isinstance(record.get("classification"), str) and record["classification"].startswith("3") \
                    and isinstance(record.get("provider_code"), str) and len(record["classification"]) == 6:
                record["classification"] += record["provider_code"]  # class 3: 细目 is the provider
        candidates.append(Candidate(key=key, parsed=parsed))
    return candidates, list(directory.created.values())


def dcat_candidates(*, db: Database, data: bytes, name: str, region: str | None,
                    publisher_map: Path | None = None) -> tuple[list[Candidate], list[dict[str, Any]]]:
    """DCAT-US datasets keyed by identifier; publishers (and their parents) as departments of `region`."""
    from catalog.interop.imports import known_departments

    doc = load_dcat_document(data, source=name)  # an unreadable file says so before anything else
    mapping, map_region = load_publisher_map(publisher_map) if publisher_map else ({}, None)
    region = region or map_region
    if not is_division_code(region):
        raise InvalidInput("DCAT-US 导入需要 --region：新建部门所在的 6 位行政区划代码 "
                           "(a --region division code is needed for the publishers' departments)")
    directory = DepartmentDirectory(known=known_departments(db=db), publisher_map=mapping, region=region)  # type: ignore[arg-type]
    parsed = parse_dcat_us(doc, departments=directory)
    parents: dict[str, str] = {}
    for dataset in doc["dataset"]:
        publisher = dataset.get("publisher") if isinstance(dataset, dict) else None
        while isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and publisher["name"].strip():
            parent = publisher.get("subOrganizationOf")
            if not (isinstance(parent, dict) and isinstance(parent.get("name"), str) and parent["name"].strip()):
                break
            _, child_code, _ = directory.resolve(publisher["name"])
            _, parent_code, _ = directory.resolve(parent["name"])
            if child_code != parent_code:
                parents.setdefault(child_code, parent_code)
            publisher = parent
    candidates = []
    for i, p in enumerate(parsed):
        dataset = doc["dataset"][i]
        ident = dataset.get("identifier") if isinstance(dataset, dict) else None
        key = ident.strip() if isinstance(ident, str) and ident.strip() else f"#dataset{i}"
        candidates.append(Candidate(key=key, parsed=p))
    departments = [{"code": code, "name": dept_name, "parent_code": parents.get(code)}
                   for code, dept_name in directory.created.items()]
    return candidates, _parents_first(departments)


def _parents_first(departments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_code = {d["code"]: d for d in departments}
    ordered: list[dict[str, Any]] = []
    seen: set[str] = set()

    def visit(d: dict[str, Any], depth: int = 0) -> None:
        if d["code"] in seen or depth > 50:
            return
        parent = by_code.get(d.get("parent_code") or "")
        if parent is not None:
            visit(parent, depth + 1)
        seen.add(d["code"])
        ordered.append(d)

    for d in departments:
        visit(d)
    return ordered


def harvest_input(*, db: Database, actor: Actor, fmt: str, name: str, data: bytes,
                  mapping_path: Path | None = None, mapping: Mapping | None = None, region: str | None = None,
                  publisher_map: Path | None = None, source_system: str | None = None,
                  missing: Missing = "flag", progress: Progress | None = None) -> HarvestReport:
    """Read a mapped or DCAT-US source and import it losslessly (catalog.interop.harvest)."""
    if fmt == "mapped":
        if mapping is None:
            if mapping_path is None:
                raise InvalidInput("--format mapped 需要 --mapping 映射文件 (a mapping file is required)")
            mapping = load_mapping(mapping_path)
        if region:
            if not is_division_code(region):
                raise InvalidInput(f"--region {region!r} 应为 6 位行政区划代码 (region must be a division code)")
            mapping.region = {"code": region}
        candidates, departments = mapped_candidates(db=db, mapping=mapping, data=data, name=name)
        system = source_system or mapping.source_system
        divisions = [*(mapping.region.get("parents") or []), mapping.region]
    elif fmt == "dcat-us":
        candidates, departments = dcat_candidates(db=db, data=data, name=name, region=region,
                                                  publisher_map=publisher_map)
        system = source_system or f"dcat-us:{name}"
        divisions = []
    else:
        raise InvalidInput(f"无损导入支持 mapped / dcat-us，收到 {fmt!r} (unsupported format)")
    return harvest(db=db, actor=actor, source_system=system, fmt=fmt, candidates=candidates,
                   departments=departments, divisions=divisions, missing=missing, progress=progress)
