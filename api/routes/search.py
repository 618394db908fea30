"""/search: full-text search with filters, facet counts, highlights; /search/suggest: as-you-type names."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import Query

from api.deps import ActorDep, CatalogDep
from api.examples import ERRORS
from api.responses import FastJSONResponse
from api.routing import TypedRouter
from api.schemas.search import SearchOut, SuggestPage
from catalog.search import visibility_for
from catalog.search.service import make_query, suggest_names

router = TypedRouter(prefix="/search", tags=["检索 search"], responses=ERRORS)


@router.get("", summary="检索资源（全文、筛选、分面、高亮、分页）", response_model=SearchOut)
def search(catalog: CatalogDep, actor: ActorDep,
           q: str = Query("", max_length=200, description="查询词：名称、摘要、提供方、关键词、信息项；支持旧名称、同义词、拼音首字母"),
           provider_code: list[str] = Query([], description="提供方代码，如 330782101"),
           classification: list[str] = Query([], description="分类代码前缀：类 1、类项 102、完整代码"),
           share_type: list[str] = Query([], description="共享类型"),
           format_category: list[str] = Query([], description="格式分类"),
           update_cycle: list[str] = Query([], description="更新周期"),
           open_to_public: Literal["true", "false"] | None = Query(None, description="是否向社会开放"),
           state: list[str] = Query([], description="状态（仅对可见范围内有效）"),
           page: int = Query(1, ge=1, le=10_000), size: int = Query(20, ge=1, le=100),
           sort: Literal["relevance", "date"] = "relevance") -> FastJSONResponse:
    filters = {"provider_code": provider_code, "classification": classification, "share_type": share_type,
               "format_category": format_category, "update_cycle": update_cycle,
               "open_to_public": [open_to_public] if open_to_public else [], "state": state}
    query = make_query(q=q, filters=filters, page=page, size=size, sort=sort, visibility=visibility_for(actor))
    # plain JSON types already: answered as they are, without FastAPI's jsonable_encoder walk and response-model
    # validation over every hit and facet (SearchOut documents the body; test_openapi_contract checks it)
    return FastJSONResponse(catalog.search.search(query).to_dict())


@router.get("/suggest", summary="输入提示（名称前缀、拼音首字母）", response_model=SuggestPage)
def suggest(catalog: CatalogDep, actor: ActorDep, q: str = Query(..., max_length=100),
            limit: int = Query(10, ge=1, le=50)) -> dict[str, Any]:
    names = suggest_names(backend=catalog.search, prefix=q, visibility=visibility_for(actor), limit=limit)
    return {"data": names, "count": len(names)}
