"""The compact resource specification the seed generator expands into full records."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SHARE = {"U": "无条件共享", "C": "有条件共享", "N": "不予共享"}


@dataclass(frozen=True)
class Spec:
    slug: str
    name: str
    cls: str            # 6 digits (类 1/2) or a 3-digit 目 of 类 3 (001 行政许可 … 006 内部管理)
    fmt: str            # "<format category>/<format type>"
    share: str          # 无条件共享 | 有条件共享 | 不予共享
    cycle: str
    date: str
    abstract: str
    keywords: tuple[str, ...]
    items: str = ""     # space-separated: data-element names, common items, or 名称=identifier:T:len[:prec]
    cond: str | None = None
    open: str | None = None
    related: tuple[str, ...] = ()
    api: dict[str, Any] | None = None
    method: str | None = None


def R(slug: str, name: str, cls: str, fmt: str, share: str, cycle: str, date: str, abstract: str,
      keywords: str, items: str = "", *, cond: str | None = None, open: str | None = None,
      related: tuple[str, ...] | list[str] = (), api: dict[str, Any] | None = None,
      method: str | None = None) -> Spec:
    """One resource; share is U/C/N, keywords are space-separated."""
    return Spec(slug=slug, name=name, cls=cls, fmt=fmt, share=SHARE[share], cycle=cycle, date=date,
                abstract=abstract, keywords=tuple(keywords.split()), items=" ".join(items.split()),
                cond=cond, open=open, related=tuple(related), api=api, method=method)


