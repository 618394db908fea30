"""Four API processes on one PostgreSQL and, when the tests have one, one Elasticsearch: `mulu serve
--workers 2` and two more servers side by side (tests/api/processes.py starts them).

Real processes (the `mulu` console script), a real PostgreSQL schema, a real search alias, real HTTP:
parallel creates get unique codes without errors, one winner per ETag conflict, the audit chain stays
intact, every outbox row is applied and none twice (Elasticsearch's document versions count the writes),
and a token revoked through one process is refused by every process within a second. The long version,
with throughput at 1, 2 and 4 processes, is bench/processes_bench.py.
"""
from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api.conftest import make_record
from tests.api.processes import OWN, Site, create_many, etag_race, index_versions, outbox_settled, \
    revoked_everywhere, serving, token
from tests.search.conftest import elasticsearch_url

pytestmark = pytest.mark.postgres
LAYOUT = (2, 1, 1)  # four processes


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving(tmp_path_factory.mktemp("procs"), layout=LAYOUT, es_url=elasticsearch_url()) as site:
        yield site


def test_four_processes_share_one_catalogue(site: Site) -> None:
    assert sum(site.workers) == 4
    steward, _ = token(site.db, "steward", OWN)
    created = create_many(site, steward, [make_record(n) for n in range(40)], clients=20)
    assert [r.status_code for r in created] == [201] * 40, [r.text for r in created if r.status_code != 201][:3]
    codes = [r.json()["code"] for r in created]
    assert len(set(codes)) == 40

    code, etag = codes[0], created[0].headers["etag"]
    bodies = [make_record(0, abstract=f"第{n}次修改") for n in range(20)]
    assert etag_race(site, steward, code, etag, bodies) == [200] + [412] * 19

    auditor, _ = token(site.db, "auditor")
    verify = httpx.get(site.bases[-1] + "/api/v1/audit-log/verify", headers=auditor, timeout=60).json()
    assert verify["ok"] is True and verify["checked"] == 41

    events = outbox_settled(site.db)  # every row applied (by one of the four processes)
    assert set(events) >= set(codes) and events[code] == 2
    if site.es_url and site.alias:
        versions = index_versions(site.es_url, site.alias)
        assert set(versions) >= set(codes)  # each created resource is searchable...
        over = {c: (versions[c], events[c]) for c in codes if versions[c] > events[c]}
        assert not over, f"written more often than it changed (an outbox row applied twice): {over}"


def test_a_token_revoked_through_one_process_is_refused_by_every_process(site: Site) -> None:
    statuses = revoked_everywhere(site)
    assert statuses == [401] * len(statuses)
