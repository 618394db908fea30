"""The sharing and editing pages over HTTP: a request's page and timeline, withdraw, grants given and
received with revoke and review flags, feedback answered, stale and invalid edits refused, escaping."""
from __future__ import annotations

import re

from tests.web.conftest import Site
from tests.web.test_pages import DRAFT_YAML, _client, _signed_in

HEALTH_RECORD = "202003/000001"        # 居民电子健康档案, 卫健局, 不予共享
ORG_CODE_LEGACY = "301006330782101/000001"  # 原组织机构代码证存量信息, 市场监管局, 无条件共享
COMPLAINTS = "301004330782101/000002"  # 消费者投诉举报, 市场监管局, 有条件共享


def _request_id(client, code: str) -> int:  # type: ignore[no-untyped-def]
    return int(re.findall(r'href="/requests/(\d+)"', client.get(f"/r/{code}").text)[0])


def _etag(html: str) -> str:
    return re.search(r'name="etag" value="([^"]*)"', html).group(1)


def test_request_page_timeline_escalate_and_visibility(site: Site) -> None:
    tax, csrf = _signed_in(site, "tax")
    response = tax.post("/act/request-access", data={"csrf_token": csrf, "code": HEALTH_RECORD,
                                                     "purpose": "<script>alert(1)</script>核对", "basis": "职责",
                                                     "period_days": "30"})
    assert response.status_code == 303
    rid = _request_id(tax, HEALTH_RECORD)
    page = tax.get(f"/requests/{rid}").text
    assert "不予共享" in page and 'id="escalate-form"' in page and 'id="withdraw-form"' not in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert re.findall(r'data-step="(\w+)"', page) == ["submitted", "answered"]

    # only the parties (and overseers) see it; the provider of another resource does not
    market, _ = _signed_in(site, "market")
    assert market.get(f"/requests/{rid}").status_code == 404
    auditor, _ = _signed_in(site, "auditor")
    audited = auditor.get(f"/requests/{rid}").text
    assert "escalate-form" not in audited and "arbitrate-form" not in audited  # an auditor only reads

    # the escalation needs a reason: the catalogue names the field, nothing changes
    response = tax.post("/act/share-request", data={"csrf_token": csrf, "request_id": rid, "action": "escalate"})
    assert response.status_code == 400 and "reason" in response.text
    response = tax.post("/act/share-request", data={"csrf_token": csrf, "request_id": rid, "action": "escalate",
                                                    "reason": "税收征管需要核实纳税人健康扣除项目"})
    assert response.status_code == 303 and response.headers["location"] == f"/requests/{rid}"
    page = tax.get(f"/requests/{rid}").text
    assert "争议协调中" in page and re.findall(r'data-step="(\w+)"', page)[-1] == "escalated"
    assert 'id="withdraw-form"' in page  # an escalated request can still be withdrawn by its requester

    # the market steward may not arbitrate; the state and the policy are the catalogue's
    _, mcsrf = market, market.cookies.get("mulu_csrf")
    response = market.post("/act/share-request", data={"csrf_token": mcsrf, "request_id": rid,
                                                       "action": "arbitrate", "outcome": "grant", "reason": "x"})
    assert response.status_code == 404
    coordinator, ccsrf = _signed_in(site, "coordinator")
    assert f'id="request-{rid}"' in coordinator.get("/arbitration").text
    response = coordinator.post("/act/share-request", data={"csrf_token": ccsrf, "request_id": rid,
                                                            "action": "arbitrate", "outcome": "uphold",
                                                            "reason": "涉及个人隐私，维持不予共享", "back": "/arbitration"})
    assert response.status_code == 303
    page = tax.get(f"/requests/{rid}").text
    assert "维持不共享" in page and 'id="final-decision"' in page and 'id="request-actions"' not in page
    # final: a second decision is refused as a state conflict
    response = coordinator.post("/act/share-request", data={"csrf_token": ccsrf, "request_id": rid,
                                                            "action": "arbitrate", "outcome": "grant", "reason": "再议"})
    assert response.status_code == 409 and "已裁决" in response.text


def test_withdraw_a_pending_request(site: Site) -> None:
    tax, csrf = _signed_in(site, "tax")
    response = tax.post("/act/request-access", data={"csrf_token": csrf, "code": COMPLAINTS, "purpose": "信用评价",
                                                     "basis": "税收征管法", "period_days": "60"})
    assert response.status_code == 303
    rid = _request_id(tax, COMPLAINTS)
    page = tax.get(f"/requests/{rid}").text
    assert 'id="withdraw-form"' in page and 'id="escalate-form"' not in page  # not overdue yet
    assert re.findall(r'data-step="(\w+)"', page) == ["submitted", "due"]
    response = tax.post("/act/share-request", data={"csrf_token": csrf, "request_id": rid, "action": "withdraw",
                                                    "reason": "业务调整"})
    assert response.status_code == 303
    page = tax.get(f"/requests/{rid}").text
    assert "已撤回" in page and "withdrawn" in re.findall(r'data-step="(\w+)"', page)


def test_grants_given_and_received_flagged_and_revoked(site: Site) -> None:
    tax, csrf = _signed_in(site, "tax")
    tax.post("/act/request-access", data={"csrf_token": csrf, "code": ORG_CODE_LEGACY, "purpose": "历史数据比对",
                                          "basis": "业务需要", "period_days": "90"})
    received = tax.get("/grants").text
    gid = int(re.search(rf'<tr id="grant-(\d+)"[^>]*>.*?{re.escape(ORG_CODE_LEGACY)}', received, re.S).group(1))
    assert 'id="received"' in received and 'action="/act/grant-revoke"' not in received.split('id="received"')[1]

    market, mcsrf = _signed_in(site, "market")
    etag = _etag(market.get(f"/r/{ORG_CODE_LEGACY}").text)
    response = market.post("/act/resource", data={"csrf_token": mcsrf, "code": ORG_CODE_LEGACY, "etag": etag,
                                                  "action": "withdraw", "reason": "停止维护"})
    assert response.status_code == 303
    given = market.get("/grants").text.split('id="received"')[0]
    row = re.search(rf'<tr id="grant-{gid}" class="([^"]*)">(.*?)</tr>', given, re.S)
    assert row.group(1) == "needs-review" and "待复核" in row.group(2)
    assert f'id="grant-{gid}"' in market.get("/grants?review=true").text

    # the requester may not revoke; the provider may, with a reason
    response = tax.post("/act/grant-revoke", data={"csrf_token": csrf, "grant_id": gid, "reason": "x"})
    assert response.status_code == 403
    response = market.post("/act/grant-revoke", data={"csrf_token": mcsrf, "grant_id": gid, "reason": ""})
    assert response.status_code == 400 and "reason" in response.text
    response = market.post("/act/grant-revoke", data={"csrf_token": mcsrf, "grant_id": gid, "reason": "资源已撤回"})
    assert response.status_code == 303
    row = re.search(rf'<tr id="grant-{gid}"[^>]*>(.*?)</tr>', tax.get("/grants").text, re.S).group(1)
    assert "已撤销" in row and "资源已撤回" in row


def test_feedback_is_answered_once_by_the_provider_only(site: Site) -> None:
    tax, csrf = _signed_in(site, "tax")
    response = tax.post("/act/feedback", data={"csrf_token": csrf, "code": COMPLAINTS, "item": "no_such_item",
                                               "description": "x"})
    assert response.status_code == 400 and "no_such_item" in response.text
    response = tax.post("/act/feedback", data={"csrf_token": csrf, "code": COMPLAINTS, "item": "",
                                               "description": "<b>投诉日期</b>早于受理日期"})
    assert response.status_code == 303
    mine = tax.get("/feedback").text.split('id="outgoing"')[1]
    fid = int(re.search(r'id="feedback-(\d+)"', mine).group(1))
    assert "&lt;b&gt;投诉日期" in mine and "待答复" in mine
    response = tax.post("/act/feedback-answer", data={"csrf_token": csrf, "report_id": fid,
                                                      "outcome": "corrected", "answer": "x"})
    assert response.status_code == 403  # the reporter does not answer its own report
    market, mcsrf = _signed_in(site, "market")
    response = market.post("/act/feedback-answer", data={"csrf_token": mcsrf, "report_id": fid,
                                                         "outcome": "not_an_error", "answer": "经核实，受理在先"})
    assert response.status_code == 303
    assert "经核实无误" in tax.get(f"/r/{COMPLAINTS}").text
    response = market.post("/act/feedback-answer", data={"csrf_token": mcsrf, "report_id": fid,
                                                         "outcome": "corrected", "answer": "再答"})
    assert response.status_code == 409


def test_stale_or_invalid_edits_are_refused_and_change_nothing(site: Site) -> None:
    market, csrf = _signed_in(site, "market")
    draft = DRAFT_YAML.replace("name: 网页测试草稿", "name: 修改测试草稿")  # names are unique per provider
    code = market.post("/steward/upload", data={"csrf_token": csrf, "yaml_text": draft}
                       ).headers["location"].removeprefix("/r/")
    edit = market.get(f"/steward/edit/{code}").text
    etag = _etag(edit)
    assert "修改测试草稿" in edit and 'readonly' in edit  # the form is filled in; the code parts are fixed
    yaml_edit = DRAFT_YAML.replace("name: 网页测试草稿", "name: 第二版")
    response = market.post("/steward/edit-yaml", data={"csrf_token": csrf, "code": code, "etag": etag,
                                                       "yaml_text": yaml_edit})
    assert response.status_code == 303
    # a second save with the ETag of the page read before: refused, plainly
    response = market.post("/steward/edit-yaml", data={"csrf_token": csrf, "code": code, "etag": etag,
                                                       "yaml_text": DRAFT_YAML.replace("网页测试草稿", "第三版")})
    assert 'data-refused="412"' in response.text and "已被他人修改，请刷新后再改" in response.text
    page = market.get(f"/r/{code}").text
    assert "第二版" in page and "第三版" not in page and "第 2 版" in page
    # findings show next to the fields; nothing saved
    fresh = _etag(market.get(f"/steward/edit/{code}").text)
    form = {"csrf_token": csrf, "code": code, "etag": fresh, "name": "第二版", "classification": "301001330782101",
            "provider_code": "330782101", "abstract": "", "update_cycle": "每刻"}
    response = market.post("/steward/edit", data=form)
    assert 'data-refused="422"' in response.text
    assert 'id="findings-update_cycle"' in response.text and 'id="findings-abstract"' in response.text
    assert "第 3 版" not in market.get(f"/r/{code}").text
    # a published resource is not edited in place
    assert market.get("/steward/edit/105002/000001").status_code == 409
    # another department may not even open the form
    tax, _ = _signed_in(site, "tax")
    assert tax.get(f"/steward/edit/{code}").status_code == 404
    assert _client(site).get(f"/steward/edit/{code}").status_code == 303
