"""Load `standards/`: parse each file, check it against its meta-schema (errors name file and line), compile."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from catalog.errors import InvalidInput
from catalog.standards.locate import line_of
from catalog.standards.model import Standards

if TYPE_CHECKING:
    from catalog.settings import Settings

REQUIRED = ("core-metadata", "interface-contract", "code-lists", "naming", "classification",
            "departments", "data-elements", "synonyms")
_FORMATS = FormatChecker()
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 7x faster on the standards files


class StandardsError(InvalidInput):
    """A standards file is missing, unreadable or breaks its meta-schema."""

    code = "invalid_standards"


def default_standards_dir() -> Path:
    """The standards shipped with mulu. The settings' folder (`MULU_STANDARDS_DIR`) is the door's to pass:
    `Catalog.from_settings(settings)` loads it; nothing below the doors reads the environment."""
    import standards

    return Path(standards.__file__).parent


def standards_dir(settings: Settings) -> Path:
    """The settings' standards folder, else the one shipped with mulu."""
    return settings.standards_dir if settings.standards_dir is not None else default_standards_dir()


def load_standards(directory: Path | None = None) -> Standards:
    """The standards in `directory` (default: see `default_standards_dir`), loaded once per directory."""
    return _load(_resolved(Path(directory or default_standards_dir())))


@cache
def _resolved(directory: Path) -> Path:
    """The absolute folder, so that two spellings of one folder share one load (resolved once each)."""
    return directory.resolve()


def _fail(path: Path, text: str, where: list[str | int], message: str) -> StandardsError:
    line = line_of(text, where)
    pointer = "/" + "/".join(str(p) for p in where) if where else ""
    at = f"{path}:{line}" if line else str(path)
    return StandardsError(f"{at}: 标准文件不符合元模式 (meta-schema) {pointer}: {message}")


class _Metas:
    """The meta-schemas of `meta_dir`, by standard id. A file passes when jsonschema_rs (compiled, ~50x faster:
    most of a CLI start-up went here) says it is valid; only a failing file is checked again by `jsonschema`,
    whose best error is the one reported, so the message is the same as without the fast path."""

    def __init__(self, meta_dir: Path) -> None:
        self.schemas = {p.name.removesuffix(".schema.json"): json.loads(p.read_text("utf-8"))
                        for p in sorted(meta_dir.glob("*.schema.json"))}
        self._fast: dict[str, Any] = {}
        self._exact: dict[str, Draft202012Validator] = {}
        self._registry: Registry | None = None  # jsonschema's, built for the first failing file

    def __contains__(self, standard_id: object) -> bool:
        return standard_id in self.schemas

    def error(self, standard_id: str, doc: Any) -> Any:
        """The best error of `doc` against the meta-schema `standard_id`, or None."""
        fast = self._fast_validator(standard_id)
        if fast is not None and fast.is_valid(doc):
            return None
        return best_match(self._exact_validator(standard_id).iter_errors(doc))

    def _fast_validator(self, standard_id: str) -> Any:
        if standard_id not in self._fast:
            try:
                import jsonschema_rs

                registry = jsonschema_rs.Registry([(s["$id"], s) for s in self.schemas.values()])
                self._fast[standard_id] = jsonschema_rs.Draft202012Validator(
                    self.schemas[standard_id], validate_formats=True, registry=registry)
            except (ImportError, ValueError):  # pragma: no cover - a declared dependency; a schema it cannot read
                self._fast[standard_id] = None
        return self._fast[standard_id]

    def _exact_validator(self, standard_id: str) -> Draft202012Validator:
        if standard_id not in self._exact:
            if self._registry is None:
                self._registry = Registry().with_resources(
                    (s["$id"], Resource.from_contents(s, default_specification=DRAFT202012))
                    for s in self.schemas.values())
            self._exact[standard_id] = Draft202012Validator(self.schemas[standard_id], registry=self._registry,
                                                            format_checker=_FORMATS)
        return self._exact[standard_id]


def _schema_error(doc: Any) -> Any:
    """The best error of `doc` as a JSON Schema 2020-12 (fast yes first, as in `_Metas`), or None."""
    try:
        import jsonschema_rs

        if jsonschema_rs.meta.is_valid(doc):
            return None
    except Exception:  # noqa: BLE001 - not installed (a declared dependency), or its own refusal of an odd
        pass  # document: the exact check below decides
    return best_match(Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(doc))


def _read(path: Path) -> tuple[str, Any]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardsError(f"{path}: 无法读取标准文件（须为 UTF-8）：{exc}") from None
    try:
        doc = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_SafeLoader)  # noqa: S506
    except json.JSONDecodeError as exc:
        raise StandardsError(f"{path}:{exc.lineno}: JSON 格式错误：{exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{path}:{mark.line + 1}" if mark else str(path)
        raise StandardsError(f"{at}: YAML 格式错误：{getattr(exc, 'problem', exc)}") from None
    if not isinstance(doc, dict):
        raise StandardsError(f"{path}:1: 标准文件应为映射 (mapping)，含 id、version、title")
    return text, doc


def _check(path: Path, text: str, doc: dict[str, Any], metas: _Metas) -> str:
    """Meta-check one file; return its standard id."""
    if path.name.endswith(".schema.json"):
        error = _schema_error(doc)
        if error is not None:
            raise _fail(path, text, list(error.absolute_path), f"不是合法的 JSON Schema 2020-12：{error.message}")
        head = doc.get("x-mulu")
        if not isinstance(head, dict) or not all(isinstance(head.get(k), str) for k in ("id", "version", "title")):
            raise _fail(path, text, ["x-mulu"], "JSON Schema 标准须有 x-mulu: {id, version, title}")
        if "$id" not in doc:
            raise _fail(path, text, [], "JSON Schema 标准须有 $id")
        standard_id: str = head["id"]
        return standard_id
    error = metas.error("standard", doc)
    if error is None and doc["id"] in metas:
        error = metas.error(doc["id"], doc)
    if error is not None:
        raise _fail(path, text, list(error.absolute_path), error.message)
    return str(doc["id"])


@cache
def _load(directory: Path) -> Standards:
    if not directory.is_dir():
        raise StandardsError(f"{directory}: 标准目录不存在 (standards directory not found)")
    meta_dir = directory / "meta"
    if not meta_dir.is_dir():
        import standards

        meta_dir = Path(standards.__file__).resolve().parent / "meta"
    metas = _Metas(meta_dir)
    documents: dict[str, dict[str, Any]] = {}
    files: dict[str, Path] = {}
    paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.schema.json")])
    for path in paths:
        text, doc = _read(path)
        std_id = _check(path, text, doc, metas)
        if std_id in files:
            raise StandardsError(f"{path}: 标准 id '{std_id}' 与 {files[std_id].name} 重复 (duplicate id)")
        documents[std_id], files[std_id] = doc, path
    missing = [s for s in REQUIRED if s not in documents]
    if missing:
        raise StandardsError(f"{directory}: 缺少标准文件 (missing standards): {', '.join(missing)}")
    return Standards(
        directory=directory,
        documents=documents,
        files=files,
        core_validator=Draft202012Validator(documents["core-metadata"], format_checker=_FORMATS),
        interface_validator=Draft202012Validator(documents["interface-contract"], format_checker=_FORMATS),
        core_fast=_fast_validator(documents["core-metadata"]),
        interface_fast=_fast_validator(documents["interface-contract"]),
    )


def _fast_validator(schema: dict[str, Any]) -> Any:
    """jsonschema_rs compiles the core schema to native code: a valid record is confirmed ~20x faster.

    It only answers yes or no; the findings of an invalid record always come from `jsonschema`, so
    the two can never disagree on what is reported. Absent the package, every record takes the slow path.
    """
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
