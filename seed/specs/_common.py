"""Information items shared by several departments that are not (yet) standard data elements."""
from __future__ import annotations

_DEFINITIONS = """
处罚内容=penalty_content_text:C:1000
经营场所=business_premises_address:C:200
负责人姓名=responsible_person_name:C:50
许可类别=permit_type:C:50
统计年度=statistical_year:C:4
统计月份=statistical_month_code:C:6
指标名称=indicator_name:C:100
指标值=indicator_value:N:18:4
计量单位=measurement_unit_name:C:20
监测时间=monitoring_datetime:T:14
监测点名称=monitoring_site_name:C:100
所属镇街=township_name:C:50
申请日期=application_date:D:8
办结日期=completion_date:D:8
审核状态=review_status:C:2
补贴金额=subsidy_amount:Y:18:2
发放日期=payment_date:D:8
发放月份=payment_month_code:C:6
"""

COMMON_ITEMS: dict[str, str] = {
    line.split("=")[0]: line for line in _DEFINITIONS.split() if line
}

PERMIT_ITEMS = ("行政许可决定文书号 许可证编号 行政相对人名称 统一社会信用代码 法定代表人姓名 许可内容 "
                "许可决定日期 证照有效期起 证照有效期止 许可机关")
PENALTY_ITEMS = ("处罚决定书文号 行政相对人名称 统一社会信用代码 违法事实 处罚依据 处罚类别 处罚内容 "
                 "罚款金额 没收违法所得金额 处罚决定日期 处罚机关")
OPEN_PERMIT = ("依据《中华人民共和国行政许可法》第四十条公开准予许可决定，经义乌市公共数据开放平台无条件开放；"
               "不含自然人的公民身份号码和联系方式。")
OPEN_PENALTY = ("依据《中华人民共和国行政处罚法》第四十八条公开具有一定社会影响的行政处罚决定，经义乌市公共数据开放平台"
                "开放，公示期满或信用修复后撤下；当事人为自然人的隐去公民身份号码。")
OPEN_FREE = "经义乌市公共数据开放平台无条件开放，注册用户可直接下载或调用，须注明数据来源。"
