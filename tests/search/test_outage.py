"""A real outage of the Elasticsearch endpoint in the middle of a bulk of writes through the API.

The test starts its own copy of the compatibility proxy in front of the shared OpenSearch (so the shared
server keeps running for everyone else), points a real app at it, kills the proxy with SIGKILL after a
third of the writes, goes on writing, then starts it again: every write must have been acknowledged,
search must say it is degraded meanwhile, and the index must converge by itself.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from elasticsearch import NotFoundError
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.auth import create_token
from catalog.search.base import SearchQuery, SearchUnavailable, Visibility
from catalog.search.elastic import ElasticBackend
from catalog.settings import Settings
from catalog.standards import load_standards
from tests.api.conftest import make_record
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]
PROXY = Path(os.environ.get("MULU_ES_COMPAT_PROXY", ROOT.parent / "shared" / "elasticsearch" / "compat_proxy.py"))
UPSTREAM = int(os.environ.get("MULU_TEST_OPENSEARCH_PORT", "9200"))
WORD = "停机演练"


def _start_proxy(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, str(PROXY), str(port), str(UPSTREAM)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1.0)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the private Elasticsearch compatibility proxy did not start")


@pytest.mark.elasticsearch
def test_writes_survive_a_killed_elasticsearch_and_the_index_converges(tmp_path: Path, es_url: str) -> None:
    if not PROXY.is_file():
        pytest.skip(f"no Elasticsearch compatibility proxy at {PROXY} (set MULU_ES_COMPAT_PROXY)")
    port = free_port()
    alias = f"mulu-test-outage-{secrets.token_hex(4)}"
    proxy = _start_proxy(port)
    app = create_app(Settings(data_dir=tmp_path / "data", elasticsearch_url=f"http://127.0.0.1:{port}",
                              elasticsearch_index=alias))
    direct = ElasticBackend(url=es_url, alias=alias, standards=load_standards())
    try:
        with TestClient(app) as client:
            with app.state.db.transaction() as session:
                secret, _ = create_token(session=session, role="admin")
            admin = {"Authorization": f"Bearer {secret}"}
            codes: list[str] = []
            for i in range(30):
                if i == 10:  # Elasticsearch goes away in the middle of the bulk
                    proxy.kill()
                    proxy.wait()
                record = {**make_record(i), "keywords": [WORD, f"批次{i}"]}
                answer = client.post("/api/v1/resources", json=record, headers=admin)
                assert answer.status_code == 201, answer.text  # a search outage never blocks a write
                codes.append(answer.json()["code"])

            deadline = time.monotonic() + 10  # indexing runs after the answer, in the outbox worker
            while True:
                during = client.get("/api/v1/search", params={"q": WORD, "size": 50}, headers=admin).json()
                if {hit["code"] for hit in during["data"]} == set(codes) or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert during["degraded"] is True
            assert {hit["code"] for hit in during["data"]} == set(codes)  # the embedded fallback is real

            proxy = _start_proxy(port)  # Elasticsearch is back: the outbox worker catches up by itself
            deadline = time.monotonic() + 60
            found: set[str] = set()
            while time.monotonic() < deadline:
                try:  # the worker may not have created the index yet (indexing runs after the answers)
                    direct.client.indices.refresh(index=alias)
                    result = direct.search(SearchQuery(q=WORD, visibility=Visibility.everything(), size=50))
                    found = {hit.code for hit in result.hits}
                except (NotFoundError, SearchUnavailable):
                    pass
                if found == set(codes):
                    break
                time.sleep(0.5)
            assert found == set(codes), f"missing after recovery: {sorted(set(codes) - found)}"
            after = client.get("/api/v1/search", params={"q": WORD, "size": 50}, headers=admin).json()
            assert after["degraded"] is False and after["count"] == len(codes)
    finally:
        proxy.kill()
        app.state.db.dispose()
        direct.drop()
        direct.close()
