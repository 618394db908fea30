"""Query understanding and ranking behaviours, on the shared planner and on both backends over the small corpus."""
from __future__ import annotations

import pytest

from catalog.search.analysis import Vocabulary, lexicon_for
from catalog.search.base import SearchBackend, SearchQuery
from catalog.search.documents import document_from_record
from catalog.search.plan import CORRECTION, Planner, QueryPlan, is_generic
from catalog.standards import load_standards
from tests.search.corpus import HRSS, record


def plan(q: str, vocabulary: tuple[str, ...] = ()) -> QueryPlan:
    standards = load_standards()
    return Planner(lexicon=lexicon_for(standards), departments=standards.departments.values()).plan(
        q, vocabulary=Vocabulary(vocabulary))


def codes(backend: SearchBackend, q: str) -> list[str]:
    return [h.code for h in backend.search(SearchQuery(q=q)).hits]


@pytest.mark.parametrize("q, kept", [("5G基站", "5g"), ("12345热线", "12345"), ("GDP增速", "gdp"), ("R&D经费", "r&d"),
                                     ("taxpayer_id", "taxpayer_id")])
def test_latin_and_digit_tokens_are_kept_whole_and_case_folded(q: str, kept: str) -> None:
    assert kept in [c.typed for c in plan(q).clauses]


def test_a_synonym_inside_another_word_does_not_cut_or_expand_it() -> None:
    # 工商 is a general synonym of 市场监督管理, but inside 个体工商户 it is not a word of the query
    terms = {t for c in plan("个体工商户 名录").clauses for t in c.texts()}
    assert "市场监督管理" not in terms and "工商" not in terms
    assert "个体户" in terms  # the whole word's own synonym is a weighted alternative
    typed = plan("个体工商户").clauses[0]
    assert typed.terms[0].text == "个体工商户" and all(t.weight < 1 for t in typed.terms[1:])


def test_a_department_alias_matches_the_registry_department_only_as_a_whole_name() -> None:
    whole = [t for c in plan("人社局").clauses for t in c.terms if t.provider_only]
    assert [t.text for t in whole] == ["义乌市人力资源和社会保障局"]
    # 税务 is an alias of the tax office, but 税务师 (a tax adviser) is another word
    assert not [t for c in plan("税务师事务所").clauses for t in c.terms if t.provider_only]


def test_generic_catalogue_words_are_down_weighted_not_required() -> None:
    p = plan("低保 清单")
    assert [c.typed for c in p.required] == ["低保"] and [c.typed for c in p.optional] == ["清单"]
    assert is_generic("统计数据") and not is_generic("统计局")


def test_a_wrong_character_is_corrected_against_the_index_vocabulary() -> None:
    p = plan("空汽质量", ("空气质量", "水质"))
    terms = [t for c in p.clauses for t in c.terms]
    # the correction, or its parts with the corrected word as a phrase boost
    assert any(t.kind == CORRECTION and t.text == "空气质量" for t in terms) or "空气质量" in p.phrases
    assert "空汽质量" not in p.phrases


def test_ranking_not_filtering_any_word_may_match(loaded: SearchBackend) -> None:
    found = codes(loaded, "纳税人 低保")  # no resource has both: each one's resources are found
    assert "303001330782103/000001" in found and "305004330782105/000001" in found


def test_generic_word_does_not_hide_a_resource_without_it(loaded: SearchBackend) -> None:
    assert codes(loaded, "低保 清单 目录")[0] == "305004330782105/000001"


def test_department_typed_by_an_old_name_finds_its_resources(loaded: SearchBackend) -> None:
    assert codes(loaded, "人社局")[0] == "304004330782104/000001"


def test_mixed_script_token_matches_whole(loaded: SearchBackend) -> None:
    loaded.index([document_from_record(record("304004330782104/000009", "5G基站建设信息", provider="义乌市人力资源和社会保障局",
                                              provider_code=HRSS, abstract="通信基站。", items=[("站点名称", "site_name")]),
                                       state="published")])
    assert codes(loaded, "5g")[0] == "304004330782104/000009"
    assert codes(loaded, "5G 基站")[0] == "304004330782104/000009"
    assert codes(loaded, "g") == [] or "304004330782104/000009" not in codes(loaded, "55g")


def test_an_empty_result_offers_did_you_mean_and_related_terms(loaded: SearchBackend) -> None:
    result = loaded.search(SearchQuery(q="低宝"))
    assert result.count == 0 and "低保" in result.did_you_mean
    assert loaded.search(SearchQuery(q="低保")).did_you_mean == []
    related = loaded.search(SearchQuery(q="老赖黑户"))
    assert related.count == 0 or related.hits
    assert "did_you_mean" in result.to_dict() and "related" in result.to_dict()
