"""`mulu template`, `mulu import`, `mulu export`: the Excel template, DCAT-US / YAML import, every export."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from catalog.auth import SYSTEM
from catalog.errors import CatalogError
from cli import output
from cli.context import open_catalog, open_db


class ImportFormat(str, Enum):
    xlsx = "xlsx"
    dcat_us = "dcat-us"
    yaml = "yaml"
    mapped = "mapped"


class MissingAction(str, Enum):
    flag = "flag"
    withdraw = "withdraw"


class ExportFormat(str, Enum):
    xlsx = "xlsx"
    dcat_us = "dcat-us"
    dcat_ap = "dcat-ap"
    yaml = "yaml"


def template(file: Path = typer.Argument(..., help="要生成的模板文件（.xlsx）")) -> None:
    """生成目录编制 Excel 模板（信息资源、信息项、接口、代码表、填写说明）。"""
    from catalog.interop.xlsx_template import write_template

    if file.suffix.lower() != ".xlsx":
        output.fail(f"{file}: 模板文件须以 .xlsx 结尾 (template must be .xlsx)")
    try:
        write_template(file)
    except OSError as exc:
        output.fail(f"{file}: 无法写入：{exc.strerror} (cannot write)")
    output.stdout().print(f"已生成模板 {file}", highlight=False)


def import_(
    file: Path = typer.Argument(..., help="Excel 模板、DCAT-US data.json 或 YAML 目录"),
    fmt: ImportFormat = typer.Option(None, "--format", help="xlsx | dcat-us | yaml（默认按文件名判断）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验，不保存"),
    atomic: bool = typer.Option(False, "--atomic", help="全部合格才保存，否则一条也不保存"),
    report: Path = typer.Option(None, "--output", help="把导入报告（JSON）写入此文件"),
    publisher_map: Path = typer.Option(None, "--publisher-map", help="DCAT 发布者 → 部门 映射（YAML）"),
    region: str = typer.Option(None, "--region", help="新建部门所在的 6 位行政区划代码"),
    mapping: Path = typer.Option(None, "--mapping", help="--format mapped 的映射文件（YAML，见 examples/mappings）"),
    missing: MissingAction = typer.Option(MissingAction.flag, "--missing",
                                          help="来源中已消失的记录：flag 标记 | withdraw 撤回（从不删除）"),
    source_system: str = typer.Option(None, "--source-system", help="来源系统标识（默认取映射文件或文件名）"),
) -> None:
    """导入目录：逐条校验，保存合格记录，按来源（表!单元格 / 数据集）报告问题。

    mapped 与 dcat-us（非 --dry-run/--atomic）为无损导入：每条记录必为 新建 / 更新 / 待整改 / 重复 之一。"""
    from catalog.interop.service import guess_format, import_input

    if not file.exists():
        output.fail(f"{file}: 文件或目录不存在 (no such file or directory)")
    catalog = open_catalog()
    try:
        kind = fmt.value if fmt else ("mapped" if mapping else guess_format(file.name, is_dir=file.is_dir()))
        if kind == "mapped" or (kind == "dcat-us" and not (dry_run or atomic)):
            _harvest(catalog.db, file, kind, report, mapping=mapping, region=region, publisher_map=publisher_map,
                     missing=missing.value, source_system=source_system)
        with _progress() as tick:
            summary = import_input(db=catalog.db, actor=SYSTEM, fmt=kind, name=file.name, path=file,
                                   dry_run=dry_run, atomic=atomic, publisher_map=publisher_map, region=region,
                                   progress=tick, standards=catalog.files)
    except CatalogError as exc:
        output.fail_with(exc)
    finally:
        catalog.close()
    if report:
        report.write_text(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    out = output.stdout()
    if summary.findings:
        out.print(output.findings_table(summary.findings[:200], title="导入问题 findings"))
        if len(summary.findings) > 200:
            out.print(f"……共 {len(summary.findings)} 条，完整列表见 --output 报告", highlight=False)
    mode = "（试运行，未保存 dry run）" if dry_run else "（atomic：有不合格记录，全部未保存）" if summary.rolled_back else ""
    out.print(f"读取 read {summary.read}，合格 valid {summary.valid}，保存 stored {summary.stored}，"
              f"跳过 skipped {summary.skipped}{mode}", highlight=False)
    if summary.departments_created:
        out.print("新建部门 departments created: " + "，".join(
            f"{c} {n}" for c, n in summary.departments_created.items()), highlight=False)
    if summary.findings:
        out.print("按规则 by rule: " + "，".join(f"{r} {n}" for r, n in summary.by_rule().items()), highlight=False)
    has_errors = any(f.severity == "error" for f in summary.findings)
    raise typer.Exit(output.EXIT_FINDINGS if has_errors else output.EXIT_OK)


def _harvest(db, file: Path, kind: str, report: Path | None, **options) -> None:  # type: ignore[no-untyped-def]
    """The lossless import: print the outcome counts, write the full report, exit 1 when records are staged."""
    from catalog.interop.harvest_sources import harvest_input

    try:
        data = file.read_bytes()
    except OSError as exc:
        output.fail(f"{file}: 无法读取：{exc.strerror} (cannot read)")
    with _progress() as tick:
        result = harvest_input(db=db, actor=SYSTEM, fmt=kind, name=file.name, data=data,
                               mapping_path=options.pop("mapping"), progress=tick, **options)
    body = result.to_dict()
    if report:
        report.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
    out = output.stdout()
    c = result.counts()
    out.print(f"导入批次 run {result.run_id}（{result.source_system}）：读取 read {c['read']} = 新建 created "
              f"{c['created']} + 更新 updated {c['updated']} + 待整改 staged {c['staged']} + 重复 duplicates "
              f"{c['duplicates']}；来源已消失 missing {c['missing']}；新建部门 {c['departments_created']}",
              highlight=False)
    if result.staged:
        from collections import Counter

        rules = Counter(f["rule"] for s in result.staged for f in s["findings"] if f["severity"] == "error")
        out.print("待整改问题 by rule: " + "，".join(f"{r} {n}" for r, n in rules.most_common()), highlight=False)
        out.print("待整改记录可用 `mulu staged list` 查看、`mulu staged fix` 修改后提交", highlight=False)
    raise typer.Exit(output.EXIT_FINDINGS if result.staged else output.EXIT_OK)


def import_runs(limit: int = typer.Option(20, "--limit", help="最多列出几次")) -> None:
    """列出导入批次：来源、时间、新建 / 更新 / 待整改 / 重复 / 消失 的条数。"""
    from rich.table import Table

    from catalog.interop.runs import list_runs

    table = Table(title="导入批次 import runs")
    for column in ("批次", "来源系统", "格式", "开始", "读取", "新建", "更新", "待整改", "重复", "消失"):
        table.add_column(column)
    for run in list_runs(db=open_db(), limit=limit):
        c = run["counts"]
        table.add_row(str(run["id"]), run["source_system"], run["format"], run["started_at"][:19],
                      *(str(c.get(k, 0)) for k in ("read", "created", "updated", "staged", "duplicates", "missing")))
    output.stdout().print(table)


class _progress:
    """A rich progress bar on an interactive terminal for long imports; a no-op callback otherwise."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        import sys

        self.bar = None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(console=output.stderr(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("导入 importing", total=None)
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if self.bar is not None and total >= 200:
            self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def export(
    out: Path = typer.Argument(..., help="输出文件（xlsx / json / jsonld）或目录（yaml）"),
    fmt: ExportFormat = typer.Option(..., "--format", help="xlsx | dcat-us | dcat-ap | yaml"),
    state: list[str] = typer.Option(None, "--state", help="只导出这些状态（可重复；默认：DCAT 只导出已发布，"
                                                          "xlsx / yaml 导出全部）"),
) -> None:
    """导出目录：Excel 模板、DCAT-US data.json、DCAT-AP JSON-LD 或 YAML 目录（每个资源一个文件）。"""
    from catalog.interop.dcat_ap import to_dcat_ap
    from catalog.interop.dcat_us import to_dcat_us
    from catalog.interop.exports import catalogue_records
    from catalog.interop.xlsx_writer import write_xlsx
    from catalog.interop.yaml_tree import write_yaml_tree

    # Exporting DCAT is publishing: drafts and withdrawn records stay in unless asked for by --state.
    publishing = fmt in (ExportFormat.dcat_us, ExportFormat.dcat_ap)
    states = tuple(state) if state else (("published",) if publishing else None)
    records = catalogue_records(db=open_db(), states=states)
    try:
        if fmt is ExportFormat.xlsx:
            write_xlsx(records, out)
        elif fmt is ExportFormat.yaml:
            write_yaml_tree(records, out)
        else:
            doc = to_dcat_us(records) if fmt is ExportFormat.dcat_us else to_dcat_ap(records)
            out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        output.fail(f"{out}: 无法写入：{exc.strerror} (cannot write)")
    output.stdout().print(f"已导出 {len(records)} 个资源到 {out}（{fmt.value}）", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("template")(template)
    app.command("import")(import_)
    app.command("import-runs")(import_runs)
    app.command("export")(export)
