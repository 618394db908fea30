"""Publisher → provider: map DCAT publishers to departments, generating 9-digit codes for new ones.

A publisher map (YAML) names departments for publishers:

    region: "330782"                      # optional: region of generated codes
    publishers:
      National Center for Education Statistics: "330782110"        # an existing department code
      Department of Agriculture: {code: "330782119", name: 义乌市农业农村局}
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from catalog.errors import InvalidInput
from catalog.interop.crosswalk import DEFAULT_REGION, FIRST_GENERATED_DEPARTMENT_NUMBER


@dataclass
class DepartmentDirectory:
    """Known departments (code → name) plus the ones an import creates; resolves publisher names."""

    known: dict[str, str]
    publisher_map: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    region: str = DEFAULT_REGION
    created: dict[str, str] = field(default_factory=dict)  # code → name, new in this import

    def __post_init__(self) -> None:
        self._by_name = {_norm(name): code for code, name in self.known.items()}

    def resolve(self, publisher: str) -> tuple[str, str, bool]:
        """(provider name, provider code, created now?) for a publisher name."""
        key = _norm(publisher)
        if key in self.publisher_map:
            code, name = self.publisher_map[key]
            name = name or self.known.get(code) or self.created.get(code) or publisher.strip()
            if code not in self.known and code not in self.created:
                self.created[code] = name
                self._by_name.setdefault(_norm(name), code)
                return name, code, True
            return name, code, False
        if key in self._by_name:
            code = self._by_name[key]
            return self.known.get(code) or self.created[code], code, False
        code = self._next_code()
        name = publisher.strip()
        self.created[code] = name
        self._by_name[key] = code
        return name, code, True

    def _next_code(self) -> str:
        used = {int(c[6:]) for c in (*self.known, *self.created) if c.startswith(self.region)}
        number = max([FIRST_GENERATED_DEPARTMENT_NUMBER - 1, *used]) + 1
        if number > 999:
            raise InvalidInput(f"区划 {self.region} 的部门代码已用尽 (no department numbers left in region)")
        return f"{self.region}{number:03d}"


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def load_publisher_map(path: Path) -> tuple[dict[str, tuple[str, str | None]], str | None]:
    """Read a publisher-map YAML file: (normalised publisher → (code, name or None), region or None)."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(f"{path}: 无法读取发布者映射文件 (cannot read publisher map): {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("publishers", {}), dict):
        raise InvalidInput(f"{path}: 发布者映射应为 {{publishers: {{名称: 部门代码}}}} (publisher map must be a mapping)")
    region = data.get("region")
    if region is not None and not (isinstance(region, str) and len(region) == 6 and region.isdigit()):
        raise InvalidInput(f"{path}: /region 应为 6 位行政区划代码 (region must be 6 digits)")
    result: dict[str, tuple[str, str | None]] = {}
    for publisher, value in (data.get("publishers") or {}).items():
        code, name = (value.get("code"), value.get("name")) if isinstance(value, dict) else (value, None)
        if not (isinstance(code, str) and len(code) == 9 and code.isdigit()):
            raise InvalidInput(
                f"{path}: /publishers/{publisher} 部门代码应为 9 位数字字符串 (department code must be 9 digits)"
            )
        result[_norm(str(publisher))] = (code, str(name) if name else None)
    return result, region
