"""A small hand-made corpus for the backend suite: valid records of a few departments, one draft."""
from __future__ import annotations

from typing import Any


def record(code: str, name: str, *, provider: str, provider_code: str, abstract: str, items: list[tuple[str, str]],
           keywords: list[str] | None = None, share_type: str = "有条件共享", category: str = "数据库",
           cycle: str = "每日", published_on: str = "2024-03-01", to_public: bool = False) -> dict[str, Any]:
    classification = code.split("/")[0]
    rec: dict[str, Any] = {
        "code": code, "name": name, "classification": classification, "provider": provider,
        "provider_code": provider_code, "abstract": abstract, "keywords": keywords or [],
        "format": {"category": category, "type": "mysql" if category == "数据库" else "xlsx"},
        "items": [{"name": n, "identifier": i, "data_type": "C", "length": 50} for n, i in items],
        "share": {"type": share_type, "condition": "仅用于法定职责，依申请共享，不得转作他用。",
                  "method": {"category": "共享平台", "type": "数据库"}},
        "open": {"to_public": to_public, **({"condition": "脱敏后向社会开放，遵守数据开放相关规定。"} if to_public else {})},
        "update_cycle": cycle, "published_on": published_on,
    }
    if share_type == "无条件共享":
        rec["share"].pop("condition")
    return rec


MARKET, TAX, HRSS, CIVIL = "330782101", "330782103", "330782104", "330782105"
USCC = ("统一社会信用代码", "unified_social_credit_code")

CORPUS: list[tuple[dict[str, Any], str]] = [
    (record("102001/000001", "企业登记基本信息", provider="义乌市市场监督管理局", provider_code=MARKET,
            abstract="全市各类企业设立、变更、注销登记的基本信息，包括名称、住所、法定代表人等。",
            items=[USCC, ("企业名称", "enterprise_name"), ("法定代表人", "legal_representative")],
            keywords=["企业登记", "市场主体"], share_type="无条件共享", published_on="2024-03-01", to_public=True),
     "published"),
    (record("301002330782101/000001", "行政处罚案件信息", provider="义乌市市场监督管理局", provider_code=MARKET,
            abstract="市场监管领域行政处罚案件的立案、处罚决定信息。",
            items=[USCC, ("案件编号", "case_number"), ("处罚决定日期", "penalty_date")],
            keywords=["行政处罚"], published_on="2023-06-15"), "published"),
    (record("303001330782103/000001", "纳税人登记信息", provider="国家税务总局义乌市税务局", provider_code=TAX,
            abstract="纳税人税务登记、变更和注销信息。",
            items=[USCC, ("纳税人识别号", "taxpayer_id"), ("纳税人名称", "taxpayer_name")],
            keywords=["税务登记", "纳税人"], cycle="每月", published_on="2024-05-01"), "published"),
    (record("303005330782103/000001", "欠税公告信息", provider="国家税务总局义乌市税务局", provider_code=TAX,
            abstract="欠缴税款的纳税人名单及欠税金额。", items=[("纳税人名称", "taxpayer_name"), ("欠税金额", "tax_arrears")],
            category="电子表格", cycle="每季度", published_on="2022-01-10", to_public=True), "published"),
    (record("304004330782104/000001", "社会保险参保信息", provider="义乌市人力资源和社会保障局", provider_code=HRSS,
            abstract="职工基本养老、医疗、失业、工伤保险的参保和缴费信息。",
            items=[("公民身份号码", "citizen_id_number"), ("参保状态", "insured_status"), ("缴费基数", "contribution_base")],
            keywords=["社保", "参保"], published_on="2024-01-20"), "published"),
    (record("305004330782105/000001", "最低生活保障对象信息", provider="义乌市民政局", provider_code=CIVIL,
            abstract="城乡最低生活保障家庭及成员的认定和救助金发放信息。",
            items=[("公民身份号码", "citizen_id_number"), ("保障金额", "allowance_amount")],
            keywords=["低保", "社会救助"], cycle="每月", published_on="2023-11-01"), "published"),
    (record("305004330782105/000002", "社会组织登记草稿", provider="义乌市民政局", provider_code=CIVIL,
            abstract="社会团体、民办非企业单位登记信息（草稿）。", items=[USCC, ("社会组织名称", "organization_name")],
            published_on="2025-01-01"), "draft"),
]
