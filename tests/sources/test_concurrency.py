"""Exemptions and overrides under 30 parallel clients (SQLite and PostgreSQL): one exemption per
department and element, every answer a 2xx or a 409 (never a 500), and an intact audit chain."""
from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi.testclient import TestClient

from tests.hardening.support import tokens_for
from tests.hardening.test_concurrency import app, run_together  # noqa: F401  (app: SQLite and PostgreSQL)
from tests.sources.conftest import HRSS, MARKET, POLICE, TAX

PERSONAS = {"tax": ("steward", TAX), "coordinator": ("coordinator", None), "auditor": ("auditor", None)}


def test_thirty_parallel_exemptions_store_one(app: Any) -> None:  # noqa: F811
    tokens = tokens_for(app.state.db, PERSONAS)
    body = {"department_code": TAX, "element": "DE0031", "basis": "《中华人民共和国个人所得税法》第十五条"}

    def exempt(i: int) -> int:
        return TestClient(app).post("/api/v1/sources/exemptions", json=body, headers=tokens["tax"]).status_code

    assert Counter(run_together(30, exempt, workers=30)) == {201: 1, 409: 29}
    listing = TestClient(app).get("/api/v1/sources", params={"department_code": TAX}, headers=tokens["tax"]).json()
    assert [e["element"] for e in listing["exemptions"]] == ["DE0031"]
    check = TestClient(app).get("/api/v1/audit-log/verify", headers=tokens["auditor"]).json()
    assert check["ok"] is True and check["checked"] == 1


def test_thirty_parallel_overrides_leave_one_consistent_source(app: Any) -> None:  # noqa: F811
    tokens = tokens_for(app.state.db, PERSONAS)
    departments = (MARKET, POLICE, TAX, HRSS)

    def override(i: int) -> tuple[int, str]:
        dept = departments[i % len(departments)]
        r = TestClient(app).put("/api/v1/sources/DE0059", json={"department_code": dept},
                                headers=tokens["coordinator"])
        return r.status_code, dept

    results = run_together(30, override, workers=30)
    assert {status for status, _ in results} <= {200, 409} and any(s == 200 for s, _ in results)
    [final] = [s for s in TestClient(app).get("/api/v1/sources", headers=tokens["auditor"]).json()["sources"]
               if s["element"] == "DE0059"]
    assert final["origin"] == "override" and final["department_code"] in departments
    check = TestClient(app).get("/api/v1/audit-log/verify", headers=tokens["auditor"]).json()
    assert check["ok"] is True and check["checked"] == sum(s == 200 for s, _ in results)
