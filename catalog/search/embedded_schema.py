"""The embedded index's tables and rows (SQLite, FTS5 over CJK bigrams).

    search_docs   one row per resource: facet columns + the document as JSON
    search_facets the facet/filter/sort columns only (narrow rows: facet counts over many matches stay cheap)
    search_fts    FTS5 (unicode61) over bigram-tokenised text; rowid = search_docs.rowid
    search_names  search_fts's name column, contentless, in another rowid order: the shortest names first (`rank_id`)
    search_rank   search_fts's other columns, contentless, in the same order as search_names
    search_text   the scored fields, normalised as queries are (the re-rank reads these, not the JSON)
    search_terms  the vocabulary (keywords, item names, words of names) with document frequency
    search_meta   counters (vocabulary version, documents version) and the index `format`
Any substring of ≥ 2 characters is an exact phrase over bigrams; a single character is a prefix
query over bigrams, so 1- and 2-character queries work.

Rowids are the order FTS5 walks matches in, and a walk stopped after k matches costs k, not the number of
matches. A document's rowid is a hash of its code (`doc_id`): the first k matches of any query are a uniform
sample of them (count and facets of a broad query, `embedded_query`). In search_names and search_rank the rowid is
the name's length above the document's rowid: the first k matches are those with the shortest names (the re-rank
window). The name has a table of its own: a walk of name matches never steps over matches in other columns.
An index file of another `FORMAT` is dropped and made again (`EmbeddedBackend.stale`, then a reindex).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable

from catalog.search.analysis import bigram_tokens, pinyin_tokens
from catalog.search.base import FACETS
from catalog.search.documents import SearchDocument
from catalog.search.plan import FIELD_WEIGHTS, document_fields

TEXT_COLUMNS = ("name", "provider", "keywords", "items", "abstract", "codes")
_COLUMN_FIELD = {"name": "name", "provider": "provider", "keywords": "keywords", "items": "item_names", "abstract": "abstract"}
WEIGHTS = ", ".join([*(str(FIELD_WEIGHTS.get(_COLUMN_FIELD.get(c, ""), 3.0)) for c in TEXT_COLUMNS), "4.0"])  # + pinyin
RANK_WEIGHTS = WEIGHTS.split(", ", 1)[1]  # search_rank: all but the name
FACET_COLUMNS = FACETS
DOC_COLUMNS = ("code", *FACET_COLUMNS, "classification", "name", "published_on", "updated_at", "doc", "terms")
BATCH = 2000
FORMAT = 2  # 1 (no `format` row): sequential rowids, no search_names / search_rank / search_text
ID_BITS = 32  # a document's rowid: 1 .. 2^32 - 1; search_rank's rowid: name length << 32 | document rowid
ID_MASK = (1 << ID_BITS) - 1
MAX_RANK_LENGTH = 4095

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
CREATE VIRTUAL TABLE IF NOT EXISTS search_names USING fts5(
    name, content = '', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_rank USING fts5(
    provider, keywords, items, abstract, codes, pinyin, content = '', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE IF NOT EXISTS search_text (
    rowid INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT, keywords TEXT, item_names TEXT, abstract TEXT, provider TEXT
);
CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
"""
FTS_COLUMNS = ("name", "provider", "keywords", "items", "abstract", "codes", "pinyin")
RANK_TABLES = {"search_names": FTS_COLUMNS[:1], "search_rank": FTS_COLUMNS[1:]}  # table -> its columns of search_fts
TABLES = ("search_fts", *RANK_TABLES, "search_text", "search_docs", "search_terms", "search_facets")
DROP = "".join(f"DROP TABLE IF EXISTS {t};" for t in TABLES)
INSERT_FTS = f"INSERT INTO search_fts(rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, {', '.join('?' * len(FTS_COLUMNS))})"
INSERT_RANK = {t: f"INSERT INTO {t}(rowid, {', '.join(cs)}) VALUES (?, {', '.join('?' * len(cs))})"
               for t, cs in RANK_TABLES.items()}
# a contentless table forgets its text: a row is removed by giving its tokens again, read from search_fts
DELETE_RANK = {t: f"INSERT INTO {t}({t}, rowid, {', '.join(cs)}) SELECT 'delete', ?, {', '.join(cs)} FROM search_fts WHERE rowid = ?"
               for t, cs in RANK_TABLES.items()}
SCORED_COLUMNS = ("code", "name", "keywords", "item_names", "abstract", "provider")
INSERT_TEXT = (f"INSERT INTO search_text(rowid, {', '.join(SCORED_COLUMNS)}) "
               f"VALUES (?, {', '.join('?' * len(SCORED_COLUMNS))})")


def doc_id(code: str) -> int:
    """A document's rowid: a hash of its code (never 0), so rowid order is a random order of the documents."""
    return int.from_bytes(hashlib.blake2b(code.encode(), digest_size=4).digest(), "big") or 1


def next_id(rowid: int) -> int:
    """The next rowid to try when `rowid` is taken by another code."""
    return rowid % ID_MASK + 1


def rank_id(rowid: int, name: str) -> int:
    """The document's rowid in search_rank: shorter names first, then the document's own order."""
    return (min(len(name), MAX_RANK_LENGTH) << ID_BITS) | rowid


def text_row(rowid: int, doc: SearchDocument) -> tuple[Any, ...]:
    """search_text's row: the fields the plan's scorer reads, normalised once here rather than per query."""
    f = document_fields(doc.to_dict())
    return (rowid, doc.code, f["name"], f["keywords"], f["item_names"], f["abstract"], f["provider"])
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


