"""The Elasticsearch index: analysis (CJK bigrams from built-in parts), the explicit mapping, and the source
document written for a SearchDocument (pinyin and the vocabulary terms computed in Python)."""
from __future__ import annotations

from typing import Any

from catalog.search.analysis import pinyin_tokens
from catalog.search.base import FACETS
from catalog.search.documents import SearchDocument

ANALYSIS = {
    "filter": {"prefix_ngram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 24}},
    "analyzer": {
        "cjk_text": {"type": "custom", "tokenizer": "standard", "filter": ["cjk_width", "lowercase", "cjk_bigram"]},
        "prefix_index": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase", "prefix_ngram"]},
        "prefix_search": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
        "name_prefix_index": {"type": "custom", "tokenizer": "keyword", "filter": ["lowercase", "prefix_ngram"]},
        "name_prefix_search": {"type": "custom", "tokenizer": "keyword", "filter": ["lowercase"]},
    },
}
MATCH_FIELD = "all"  # every text field copied into one: matching is one phrase per term, scoring per field
COPY = {"copy_to": [MATCH_FIELD]}


def _text(raw: bool = False) -> dict[str, Any]:
    fields: dict[str, Any] = {"uni": {"type": "text", "analyzer": "standard"}}
    if raw:
        fields["raw"] = {"type": "keyword", "ignore_above": 256}
    return {"type": "text", "analyzer": "cjk_text", "fields": fields, **COPY}


MAPPING = {
    "dynamic": "strict",
    "properties": {
        "code": {"type": "keyword"},
        "name": {**_text(raw=True), "fields": {**_text(raw=True)["fields"], "prefix": {
            "type": "text", "analyzer": "name_prefix_index", "search_analyzer": "name_prefix_search"}}},
        "abstract": _text(),
        "provider": _text(),
        "keywords": _text(raw=True),
        "item_names": _text(raw=True),
        "item_identifiers": {"type": "text", "analyzer": "standard", **COPY},
        "codes": {"type": "text", "analyzer": "standard", **COPY},
        MATCH_FIELD: {"type": "text", "analyzer": "cjk_text", "norms": False},
        "pinyin": {"type": "text", "analyzer": "prefix_index", "search_analyzer": "prefix_search"},
        "terms": {"type": "keyword", "ignore_above": 64},  # the vocabulary typos are corrected towards
        "classification": {"type": "keyword"},
        "published_on": {"type": "date", "format": "yyyy-MM-dd"},
        "updated_at": {"type": "date", "format": "yyyy-MM-dd"},
        "format_type": {"type": "keyword"},
        **{f: {"type": "keyword"} for f in FACETS},
    },
}
INDEX_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "analysis": ANALYSIS, "max_result_window": 10_000}
# what a Hit needs; nothing else travels back
SOURCE = ["code", "name", "provider", "provider_code", "classification", "share_type", "format_category",
          "update_cycle", "open_to_public", "state", "published_on", "abstract"]


def source_of(doc: SearchDocument) -> dict[str, Any]:
    body = doc.to_dict()
    body.update({f: doc.facet_value(f) for f in FACETS})
    body["pinyin"] = pinyin_tokens([doc.name, *doc.keywords, *doc.item_names])
    body["terms"] = doc.index_terms
    return body
