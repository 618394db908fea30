"""Matching on both search backends (embedded SQLite FTS5 and the Elasticsearch-compatible server): the data
element pass, the item-name pass (aliases of the data-element standard) and the text-search pass."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.demands.matching import propose
from catalog.demands.needs import parse_needs
from catalog.search.base import SearchBackend
from catalog.search.outbox import iter_documents
from tests.demands.conftest import TAX, Seeded
from tests.demands.test_story import ENTERPRISE_REGISTRATION, JOINT_ITEMS
from tests.search.conftest import make_test_backend


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request: pytest.FixtureRequest, seeded: Seeded, tmp_path: Path) -> Iterator[SearchBackend]:
    if request.param == "embedded":
        yield seeded.backend
        return
    b = make_test_backend("elasticsearch", tmp_path)
    b.index(iter_documents(db=seeded.db))  # waits for the refresh
    yield b
    b.drop()  # type: ignore[attr-defined]
    b.close()


def match(seeded: Seeded, backend: SearchBackend, needs: list[str], title: str) -> list[dict]:  # type: ignore[type-arg]
    with seeded.db.session() as s:
        proposals, note = propose(session=s, needs=parse_needs(needs, standards=seeded.standards), title=title,
                                  requester_code=TAX, standards=seeded.standards, backend=backend)
    assert note is None
    return proposals


def test_joint_registration_ranks_the_registration_resource_first(seeded: Seeded, backend: SearchBackend) -> None:
    # element ids, an identifier and an alias (法人代表 → 法定代表人姓名) all name data elements
    top = match(seeded, backend, ["DE0001", "enterprise_name", "法人代表"], "企业设立登记信息 (多证合一联合登记)")[0]
    assert (top["resource_code"], top["coverage"], top["items"]) == (ENTERPRISE_REGISTRATION, "3/3", JOINT_ITEMS)


def test_a_need_by_item_name_only_and_a_text_hit(seeded: Seeded, backend: SearchBackend) -> None:
    # 补贴金额 is no data element: found by item name; 养老保险 by text search alone
    proposals = match(seeded, backend, ["补贴金额", "养老保险待遇"], "养老保险")
    by_name = [p for p in proposals if p["matched_by"] == "name"]
    assert by_name and all(c["by"] == "name" and c["name"] == "补贴金额" for p in by_name for c in p["covered"])
    assert any(p["matched_by"] == "text" and p["covered_count"] == 0 for p in proposals)
    assert proposals.index(by_name[0]) < min(i for i, p in enumerate(proposals) if p["matched_by"] == "text")
