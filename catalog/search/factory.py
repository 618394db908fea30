"""Choosing the search backend from settings: embedded by default, Elasticsearch (+ embedded fallback)
when `MULU_ELASTICSEARCH_URL` is set; warming it at a server's start."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from catalog.search.analysis import cut_words, pinyin_forms
from catalog.search.base import SearchBackend, SearchQuery
from catalog.search.embedded import EmbeddedBackend
from catalog.settings import Settings


log = logging.getLogger(__name__)


def embedded_path(settings: Settings) -> Path:
    """The main SQLite file when the database is SQLite, else `<data_dir>/search.db`."""
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser()
    return settings.data_dir / "search.db"


def _standards(settings: Settings) -> Any:
    from catalog.standards import load_standards

    return load_standards(settings.standards_dir)


def make_embedded(settings: Settings, *, standards: Any | None = None) -> EmbeddedBackend:
    return EmbeddedBackend(path=embedded_path(settings), standards=standards or _standards(settings))


def make_backend(settings: Settings, *, standards: Any | None = None) -> SearchBackend:
    """A new backend for `settings` (the API keeps one per app; the CLI one per command)."""
    standards = standards or _standards(settings)
    embedded = make_embedded(settings, standards=standards)
    if not settings.elasticsearch_url:
        return embedded
    from catalog.search.elastic import ElasticBackend
    from catalog.search.resilient import ResilientBackend

    elastic = ElasticBackend(url=settings.elasticsearch_url, alias=settings.elasticsearch_index, standards=standards)
    return ResilientBackend(primary=elastic, fallback=embedded)


def warm(backend: SearchBackend) -> float:
    """Load now what the first indexed write and the first search would otherwise load inside a request: jieba's and
    pypinyin's dictionaries (about 1 s of CPU, 10 s wall on a loaded machine) and, by one search, the backend's
    vocabulary (the embedded one: every term of the index). The seconds it took."""
    started = time.perf_counter()
    cut_words("政务信息资源目录")
    pinyin_forms("政务信息资源目录")
    backend.search(SearchQuery(q="目录", size=1, facets=False, highlight=False))
    took = time.perf_counter() - started
    log.info("search warmed in %.1f s", took)
    return took
