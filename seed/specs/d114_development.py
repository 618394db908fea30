"""义乌市发展和改革局 (330782114): social credit, investment projects, prices."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PERMIT
from seed.specs._spec import R

DEPARTMENT = "330782114"
SLUG = "development"

RESOURCES = [
    R("social-credit-base", "社会信用基础信息", "104001", "数据库/oracle", "U", "每日", "2019-06-28",
      "义乌市公共信用信息平台归集的法人和非法人组织基础信用信息，含登记、许可、处罚、红黑名单和公共信用评价。",
      "公共信用 信用档案 信用信息平台",
      "统一社会信用代码 信用主体名称 法定代表人姓名 评价等级 评价日期 数据来源单位 数据更新时间",
      related=["330782101/legal-entity-base"],
      api={"key": "统一社会信用代码", "filters": ["信用主体名称"], "collection": "credit_profiles", "rate": 100}),
    R("dual-publicity", "行政许可和行政处罚信用信息", "104003", "数据库/oracle", "U", "每日", "2019-06-28",
      "各部门按“双公示”要求报送的行政许可和行政处罚信息汇总。",
      "双公示 行政许可 行政处罚 信用中国",
      "信用主体名称 统一社会信用代码 行政许可决定文书号 处罚决定书文号 处罚决定日期 许可决定日期 数据来源单位",
      open="依据“双公示”制度经“信用中国（浙江义乌）”和开放平台公开，处罚信息公示期满后撤下。",
      api={"key": "统一社会信用代码", "collection": "dual_publicity", "auth": "apikey", "rate": 100}),
    R("credit-reward-punishment-list", "守信激励和失信惩戒对象名单", "104004", "数据库/oracle", "U", "每日",
      "2019-06-28",
      "各领域红名单和严重失信主体名单汇总，供联合奖惩系统在业务办理中自动比对。",
      "红黑名单 联合奖惩 失信惩戒 守信激励",
      "信用主体名称 统一社会信用代码 名单类型=list_type:C:2 列入原因=inclusion_reason_text:C:500 "
      "列入严重失信名单日期 信用修复日期 数据来源单位"),
    R("credit-repair", "信用修复信息", "208004", "电子表格/xlsx", "U", "每周", "2021-04-09",
      "完成信用修复、提前停止公示的主体信息。",
      "信用修复 移出名单",
      "信用主体名称 统一社会信用代码 信用修复日期 修复事项=repair_item_text:C:500"),
    R("public-credit-evaluation", "公共信用评价信息", "104005", "数据库/oracle", "U", "每月", "2022-01-14",
      "按浙江省公共信用评价指标体系对企业开展的公共信用综合评价结果。",
      "公共信用评价 信用评级 分级分类监管",
      "统一社会信用代码 信用主体名称 评价等级 信用分值=credit_score_value:N:6:2 评价日期"),
    R("natural-person-credit", "自然人公共信用信息", "104002", "数据库/oracle", "U", "每日", "2022-01-14",
      "自然人失信被执行人、严重失信和守信表彰信息的归集结果（不含敏感信息）。",
      "自然人信用 失信被执行人 个人信用",
      "公民身份号码 姓名 执行案号 列入严重失信名单日期 数据来源单位"),
    R("investment-project-filing", "企业投资项目备案信息", "001", "数据库/mysql", "U", "每日", "2019-05-05",
      "企业投资项目在线审批监管平台的项目备案信息。",
      "投资项目 备案 项目代码",
      "投资项目代码 项目名称 建设单位名称 统一社会信用代码 总投资额 建设地点=construction_site_address:C:200 "
      "备案日期=filing_date:D:8",
      open=OPEN_PERMIT,
      related=["330782109/construction-permit"],
      api={"key": "投资项目代码", "filters": ["统一社会信用代码"], "collection": "investment_projects",
           "rate": 20}),
    R("government-investment-approval", "政府投资项目审批信息", "001", "电子表格/xlsx", "U", "每月", "2020-02-27",
      "政府投资项目建议书、可行性研究报告和初步设计的审批信息。",
      "政府投资 项目审批 可研批复",
      "投资项目代码 项目名称 建设单位名称 总投资额 审批文号=approval_document_number:C:100 审批日期=approval_date:D:8",
      open=OPEN_PERMIT),
    R("price-monitoring", "重要商品和服务价格监测信息", "206001", "电子表格/xlsx", "U", "每周", "2020-02-27",
      "粮油、肉禽蛋、蔬菜等重要民生商品的周度价格监测数据。",
      "价格监测 民生商品 菜价",
      "商品名称=commodity_name:C:100 规格等级=specification_text:C:100 价格 计量单位 监测点名称 "
      "价格采集日期=price_collection_date:D:8",
      open=OPEN_FREE),
    R("energy-review", "固定资产投资项目节能审查信息", "207004", "电子表格/xlsx", "C", "每季度", "2023-03-31",
      "固定资产投资项目节能审查意见和年综合能源消费量。",
      "节能审查 能耗 能源消费",
      "投资项目代码 项目名称 年综合能源消费量=annual_energy_consumption_quantity:N:18:2 审查意见=review_opinion_text:C:2000",
      cond="用于能耗双控和用能预算管理，仅向经信、统计、生态环境部门提供；能耗数据涉及企业商业秘密，不得公开。"),

    R("cost-audit-materials", "定价成本监审资料", "006", "电子文件/pdf", "N", "不定期", "2025-02-24",
      "供水、燃气、公交等定价成本监审中经营者报送的财务和成本资料。",
      "成本监审 定价 商业秘密",
      cond="依据《政府制定价格成本监审办法》，成本监审机关对经营者提供的成本资料负有保密义务，含商业秘密，不予共享；"
           "监审结论随定价文件公开。",
      method="介质交换/文件"),
]
