"""Share requests, grants, feedback (校核) and the performance report (绩效评估)."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from api.schemas.common import Out, Page


class Answered(Out):
    """The deadline fields of a request the provider must answer in working days."""

    status_label: str
    overdue: bool = Field(description="逾期未答复")
    created_at: str | None
    due_on: str | None = Field(description="答复期限（工作日计）")
    answered_at: str | None
    answered_by: str | None
    answer_working_days: int | None


class Arbitrated(Out):
    """The escalation to the coordinating body and its final ruling."""

    escalated_at: str | None
    escalation_reason: str | None
    arbitrated_at: str | None
    arbitrated_by: str | None
    arbitration_outcome: str | None
    arbitration_reason: str | None


class ShareRequestOut(Answered, Arbitrated):
    id: int
    resource_code: str
    resource_name: str | None
    provider_code: str
    requester_code: str
    requested_by: str | None
    purpose: str
    basis: str
    items: list[str] = Field(description="申请的信息项；空 = 全部")
    period_days: int
    share_type: str | None
    status: str = Field(description="pending approved rejected refused escalated arbitrated withdrawn")
    reason: str | None
    approved_items: list[str] | None
    approved_period_days: int | None
    withdrawn_at: str | None
    grant_id: int | None


class GrantOut(Out):
    id: int
    request_id: int | None
    resource_code: str
    provider_code: str
    requester_code: str
    items: list[str]
    share_type: str | None
    valid_from: str | None
    valid_until: str | None
    status: str = Field(description="active | expired | revoked")
    created_at: str | None
    revoked_at: str | None
    revoked_by: str | None
    revoke_reason: str | None
    needs_review: bool
    review_reason: str | None
    flagged_at: str | None


class FeedbackOut(Answered):
    id: int
    resource_code: str
    provider_code: str
    reporter_code: str
    reported_by: str | None
    item: str | None
    description: str
    status: str = Field(description="open | corrected | not_an_error")
    answer: str | None


class StatsOut(Out):
    """绩效评估：各部门的资源、合规率、共享答复与纠错（每个部门一行；指标随版本增加，行的字段开放）。"""

    as_of: str = Field(description="统计日期 YYYY-MM-DD")
    generated_at: str
    calendar: dict[str, Any] = Field(description="工作日历：id, version")
    rules: dict[str, int] = Field(description="答复时限（工作日）")
    departments: list[dict[str, Any]] = Field(description="每个部门一行：department_code、资源数、合规率、答复与纠错")
    overall: dict[str, Any] = Field(description="全部部门的合计")


ShareRequestPage = Page[ShareRequestOut]
GrantPage = Page[GrantOut]
FeedbackPage = Page[FeedbackOut]
