"""The 供需对接 pages over HTTP: register a need in the form, see its proposals, accept one; the coordinator's queue
and assignment; the duties page; the steps a viewer may not take are not offered, and refused if forced."""
from __future__ import annotations

import re
from typing import Any

from tests.demands.conftest import HRSS
from tests.demands.test_story import EMPLOYMENT, ENTERPRISE_REGISTRATION
from tests.web.test_pages import _signed_in


def _create(client: Any, csrf: str, **fields: str) -> int:
    response = client.post("/act/demand-create", data={"csrf_token": csrf, **fields})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_a_need_registered_in_the_form_and_accepted_as_a_share_request(site: Any) -> None:
    tax, csrf = _signed_in(site, "tax")
    assert 'href="/demands/new"' in tax.get("/demands").text
    demand_id = _create(tax, csrf, title="企业设立登记信息", description="多证合一", needs="统一社会信用代码，企业名称\nDE0003",
                        purpose="税务登记", basis="税收征收管理法第十五条", wanted_by="")
    page = tax.get(f"/demands/{demand_id}").text
    assert re.findall(r'data-code="([^"]+)"', page)[0] == ENTERPRISE_REGISTRATION
    assert 'id="accept-form"' in page and 'id="unmet-form"' in page and 'id="assign-form"' not in page
    response = tax.post("/act/demand", data={"csrf_token": csrf, "demand_id": demand_id, "action": "accept",
                                             "resources": ENTERPRISE_REGISTRATION, "period_days": "365"})
    assert response.status_code == 303
    page = tax.get(f"/demands/{demand_id}").text
    assert "已由目录满足" in page and re.search(r'href="/requests/\d+"', page)
    assert re.findall(r'data-event="([\w.]+)"', page) == ["create", "accept"]
    market, _ = _signed_in(site, "market")
    assert market.get(f"/demands/{demand_id}").status_code == 404  # the provider sees the share request, not the need


def test_coordinator_queue_assignment_and_the_duties_page(site: Any) -> None:
    tax, csrf = _signed_in(site, "tax")
    demand_id = _create(tax, csrf, **{k: v if isinstance(v, str) else "\n".join(v) for k, v in EMPLOYMENT.items()})
    tax.post("/act/demand", data={"csrf_token": csrf, "demand_id": demand_id, "action": "declare_unmet"})
    forced = tax.post("/act/demand", data={"csrf_token": csrf, "demand_id": demand_id, "action": "assign",
                                           "departments": HRSS})
    assert forced.status_code == 403  # not offered, and refused when forced
    coordinator, ccsrf = _signed_in(site, "coordinator")
    queue = coordinator.get("/demand-queue").text
    assert f'id="unmet-{demand_id}"' in queue
    assert 'id="assign-form"' in coordinator.get(f"/demands/{demand_id}").text
    response = coordinator.post("/act/demand", data={"csrf_token": ccsrf, "demand_id": demand_id, "action": "assign",
                                                     "departments": HRSS, "working_days": "5"})
    assert response.status_code == 303
    hrss, hcsrf = _signed_in(site, "hrss")
    duties = hrss.get("/duties").text
    duty_id = int(re.findall(r'id="duty-(\d+)"', duties)[0])
    assert "2025-10-14" in duties and EMPLOYMENT["title"] in duties
    page = hrss.get(f"/demands/{demand_id}").text
    assert "will-provide-form" in page and "escalate-form" not in page
    response = hrss.post("/act/duty", data={"csrf_token": hcsrf, "duty_id": duty_id, "action": "cannot", "reason": ""})
    assert response.status_code == 400  # the reason is required: the catalogue names the field
    hrss.post("/act/duty", data={"csrf_token": hcsrf, "duty_id": duty_id, "action": "cannot", "reason": "未采集工资数据"})
    page = tax.get(f"/demands/{demand_id}").text
    assert "escalate-form" in page and "will-provide-form" not in page
    tax.post("/act/duty", data={"csrf_token": csrf, "duty_id": duty_id, "action": "escalate", "reason": "请协调"})
    assert f'id="escalated-{duty_id}"' in coordinator.get("/demand-queue").text
    assert 'class="arbitrate-form"' in coordinator.get(f"/demands/{demand_id}").text
    assert f'id="demand-{demand_id}"' in tax.get("/demands").text


def test_the_report_page_shows_demand_figures(site: Any) -> None:
    tax, csrf = _signed_in(site, "tax")
    demand_id = _create(tax, csrf, title="企业设立登记信息", description="多证合一", needs="统一社会信用代码",
                        purpose="税务登记", basis="税收征收管理法第十五条")
    tax.post("/act/demand", data={"csrf_token": csrf, "demand_id": demand_id, "action": "accept",
                                  "resources": ENTERPRISE_REGISTRATION, "period_days": "365"})
    auditor, _ = _signed_in(site, "auditor")
    page = auditor.get("/report").text
    row = re.search(r'<tr id="demands-330782103">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row)[:2] == ["1", "1"]  # raised 1, met from the catalogue 1
