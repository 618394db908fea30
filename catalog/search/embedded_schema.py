"""The embedded index's tables and rows (SQLite, FTS5 over CJK bigrams).

    search_docs   one row per resource: facet columns + the document as JSON
    search_facets the facet/filter/sort columns only (narrow rows: facet counts over many matches stay cheap)
    search_fts    FTS5 (unicode61) over bigram-tokenised text; rowid = search_docs.rowid
    search_terms  the vocabulary (keywords, item names, words of names) with document frequency
    search_meta   counters (vocabulary version, documents version)
Any substring of ≥ 2 characters is an exact phrase over bigrams; a single character is a prefix
query over bigrams, so 1- and 2-character queries work.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from catalog.search.analysis import bigram_tokens, pinyin_tokens
from catalog.search.base import FACETS
from catalog.search.documents import SearchDocument
from catalog.search.plan import FIELD_WEIGHTS

TEXT_COLUMNS = ("name", "provider", "keywords", "items", "abstract", "codes")
_COLUMN_FIELD = {"name": "name", "provider": "provider", "keywords": "keywords", "items": "item_names", "abstract": "abstract"}
WEIGHTS = ", ".join([*(str(FIELD_WEIGHTS.get(_COLUMN_FIELD.get(c, ""), 3.0)) for c in TEXT_COLUMNS), "4.0"])  # + pinyin
FACET_COLUMNS = FACETS
DOC_COLUMNS = ("code", *FACET_COLUMNS, "classification", "name", "published_on", "updated_at", "doc", "terms")
BATCH = 2000

SCHEMA = """
CREATE TABLE IF NOT EXISTS search_docs (
    rowid INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, provider_code TEXT, classification_class TEXT,
    classification_item TEXT, share_type TEXT, format_category TEXT, update_cycle TEXT,
    open_to_public TEXT, state TEXT, classification TEXT, name TEXT, published_on TEXT, updated_at TEXT,
    doc TEXT NOT NULL, terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_search_docs_state ON search_docs(state, provider_code);
CREATE INDEX IF NOT EXISTS ix_search_docs_name ON search_docs(name);
CREATE INDEX IF NOT EXISTS ix_search_docs_published ON search_docs(published_on);
CREATE TABLE IF NOT EXISTS search_facets (
    rowid INTEGER PRIMARY KEY, code TEXT NOT NULL, provider_code TEXT, classification_class TEXT,
    classification_item TEXT, share_type TEXT, format_category TEXT, update_cycle TEXT,
    open_to_public TEXT, state TEXT, classification TEXT, published_on TEXT
);
CREATE INDEX IF NOT EXISTS ix_search_facets_published ON search_facets(published_on, code);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    name, provider, keywords, items, abstract, codes, pinyin, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
"""
DROP = ("DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search_docs; DROP TABLE IF EXISTS search_terms; "
        "DROP TABLE IF EXISTS search_facets;")
KEY_COLUMNS = ("code", *FACET_COLUMNS, "classification", "published_on")  # search_facets
INSERT_KEYS = f"INSERT INTO search_facets(rowid, {', '.join(KEY_COLUMNS)}) VALUES ({', '.join('?' * (len(KEY_COLUMNS) + 1))})"


def joined(values: Iterable[str]) -> str:
    return " ".join(t for v in values for t in bigram_tokens(v))


def fts_row(doc: SearchDocument) -> tuple[str, ...]:
    return (
        joined([doc.name]),
        joined([doc.provider]),
        joined(doc.keywords),
        joined([*doc.item_names, *(i.replace("_", " ") for i in doc.item_identifiers)]),
        joined([doc.abstract]),
        joined(doc.codes),
        " ".join(pinyin_tokens([doc.name, *doc.keywords, *doc.item_names])),
    )


def terms_of(doc: SearchDocument) -> list[str]:
    return doc.index_terms


def key_row(rowid: int, doc: SearchDocument) -> tuple[Any, ...]:
    return (rowid, doc.code, *(doc.facet_value(f) for f in FACET_COLUMNS), doc.classification, doc.published_on)


# What the full-text row and the vocabulary are made of: a document whose fields here are unchanged (a
# submit, publish or withdraw) keeps them, and only its facet columns and JSON are rewritten.
TEXT_FIELDS = ("name", "provider", "keywords", "item_names", "item_identifiers", "abstract", "codes", "classification")
RESTATE_DOC = (f"UPDATE search_docs SET {', '.join(f'{c} = ?' for c in (*FACET_COLUMNS, 'published_on', 'updated_at', 'doc'))}"
               " WHERE rowid = ?")
RESTATE_KEYS = f"UPDATE search_facets SET {', '.join(f'{c} = ?' for c in (*FACET_COLUMNS, 'published_on'))} WHERE rowid = ?"


def same_text(old: dict[str, Any], doc: SearchDocument) -> bool:
    """Whether `doc` has the text of the indexed document `old` (its JSON): only state-like fields differ."""
    return all(old.get(f) == getattr(doc, f) for f in TEXT_FIELDS)


def restate_rows(rowid: int, doc: SearchDocument) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The parameters of RESTATE_DOC and RESTATE_KEYS for `doc` at `rowid`."""
    facets = [doc.facet_value(f) for f in FACET_COLUMNS]
    return ((*facets, doc.published_on, doc.updated_at, json.dumps(doc.to_dict(), ensure_ascii=False), rowid),
            (*facets, doc.published_on, rowid))


def doc_row(doc: SearchDocument) -> tuple[Any, ...]:
    facets = [doc.facet_value(f) for f in FACET_COLUMNS]
    return (doc.code, *facets, doc.classification, doc.name, doc.published_on, doc.updated_at,
            json.dumps(doc.to_dict(), ensure_ascii=False), json.dumps(terms_of(doc), ensure_ascii=False))


