"""The one search suite, run against both backends (embedded SQLite FTS5 and Elasticsearch)."""
from __future__ import annotations

import pytest

from catalog.search.base import SearchBackend, SearchQuery, Visibility
from catalog.search.documents import document_from_record
from tests.search.corpus import CIVIL, CORPUS, MARKET, TAX, record

ALL = Visibility.everything()


def codes(backend: SearchBackend, q: str = "", **kw: object) -> list[str]:
    return [h.code for h in backend.search(SearchQuery(q=q, **kw)).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize("q, first", [
    ("企业登记基本信息", "102001/000001"),
    ("企业登记", "102001/000001"),
    ("纳税人登记", "303001330782103/000001"),
    ("低保", "305004330782105/000001"),           # keyword
    ("最低生活保障", "305004330782105/000001"),    # name part
    ("社会救助", "305004330782105/000001"),
    ("欠税", "303005330782103/000001"),            # 2 characters
    ("社保", "304004330782104/000001"),
])
def test_the_obvious_resource_comes_first(loaded: SearchBackend, q: str, first: str) -> None:
    assert codes(loaded, q)[0] == first


def test_an_item_name_finds_every_published_resource_carrying_it(loaded: SearchBackend) -> None:
    found = set(codes(loaded, "统一社会信用代码"))
    assert found == {"102001/000001", "301002330782101/000001", "303001330782103/000001"}


@pytest.mark.parametrize("q, expected", [
    ("工商", {"102001/000001", "301002330782101/000001"}),                 # old department name
    ("质监", {"102001/000001", "301002330782101/000001"}),
    ("国税", {"303001330782103/000001", "303005330782103/000001"}),
    ("地税", {"303001330782103/000001", "303005330782103/000001"}),
    ("统一社会信用代玛", {"102001/000001", "301002330782101/000001", "303001330782103/000001"}),  # wrong char
    ("tyshxydm", {"102001/000001", "301002330782101/000001", "303001330782103/000001"}),        # initials
    ("qydj", {"102001/000001"}),
    ("nashuiren", {"303001330782103/000001", "303005330782103/000001"}),                         # full pinyin
])
def test_what_people_type(loaded: SearchBackend, q: str, expected: set[str]) -> None:
    assert set(codes(loaded, q)) == expected


def test_old_name_combined_with_a_topic_narrows(loaded: SearchBackend) -> None:
    assert codes(loaded, "工商 行政处罚")[0] == "301002330782101/000001"


def test_one_character_query(loaded: SearchBackend) -> None:
    found = codes(loaded, "税")
    assert "303001330782103/000001" in found and "303005330782103/000001" in found
    assert "305004330782105/000001" not in found


def test_identifier_and_code_queries(loaded: SearchBackend) -> None:
    assert codes(loaded, "taxpayer_id") == ["303001330782103/000001"]
    assert codes(loaded, "102001/000001")[0] == "102001/000001"


def test_nothing_matches_nonsense(loaded: SearchBackend) -> None:
    assert codes(loaded, "火星探测器轨道") == []


@pytest.mark.parametrize("filters, expected", [
    ({"provider_code": (TAX,)}, {"303001330782103/000001", "303005330782103/000001"}),
    ({"classification": ("1",)}, {"102001/000001"}),
    ({"classification": ("303",)}, {"303001330782103/000001", "303005330782103/000001"}),
    # LIKE wildcards are literal characters: they match no classification (they used to match all)
    ({"classification": ("%",)}, set()), ({"classification": ("_",)}, set()), ({"classification": ("3_3",)}, set()),
    ({"classification": ("\\",)}, set()),
    ({"open_to_public": ("true",)}, {"102001/000001", "303005330782103/000001"}),
    ({"share_type": ("无条件共享",)}, {"102001/000001"}),
    ({"format_category": ("电子表格",)}, {"303005330782103/000001"}),
    ({"update_cycle": ("每月",), "provider_code": (TAX, CIVIL)}, {"303001330782103/000001", "305004330782105/000001"}),
])
def test_filters(loaded: SearchBackend, filters: dict, expected: set[str]) -> None:
    assert set(codes(loaded, "", filters=filters)) == expected


def test_filters_combine_with_text(loaded: SearchBackend) -> None:
    assert set(codes(loaded, "统一社会信用代码", filters={"provider_code": (MARKET,)})) == {
        "102001/000001", "301002330782101/000001"}


def test_facet_counts_follow_the_query(loaded: SearchBackend) -> None:
    result = loaded.search(SearchQuery(q="统一社会信用代码"))
    assert result.count == 3
    providers = {f.value: (f.count, f.label) for f in result.facets["provider_code"]}
    assert providers == {MARKET: (2, "义乌市市场监督管理局"), TAX: (1, "国家税务总局义乌市税务局")}
    assert {f.value: f.count for f in result.facets["classification_class"]} == {"1": 1, "3": 2}
    assert {f.value: f.count for f in result.facets["open_to_public"]} == {"true": 1, "false": 2}
    assert {f.value: f.count for f in result.facets["state"]} == {"published": 3}


def test_drafts_only_for_those_allowed(loaded: SearchBackend) -> None:
    draft = "305004330782105/000002"
    assert draft not in codes(loaded, "社会组织")
    assert draft in codes(loaded, "社会组织", visibility=ALL)
    assert draft in codes(loaded, "社会组织", visibility=Visibility(own_department=CIVIL))
    assert draft not in codes(loaded, "社会组织", visibility=Visibility(own_department=MARKET))
    assert draft not in loaded.suggest("社会组织")
    everything = loaded.search(SearchQuery(visibility=ALL))
    assert {f.value: f.count for f in everything.facets["state"]} == {"published": 6, "draft": 1}


def test_pagination_and_sort_by_date(loaded: SearchBackend) -> None:
    first = loaded.search(SearchQuery(size=2, page=1, sort="date"))
    second = loaded.search(SearchQuery(size=2, page=2, sort="date"))
    assert first.count == second.count == 6
    assert [h.code for h in first.hits] == ["303001330782103/000001", "102001/000001"]
    assert [h.published_on for h in second.hits] == ["2024-01-20", "2023-11-01"]
    last = loaded.search(SearchQuery(size=4, page=2, sort="date"))
    assert len(last.hits) == 2


def test_highlight_marks_the_match(loaded: SearchBackend) -> None:
    hit = loaded.search(SearchQuery(q="企业登记")).hits[0]
    assert "<em>" in "".join(hit.highlight.get("name", []))
    items = loaded.search(SearchQuery(q="纳税人识别号")).hits[0].highlight.get("item_names", [])
    assert any("<em>" in f and "识别号" in f for f in items)


def test_suggest_by_prefix_and_by_pinyin(loaded: SearchBackend) -> None:
    assert loaded.suggest("企业")[0] == "企业登记基本信息"
    assert "纳税人登记信息" in loaded.suggest("nsr")
    assert loaded.suggest("") == []


def test_update_and_remove(loaded: SearchBackend) -> None:
    rec = record("102001/000001", "市场主体名录", provider="义乌市市场监督管理局", provider_code=MARKET,
                 abstract="更名后的资源。", items=[("主体名称", "subject_name")])
    loaded.index([document_from_record(rec, state="published")])
    assert codes(loaded, "企业登记基本信息") != ["102001/000001"]
    assert codes(loaded, "市场主体名录")[0] == "102001/000001"  # ranked first; others sharing a word may follow
    loaded.remove(["102001/000001", "999999/000001"])
    assert "102001/000001" not in codes(loaded, "市场主体名录")
    assert loaded.search(SearchQuery()).count == 5


def test_rebuild_replaces_everything(loaded: SearchBackend) -> None:
    rec, _ = CORPUS[0]
    assert loaded.rebuild([document_from_record(rec, state="published")]) == 1
    assert loaded.search(SearchQuery()).count == 1
    assert codes(loaded, "企业登记") == ["102001/000001"]
    assert loaded.health()["ok"] is True


def test_facets_are_disjunctive_a_filtered_field_still_lists_the_other_values(loaded: SearchBackend) -> None:
    q = "统一社会信用代码"
    unfiltered = {f.value: f.count for f in loaded.search(SearchQuery(q=q)).facets["provider_code"]}
    result = loaded.search(SearchQuery(q=q, filters={"provider_code": (TAX,)}))
    assert [h.code for h in result.hits] == ["303001330782103/000001"] and result.count == 1
    providers = {f.value: f.count for f in result.facets["provider_code"]}
    assert len(providers) > 1 and providers == unfiltered  # the provider facet ignores its own filter
    # other fields' facets count only the chosen provider's resources
    assert {f.value: f.count for f in result.facets["share_type"]} == {
        h.share_type: 1 for h in result.hits}
    assert sum(f.count for f in result.facets["state"]) == 1


def test_disjunctive_facets_or_within_a_field_and_across_fields(loaded: SearchBackend) -> None:
    both = loaded.search(SearchQuery(filters={"provider_code": (MARKET, TAX)}))
    by_provider = {f.value: f.count for f in loaded.search(SearchQuery()).facets["provider_code"]}
    assert both.count == by_provider[MARKET] + by_provider[TAX]
    assert {f.value: f.count for f in both.facets["provider_code"]} == by_provider
    shares = {f.value: f.count for f in both.facets["share_type"]}
    assert sum(shares.values()) == both.count
    # a share-type filter narrows the provider facet, and the share-type facet ignores its own filter
    narrowed = loaded.search(SearchQuery(filters={"provider_code": (MARKET, TAX), "share_type": ("有条件共享",)}))
    assert narrowed.count == shares["有条件共享"]
    assert {f.value: f.count for f in narrowed.facets["share_type"]} == shares
    assert sum(f.count for f in narrowed.facets["provider_code"]) == len(
        [h for h in loaded.search(SearchQuery(filters={"share_type": ("有条件共享",)}, size=100)).hits])
    # classification (prefix filter): the class facet still lists the other classes
    classes = loaded.search(SearchQuery(filters={"classification": ("3",)}))
    assert {f.value for f in classes.facets["classification_class"]} >= {"1", "3"}
    assert {f.value for f in classes.facets["provider_code"]} == {h.provider_code for h in
                                                                   loaded.search(SearchQuery(filters={"classification": ("3",)}, size=100)).hits}
