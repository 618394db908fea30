"""The authorization matrix: every route of the app × persona × own/other department × draft/published.

The expected outcome of each cell comes from the table below (route → rule, rule → who may), written from
the role descriptions of catalog/auth.py, never from calling the policy. The route list is read from the
app itself: a new route without a line in RULES fails `test_every_route_has_a_rule`.

Outcomes: "ok" (answered past authorization: 2xx, or a later 4xx such as 409/412/422/428), 401, 403, and
404 (a resource the persona may not see looks missing). State-changing calls carry a stale If-Match, so
an authorized call ends in 412 and the matrix changes nothing.
"""
from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.examples import RECORD
from catalog.auth import create_token
from catalog.models import Resource
from tests.hardening.support import OTHER, OWN, PERSONAS, copy_catalogue, tokens_for

EVERYONE = (*PERSONAS, "anonymous")
READERS_OF_ALL = {"auditor", "coordinator", "admin"}
STALE = {"If-Match": '"stale-etag"'}

# ---- the declared policy ----------------------------------------------------------------------------
# Resource actions: persona -> "all" | "own" (own department only); anyone else is refused (403).
ACTIONS: dict[str, dict[str, str]] = {
    "read": {"steward": "own_or_published", "steward_other": "own_or_published", "developer": "published",
             "auditor": "all", "coordinator": "all", "admin": "all"},
    "update": {"steward": "own", "steward_other": "own", "admin": "all"},
    "submit": {"steward": "own", "steward_other": "own", "admin": "all"},
    "withdraw": {"steward": "own", "steward_other": "own", "coordinator": "all", "admin": "all"},
    "publish": {"coordinator": "all", "admin": "all"},
    "reject": {"coordinator": "all", "admin": "all"},
}
# Whole-route rules: which personas pass (anonymous gets 401 unless the route is public).
ROLE_RULES: dict[str, set[str] | None] = {
    "public": None,                                  # no token needed
    "token": set(PERSONAS),                          # any valid token
    "audit": {"auditor", "coordinator", "admin"},    # the audit log
    "departments": {"coordinator", "admin"},         # manage departments
    "create": {"steward", "admin"},                  # register for department 330782101
    "tokens": {"admin"},                             # list / revoke tokens
    "cascade": {"coordinator", "admin"},             # review what lower levels reported (目录级联)
    "intake": set(),                                 # only a lower level's `downstream` credential
    "drafts": {"steward", "steward_other", "auditor", "coordinator", "admin"},  # 待整改 lists (own dept / all)
}
MISSING = "cascade:missing"  # a review of report 1, which does not exist: past authorization it is a 404
WEB = "web"  # server-rendered pages: sign-in, CSRF and roles are tested in tests/web/test_pages.py
SHARING = "sharing"  # sharing doors: a token is needed here; department rules per request in tests/sharing
STAGED = "staged"  # one staged record or import run: a token is needed here; department rules in tests/harvest

RULES: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): "public", ("GET", "/docs"): "public",
    ("GET", "/redoc"): "public", ("*", "/static/{path}"): "public", ("*", "/static/docs/{path}"): "public",
    ("GET", "/health"): "public", ("GET", "/ready"): "public", ("GET", "/metrics"): "public",
    ("GET", "/api/v1/health"): "public", ("GET", "/api/v1/standards"): "public",
    ("GET", "/api/v1/standards/{std_id}"): "public", ("POST", "/api/v1/validate"): "public",
    ("GET", "/api/v1/departments"): "public", ("POST", "/api/v1/departments"): "departments",
    ("POST", "/api/v1/departments/bulk"): "departments",
    ("GET", "/api/v1/staged"): "drafts", ("GET", "/api/v1/staged/{staged_id}"): STAGED,
    ("PUT", "/api/v1/staged/{staged_id}"): STAGED, ("POST", "/api/v1/staged/{staged_id}/submit"): STAGED,
    ("GET", "/api/v1/import-runs"): "audit", ("GET", "/api/v1/import-runs/{run_id}"): STAGED,
    ("POST", "/api/v1/import-runs"): "departments", ("POST", "/api/v1/lifecycle/{action}"): "token",
    ("GET", "/api/v1/resources"): "token", ("POST", "/api/v1/resources"): "create",
    ("POST", "/api/v1/resources/bulk"): "create",
    ("GET", "/api/v1/resources/{code}/versions/{version}"): "resource:read",
    ("GET", "/api/v1/resources/{code}/versions"): "resource:read",
    ("GET", "/api/v1/resources/{code}/diff"): "resource:read",
    ("GET", "/api/v1/resources/{code}"): "resource:read",
    ("PUT", "/api/v1/resources/{code}"): "resource:update",
    ("POST", "/api/v1/resources/{code}/submit"): "resource:submit",
    ("POST", "/api/v1/resources/{code}/publish"): "resource:publish",
    ("POST", "/api/v1/resources/{code}/reject"): "resource:reject",
    ("POST", "/api/v1/resources/{code}/withdraw"): "resource:withdraw",
    ("GET", "/api/v1/audit-log"): "audit", ("GET", "/api/v1/audit-log/verify"): "audit",
    ("GET", "/api/v1/search"): "token", ("GET", "/api/v1/search/suggest"): "token",
    ("POST", "/api/v1/share-requests"): SHARING, ("GET", "/api/v1/share-requests"): SHARING,
    ("GET", "/api/v1/share-requests/{request_id}"): SHARING,
    ("POST", "/api/v1/share-requests/{request_id}/approve"): SHARING,
    ("POST", "/api/v1/share-requests/{request_id}/reject"): SHARING,
    ("POST", "/api/v1/share-requests/{request_id}/withdraw"): SHARING,
    ("POST", "/api/v1/share-requests/{request_id}/escalate"): SHARING,
    ("POST", "/api/v1/share-requests/{request_id}/arbitrate"): SHARING,
    ("GET", "/api/v1/grants"): SHARING, ("GET", "/api/v1/grants/{grant_id}"): SHARING,
    ("POST", "/api/v1/grants/{grant_id}/revoke"): SHARING,
    ("POST", "/api/v1/feedback"): SHARING, ("GET", "/api/v1/feedback"): SHARING,
    ("GET", "/api/v1/feedback/{report_id}"): SHARING, ("POST", "/api/v1/feedback/{report_id}/answer"): SHARING,
    **{(m, "/api/v1/demands" + p): SHARING for m, p in [  # 供需对接: department rules in tests/demands
        ("POST", ""), ("GET", ""), ("GET", "/duties"), ("GET", "/duties/{duty_id}"), ("GET", "/{demand_id}"),
        *(("POST", f"/{{demand_id}}/{a}") for a in ("accept", "rematch", "assign", "unmet", "withdraw")),
        *(("POST", f"/duties/{{duty_id}}/{a}") for a in ("will-provide", "cannot", "not-ours", "escalate",
                                                           "arbitrate"))]},
    ("GET", "/api/v1/stats"): "audit", ("POST", "/api/v1/imports"): "token",
    ("GET", "/api/v1/tokens"): "tokens", ("DELETE", "/api/v1/tokens/{token_id}"): "tokens",
    # 一数一源 / 联办: a token is needed here; role and department rules in tests/sources
    **{(m, p): SHARING for m, p in [
        ("GET", "/api/v1/sources"), ("PUT", "/api/v1/sources/{element}"), ("DELETE", "/api/v1/sources/{element}"),
        ("POST", "/api/v1/sources/exemptions"), ("DELETE", "/api/v1/sources/exemptions/{exemption_id}"),
        ("GET", "/api/v1/elements/redundancy"), ("GET", "/api/v1/scenarios"), ("GET", "/api/v1/scenarios/{name}")]},
    ("GET", "/api/v1/feed"): "token", ("GET", "/api/v1/cascade/status"): "token",
    ("GET", "/api/v1/cascade/reports"): "cascade", ("POST", "/api/v1/cascade/intake"): "intake",
    ("POST", "/api/v1/cascade/reports/{report_id}/register"): MISSING,
    ("POST", "/api/v1/cascade/reports/{report_id}/reject"): MISSING,
    # notifications: any token reaches its own inbox and settings; webhook and department rules in tests/notify
    ("GET", "/api/v1/notifications/kinds"): "public",
    **{(m, p): SHARING for m, p in [
        ("GET", "/api/v1/notifications"), ("GET", "/api/v1/notifications/unread-count"),
        ("POST", "/api/v1/notifications/read-all"), ("POST", "/api/v1/notifications/{notification_id}/read"),
        ("GET", "/api/v1/notifications/subscriptions"), ("PUT", "/api/v1/notifications/subscriptions"),
        ("POST", "/api/v1/webhooks"), ("GET", "/api/v1/webhooks"), ("GET", "/api/v1/webhooks/{webhook_id}"),
        ("DELETE", "/api/v1/webhooks/{webhook_id}"), ("POST", "/api/v1/webhooks/{webhook_id}/enable"),
        ("GET", "/api/v1/webhooks/{webhook_id}/deliveries")]},
    **{(m, p): WEB for m, p in [
        ("GET", "/signin"), ("POST", "/signin"), ("POST", "/signout"), ("GET", "/"), ("GET", "/suggest"),
        ("GET", "/auth/oidc/start"), ("GET", "/auth/oidc/callback"),  # 统一身份认证: tests/oidc
        ("GET", "/r/{code}"), ("POST", "/act/resource"), ("POST", "/act/request-access"), ("GET", "/steward/new"),
        ("POST", "/steward/new"), ("POST", "/steward/upload"), ("GET", "/steward/drafts"),
        ("GET", "/steward/requests"), ("POST", "/act/share-request"), ("GET", "/review"), ("GET", "/overdue"),
        ("GET", "/report"), ("GET", "/audit"), ("GET", "/steward/edit/{code}"), ("POST", "/steward/edit"),
        ("POST", "/steward/edit-yaml"), ("GET", "/requests/{request_id}"), ("GET", "/arbitration"),
        ("GET", "/grants"), ("POST", "/act/grant-revoke"), ("GET", "/feedback"), ("POST", "/act/feedback"),
        ("POST", "/act/feedback-answer"), ("GET", "/elements/redundancy"), ("GET", "/scenarios"),
        ("GET", "/scenarios/{name}"), ("GET", "/demands"), ("GET", "/demands/new"), ("POST", "/act/demand-create"),
        ("GET", "/demands/{demand_id}"), ("POST", "/act/demand"), ("POST", "/act/duty"), ("GET", "/duties"),
        ("GET", "/demand-queue"), ("GET", "/cascade"), ("POST", "/act/cascade"), ("GET", "/notifications"), ("POST", "/act/notification-read"),
        ("POST", "/act/notifications-read-all"), ("GET", "/steward/staged"),
        ("GET", "/steward/staged/{staged_id}"), ("POST", "/steward/staged/{staged_id}"), ("POST", "/review/bulk")]},
}
TARGETS = ("own_draft", "own_published", "other_draft", "other_published")


def expected(rule: str, persona: str, target: str | None) -> str | int:
    if rule == MISSING:
        got = expected("cascade", persona, target)
        return 404 if got == "ok" else got
    if rule.startswith("resource:"):
        if persona == "anonymous":
            return 401
        own, published = target.startswith("own"), target.endswith("published")  # type: ignore[union-attr]
        dept_own = own if persona == "steward" else (not own if persona == "steward_other" else False)
        read = ACTIONS["read"].get(persona)
        visible = read == "all" or published or (read == "own_or_published" and dept_own)
        if not visible:
            return 404
        scope = ACTIONS[rule.split(":")[1]].get(persona)
        return "ok" if scope == "all" or scope == "own_or_published" or scope == "published" or (
            scope == "own" and dept_own) else 403
    allowed = ROLE_RULES[rule]
    if allowed is None:
        return "ok"
    if persona == "anonymous":
        return 401
    return "ok" if persona in allowed else 403


# ---- the app's routes -------------------------------------------------------------------------------
def app_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route, walking included routers (FastAPI ≥ 0.120 nests them)."""
    out: list[tuple[str, str]] = []

    def walk(routes: list[Any], prefix: str = "") -> None:
        for r in routes:
            if hasattr(r, "original_router"):
                walk(r.original_router.routes, prefix + getattr(r.include_context, "prefix", ""))
                continue
            path = prefix + (getattr(r, "path_format", None) or r.path)
            methods = sorted(set(getattr(r, "methods", None) or ["*"]) - {"HEAD"})
            out.extend((m, path) for m in methods)
    walk(app.routes)
    return out


@pytest.fixture(scope="module")
def world(seeded_template, tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    settings = copy_catalogue(seeded_template, tmp_path_factory.mktemp("authz") / "data")
    app = create_app(settings)
    tokens = tokens_for(app.state.db)
    with TestClient(app, raise_server_exceptions=False) as client:
        codes: dict[str, str] = {}
        for dept, provider in ((OWN, "义乌市市场监督管理局"), (OTHER, "义乌市公安局")):
            rec = {**copy.deepcopy(RECORD), "provider_code": dept, "provider": provider, "name": f"矩阵草稿{dept}"}
            r = client.post("/api/v1/resources", json=rec, headers=tokens["admin"])
            assert r.status_code == 201, r.text
            codes["own_draft" if dept == OWN else "other_draft"] = r.json()["code"]
        with app.state.db.session() as session:
            for dept, key in ((OWN, "own_published"), (OTHER, "other_published")):
                codes[key] = session.execute(select(Resource.code).where(
                    Resource.provider_code == dept, Resource.state == "published").limit(1)).scalar_one()
        yield {"app": app, "client": client, "tokens": tokens, "codes": codes}
    app.state.db.dispose()


def test_every_route_has_a_rule(world: dict[str, Any]) -> None:
    routes = app_routes(world["app"])
    assert len(routes) >= 60
    missing = [r for r in routes if r not in RULES]
    assert not missing, f"routes without an authorization rule in the matrix: {missing}"
    stale = set(RULES) - set(routes)
    assert not stale, f"rules for routes the app no longer has: {stale}"


_counter = iter(range(900, 1000))


def _call(world: dict[str, Any], method: str, path: str, persona: str, target: str | None) -> Any:
    client: TestClient = world["client"]
    headers = dict(world["tokens"].get(persona, {}))
    url = (path.replace("{code}", world["codes"].get(target or "", "")).replace("{version}", "1")
           .replace("{std_id}", "core-metadata").replace("{request_id}", "1").replace("{grant_id}", "1")
           .replace("{report_id}", "1").replace("{demand_id}", "1").replace("{duty_id}", "1")
           .replace("{path}", "app.css").replace("{staged_id}", "1").replace("{run_id}", "1")
           .replace("{action}", "publish"))
    if "{token_id}" in url:  # a throwaway token to revoke, never a persona's
        with world["app"].state.db.transaction() as session:
            _, row = create_token(session=session, role="developer", name=f"矩阵吊销{persona}")
            url = url.replace("{token_id}", str(row.id))
    params: dict[str, Any] = {"from": 1, "to": 1} if url.endswith("/diff") else {}
    if url.endswith("/suggest"):
        params["q"] = "企业"
    if method == "GET":
        return client.get(url, params=params, headers=headers)
    body: Any = {}
    if path == "/api/v1/resources/{code}":
        rec = world["client"].get(url, headers=world["tokens"]["admin"]).json()
        body = {k: v for k, v in rec.get("record", {}).items()}
        headers.update(STALE)
    elif "{code}" in path:
        headers.update(STALE)
        body = {"reason": "矩阵测试"}
    elif path == "/api/v1/resources":
        body = {**copy.deepcopy(RECORD), "name": f"矩阵登记{persona}"}
    elif path == "/api/v1/resources/bulk":
        body = [{**copy.deepcopy(RECORD), "name": f"矩阵批量{persona}"}]
    elif path == "/api/v1/departments":
        body = {"code": f"330782{next(_counter)}", "name": f"矩阵测试部门{persona}"}
    elif path == "/api/v1/import-runs":  # no mapping: an authorized caller gets 400 (nothing imported)
        return client.post(url, headers=headers, data={"format": "mapped"},
                           files={"file": ("rows.json", b"[]", "application/json")})
    elif path == "/api/v1/imports":
        return client.post(url, headers=headers, data={"dry_run": "true"},
                           files={"file": ("data.json", b'{"dataset": []}', "application/json")})
    return client.request(method, url, json=body, headers=headers)


def outcome(response: Any, path: str) -> str | int:
    assert response.status_code < 500, response.text
    if path == "/api/v1/resources/bulk" and response.status_code == 200:
        [row] = response.json()["data"]
        return "ok" if row["ok"] else (403 if row["error"] == "forbidden" else row["error"])
    return response.status_code if response.status_code in (401, 403, 404) else "ok"


CELLS = [(m, p, rule, persona, target)
         for (m, p), rule in RULES.items() if rule != WEB and m != "*"
         for persona in EVERYONE
         for target in (TARGETS if rule.startswith("resource:") else (None,))]


@pytest.mark.parametrize("method,path,rule,persona,target", CELLS,
                         ids=[f"{m} {p} {who} {t or ''}".strip() for m, p, _, who, t in CELLS])
def test_matrix_cell(world: dict[str, Any], method: str, path: str, rule: str, persona: str,
                     target: str | None) -> None:
    got = outcome(_call(world, method, path, persona, target), path)
    if rule in (SHARING, STAGED):  # no such request/grant/report/staged record here: only the token is judged
        assert (got == 401) == (persona == "anonymous"), f"{method} {path} as {persona}: {got}"
        return
    assert got == expected(rule, persona, target), f"{method} {path} as {persona} on {target}"


@pytest.mark.parametrize("persona,finds", [("steward", True), ("auditor", True), ("steward_other", False),
                                           ("developer", False)])
def test_drafts_do_not_leak_through_search_or_listing(world: dict[str, Any], persona: str, finds: bool) -> None:
    client, headers = world["client"], world["tokens"][persona]
    code = world["codes"]["own_draft"]
    hits = client.get("/api/v1/search", params={"q": f"矩阵草稿{OWN}", "size": 100}, headers=headers).json()
    listed = client.get("/api/v1/resources", params={"q": "矩阵草稿", "limit": 500}, headers=headers).json()
    assert (code in {h["code"] for h in hits["data"]}) is finds
    assert (code in {r["code"] for r in listed["data"]}) is finds
