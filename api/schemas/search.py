"""Search hits and nearby resources (the domain's `Hit` dataclass, documented as it is), facets and name suggestions."""
from __future__ import annotations

from pydantic import Field

from api.schemas.common import Out, Page
from catalog.search.base import Hit


class FacetValueOut(Out):
    value: str
    label: str
    count: int


class SearchOut(Page[Hit]):
    count_estimated: bool = Field(description="宽泛查询时计数由抽样估计")
    facets: dict[str, list[FacetValueOut]] = Field(description="分面：字段 → 取值、名称与计数")
    degraded: bool = Field(description="检索引擎不可用，使用了降级检索")
    backend: str
    interpreted: list[list[str]] = Field(description="查询的理解：每个子句的词")
    did_you_mean: list[str]
    related: list[str]
    nearby: list[Hit] = Field(description="相近的资源：首页结果不足一页时，与查询部分匹配的资源（排在结果之后，不计入 count 与分面，无高亮）")


SuggestPage = Page[str]
