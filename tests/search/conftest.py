"""Search fixtures: each backend over a fresh store (a temp SQLite file; a uniquely named ES alias)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from catalog.search.base import SearchBackend
from catalog.search.documents import document_from_record
from catalog.standards import load_standards
from tests.search.corpus import CORPUS

DEFAULT_ES = "http://127.0.0.1:9201"


def elasticsearch_url() -> str | None:
    """MULU_TEST_ELASTICSEARCH_URL, else the local compat proxy when it answers; None to skip."""
    url = os.environ.get("MULU_TEST_ELASTICSEARCH_URL") or DEFAULT_ES
    try:
        httpx.get(url, timeout=2.0)
    except httpx.HTTPError:
        return None
    return url


def make_test_backend(kind: str, tmp_path: Path) -> SearchBackend:
    standards = load_standards()
    if kind == "embedded":
        from catalog.search.embedded import EmbeddedBackend

        return EmbeddedBackend(path=tmp_path / "search.db", standards=standards)
    url = elasticsearch_url()
    if url is None:
        pytest.skip(f"no Elasticsearch-compatible server at {os.environ.get('MULU_TEST_ELASTICSEARCH_URL') or DEFAULT_ES}")
    from catalog.search.elastic import ElasticBackend

    backend = ElasticBackend(url=url, alias=f"mulu-test-{secrets.token_hex(4)}", standards=standards)
    backend.reset()
    return backend


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    b = make_test_backend(request.param, tmp_path)
    yield b
    if request.param == "elasticsearch":
        b.drop()  # type: ignore[attr-defined]
    b.close()


@pytest.fixture
def loaded(backend: SearchBackend) -> SearchBackend:
    backend.index(document_from_record(rec, state=state) for rec, state in CORPUS)
    return backend


@pytest.fixture
def es_url() -> str:
    """The Elasticsearch-compatible server of the tests; skips (a failure in CI) when there is none."""
    url = elasticsearch_url()
    if url is None:
        pytest.skip("no Elasticsearch-compatible server (MULU_TEST_ELASTICSEARCH_URL)")
    return url
