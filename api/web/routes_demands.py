"""供需对接 pages: my department's demands (and a form to register one), a demand's own page (proposals,
duties, timeline and the steps its viewer may take), the duties assigned to my department, and the
coordinator's queue (demands to assign, refusals to arbitrate, overdue duties).

Every step calls the catalog.demands function the API calls; which forms a page shows is read from the
state tables (`catalog.demands.states`) and the one policy (`catalog.auth.allowed`); the catalogue
still decides when the form arrives.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.deps import RowId
from api.web import session as web_session
from api.web.context import database, viewer
from api.web.labels import department_name, standards
from api.web.render import WebRoute, redirect, render, safe_path
from api.web.sharing import sharing_tools
from catalog.auth import Actor, allowed, authorize
from catalog.demands import duties as demand_duties
from catalog.demands import register as demand_register
from catalog.demands.states import DEMAND_TRANSITIONS, DUTY_TRANSITIONS, POLICY
from catalog.errors import InvalidInput

router = APIRouter(route_class=WebRoute)
FormId = Annotated[int, Form(ge=1, le=2**63 - 1)]
EVENT_LABELS = {"create": "登记需求", "accept": "转为共享申请", "declare_unmet": "确认目录无法满足", "rematch": "重新匹配",
                "withdraw": "撤回需求", "assign": "分派责任部门", "release": "退回协调机构", "fulfil": "需求已满足",
                "duty.will_provide": "答复：承诺提供", "duty.cannot": "答复：无法提供", "duty.not_ours": "答复：非本部门职责",
                "duty.escalate": "申请争议协调", "duty.arbitrate": "协调裁决", "duty.close": "责任关闭"}
BY_LABELS = {"element": "数据元", "name": "信息项名称", "text": "全文检索"}


def _dept_name(request: Request) -> Any:
    std = standards(request.app.state.catalog)
    return lambda c: department_name(c, std)


def _may(actor: Actor, party: str, code: str | None) -> bool:
    return party != "system" and allowed(actor, POLICY[party], provider_code=code)  # type: ignore[index,arg-type]


def demand_actions(actor: Actor, demand: dict[str, Any]) -> set[str]:
    """The demand steps `actor` may take now (state table + policy)."""
    return {action for (state, action), (_, party) in DEMAND_TRANSITIONS.items()
            if state == demand["status"] and _may(actor, party, demand["requester_code"])}


def duty_actions(actor: Actor, duty: dict[str, Any], requester_code: str) -> set[str]:
    codes = {"responsible": duty["department_code"], "requester": requester_code, "coordinator": None}
    return {action for (state, action), (_, party) in DUTY_TRANSITIONS.items()
            if state == duty["status"] and party in codes and _may(actor, party, codes[party])}


def _listed(request: Request, **where: Any) -> list[dict[str, Any]]:
    actor, tools = viewer(request), sharing_tools(request)
    with database(request).session() as s:
        rows, _ = demand_register.list_demands(session=s, actor=actor, limit=500, **where)
        return [demand_register.demand_dict(r, session=s, calendar=tools.calendar, clock=tools.clock) for r in rows]


def _duties(request: Request, **where: Any) -> list[dict[str, Any]]:
    actor, tools = viewer(request), sharing_tools(request)
    with database(request).session() as s:
        rows, _ = demand_duties.list_duties(session=s, actor=actor, calendar=tools.calendar, clock=tools.clock,
                                            limit=500, **where)
        return [demand_duties.duty_dict(d, demand=demand_register.get_demand_row(session=s, demand_id=d.demand_id),
                                        calendar=tools.calendar, clock=tools.clock) for d in rows]


@router.get("/demands")
def my_demands(request: Request) -> Response:
    """My department's demands (all demands for overseers), newest first."""
    actor = viewer(request)
    authorize(actor, "read_sharing", provider_code=actor.department_code)
    where = {"requester_code": actor.department_code} if actor.department_code else {}
    return render(request, "demands.html", demands=_listed(request, **where), dept_name=_dept_name(request),
                  can_raise=bool(actor.department_code) and allowed(actor, "request_share",
                                                                    provider_code=actor.department_code))


@router.get("/demands/new")
def new_demand(request: Request) -> Response:
    actor = viewer(request)
    authorize(actor, "request_share", provider_code=actor.department_code)
    return render(request, "demand_new.html", form={})


@router.post("/act/demand-create", dependencies=[Depends(web_session.check_csrf)])
def create_demand(request: Request, title: str = Form(""), description: str = Form(""), needs: str = Form(""),
                  purpose: str = Form(""), basis: str = Form(""), scenario: str = Form(""),
                  wanted_by: str = Form("")) -> Response:
    actor, tools = viewer(request), sharing_tools(request)
    catalog = request.app.state.catalog
    wanted = [n.strip() for line in needs.splitlines() for n in line.replace("，", ",").replace("、", ",").split(",")
              if n.strip()]
    with database(request).transaction() as s:
        row = demand_register.create_demand(
            session=s, actor=actor, calendar=tools.calendar, clock=tools.clock, standards=catalog.files,
            backend=catalog.search, title=title, description=description, needs=wanted, purpose=purpose,
            basis=basis, scenario=scenario or None, wanted_by=wanted_by or None)
        demand_id, found = row.id, len(row.proposals)
    return redirect(request, f"/demands/{demand_id}", f"需求 {demand_id} 已登记，目录中找到 {found} 个可能满足的资源")


@router.get("/demands/{demand_id}")
def demand_page(request: Request, demand_id: RowId) -> Response:
    actor, tools = viewer(request), sharing_tools(request)
    with database(request).session() as s:
        row = demand_register.get_demand(session=s, actor=actor, demand_id=demand_id)
        demand = demand_register.demand_dict(row, session=s, calendar=tools.calendar, clock=tools.clock,
                                             with_events=True)
    for duty in demand["duties"]:
        duty["actions"] = duty_actions(actor, duty, demand["requester_code"])
    std = standards(request.app.state.catalog)
    departments = [(code, dept["name"]) for code, dept in sorted(std.departments.items())
                   if code != demand["requester_code"]]
    return render(request, "demand.html", d=demand, actions=demand_actions(actor, demand), dept_name=_dept_name(request),
                  departments=departments,
                  event_labels=EVENT_LABELS, by_labels=BY_LABELS, answer_days=tools.calendar.rules.share_request_answer,
                  today=tools.calendar.local_date(tools.clock.now()).isoformat())


@router.post("/act/demand", dependencies=[Depends(web_session.check_csrf)])
def act_on_demand(request: Request, demand_id: FormId, action: str = Form(...), reason: str = Form(""),
                  resources: list[str] = Form(default=[]), period_days: str = Form(""),
                  departments: list[str] = Form(default=[]), working_days: str = Form(""),
                  back: str = Form("")) -> Response:
    """accept / declare_unmet / rematch / withdraw (requester), assign (coordinator)."""
    actor, tools = viewer(request), sharing_tools(request)
    catalog = request.app.state.catalog
    common: dict[str, Any] = {"actor": actor, "calendar": tools.calendar, "clock": tools.clock, "demand_id": demand_id}
    number = lambda text: int(text) if text.strip().isdigit() else (text.strip() or None)  # noqa: E731
    with database(request).transaction() as s:
        if action == "accept":
            _, made = demand_register.accept_proposals(session=s, **common, resources=resources,
                                                       period_days=number(period_days))
            message = f"已提出 {len(made)} 个共享申请：" + "、".join(str(r.id) for r in made)
        elif action == "declare_unmet":
            demand_register.declare_unmet(session=s, **common, reason=reason or None)
            message = "已确认目录无法满足，等待共享协调机构分派责任部门"
        elif action == "rematch":
            demand_register.rematch_demand(session=s, **common, standards=catalog.files,
                                           backend=catalog.search)
            message = "已按目录现状重新匹配"
        elif action == "withdraw":
            demand_register.withdraw_demand(session=s, **common, reason=reason or None)
            message = f"已撤回需求 {demand_id}"
        elif action == "assign":
            made = demand_duties.assign_demand(session=s, **common, departments=[d for d in departments if d],
                                               working_days=number(working_days), note=reason or None)
            message = f"已分派 {len(made)} 个责任部门，答复期限 {made[0].due_on}"
        else:
            raise InvalidInput(f"未知操作 {action!r} (unknown action)")
    return redirect(request, safe_path(back, f"/demands/{demand_id}"), message)


@router.post("/act/duty", dependencies=[Depends(web_session.check_csrf)])
def act_on_duty(request: Request, duty_id: FormId, action: str = Form(...), reason: str = Form(""),
                target_date: str = Form(""), outcome: str = Form(""), back: str = Form("")) -> Response:
    """will_provide / cannot / not_ours (responsible department), escalate (requester), arbitrate (coordinator)."""
    actor, tools = viewer(request), sharing_tools(request)
    common: dict[str, Any] = {"actor": actor, "calendar": tools.calendar, "clock": tools.clock, "duty_id": duty_id}
    with database(request).transaction() as s:
        if action == "will_provide":
            duty = demand_duties.will_provide(session=s, **common, target_date=target_date, note=reason or None)
        elif action == "cannot":
            duty = demand_duties.cannot_provide(session=s, **common, reason=reason)
        elif action == "not_ours":
            duty = demand_duties.not_ours(session=s, **common, reason=reason)
        elif action == "escalate":
            duty = demand_duties.escalate_duty(session=s, **common, reason=reason)
        elif action == "arbitrate":
            duty = demand_duties.arbitrate_duty(session=s, **common, outcome=outcome or None, reason=reason,
                                                target_date=target_date or None)
        else:
            raise InvalidInput(f"未知操作 {action!r} (unknown action)")
        demand_id, label = duty.demand_id, demand_duties.DUTY_LABELS.get(duty.status, duty.status)
    return redirect(request, safe_path(back, f"/demands/{demand_id}"), f"责任 {duty_id}：{label}")


@router.get("/duties")
def my_duties(request: Request) -> Response:
    """The duties assigned to my department (every duty for overseers), overdue ones first."""
    actor = viewer(request)
    authorize(actor, "read_sharing", provider_code=actor.department_code)
    where = {"department_code": actor.department_code} if actor.department_code else {}
    rows = sorted(_duties(request, **where), key=lambda d: (not d["overdue"], -d["id"]))
    return render(request, "duties.html", duties=rows, dept_name=_dept_name(request))


@router.get("/demand-queue")
def coordinator_queue(request: Request) -> Response:
    """Unmet demands to assign, refusals escalated to arbitrate, and every overdue duty."""
    actor = viewer(request)
    authorize(actor, "read_sharing")
    return render(request, "demand_queue.html", unmet=_listed(request, status="unmet"),
                  escalated=_duties(request, status="escalated"), overdue=_duties(request, overdue=True),
                  can_act=allowed(actor, "arbitrate_share"), dept_name=_dept_name(request))
