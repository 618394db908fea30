"""义乌市应急管理局 (330782113): hazardous chemicals, work safety, emergency resources."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PENALTY, OPEN_PERMIT, PENALTY_ITEMS, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782113"
SLUG = "emergency"

RESOURCES = [
    R("hazardous-chemicals-license", "危险化学品经营许可信息", "205002", "数据库/mysql", "U", "每月", "2019-11-19",
      "危险化学品经营（带储存、不带储存）许可证信息。",
      "危险化学品 经营许可 危化品",
      PERMIT_ITEMS + " 经营场所", open=OPEN_PERMIT,
      api={"key": "许可证编号", "filters": ["统一社会信用代码"], "collection": "hazchem_licenses", "rate": 20}),
    R("fireworks-license", "烟花爆竹经营（零售）许可信息", "001", "电子表格/xlsx", "U", "每年", "2020-01-06",
      "烟花爆竹零售经营许可证信息。",
      "烟花爆竹 零售许可",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("work-safety-accident", "生产安全事故信息", "205004", "数据库/mysql", "C", "每日", "2020-01-06",
      "生产安全事故的发生时间、地点、单位、伤亡和调查处理信息。",
      "安全生产 事故 伤亡",
      "事故编号=accident_number:C:30 事故发生时间 事故发生单位名称=accident_unit_name:C:200 统一社会信用代码 "
      "死亡人数 事故类型=accident_type:C:3 调查结论=investigation_conclusion_text:M:2000",
      cond="依据《生产安全事故报告和调查处理条例》，向住建、交通、市场监管等行业主管部门和人社（工伤认定）提供，"
           "调查结论公布前不得对外引用。"),
    R("major-hazard-sources", "危险化学品重大危险源信息", "205002", "数据库/mysql", "C", "每季度", "2021-07-07",
      "构成重大危险源的危险化学品单位、储存设施和等级信息。",
      "重大危险源 危险化学品 储罐",
      "统一社会信用代码 单位名称 危险源名称=hazard_source_name:C:200 危险源等级=hazard_source_level:C:1 经度 纬度",
      cond="依据《危险化学品重大危险源监督管理暂行规定》，仅向消防救援、生态环境、公安部门用于应急处置和监管，"
           "不得公开具体位置。"),
    R("hidden-danger-inspection", "安全生产隐患排查治理信息", "205003", "数据库/mysql", "C", "每日", "2022-03-03",
      "企业自查和执法检查发现的事故隐患及整改闭环信息。",
      "隐患排查 安全检查 整改",
      "隐患编号=hazard_number:C:30 统一社会信用代码 单位名称 隐患等级 检查日期 整改状态=rectification_status:C:2",
      cond="向行业主管部门和镇街在属地监管职责范围内提供，依据《中华人民共和国安全生产法》第四十一条。"),
    R("emergency-plans", "突发事件应急预案", "212001", "电子文件/pdf", "U", "不定期", "2020-05-12",
      "义乌市总体应急预案和各专项应急预案文本。",
      "应急预案 突发事件",
      open="依据《突发事件应急预案管理办法》向社会公开，开放平台无条件开放。"),
    R("emergency-supplies", "应急物资储备信息", "212002", "电子表格/xlsx", "C", "每月", "2021-09-09",
      "市级应急物资储备库的物资种类、数量和存放地点。",
      "应急物资 储备库",
      "物资名称=supply_name:C:100 储备数量=reserve_quantity:N:12:2 计量单位 储备库名称=warehouse_name:C:100",
      cond="用于应急调度，仅向各专项指挥部成员单位提供，依据《中华人民共和国突发事件应对法》。"),
    R("emergency-shelters", "应急避难场所信息", "212002", "自描述格式/geojson", "U", "每年", "2022-10-13",
      "全市应急避难场所的位置、面积和可容纳人数。",
      "避难场所 应急避难",
      open=OPEN_FREE),
    R("safety-penalty", "安全生产行政处罚信息", "002", "电子表格/xlsx", "U", "每月", "2020-05-12",
      "应急管理部门作出的安全生产行政处罚决定。",
      "安全生产 行政处罚",
      PENALTY_ITEMS, open=OPEN_PENALTY),
    R("disaster-loss", "自然灾害灾情信息", "212004", "电子表格/xlsx", "C", "不定期", "2023-07-28",
      "台风、暴雨、洪涝等自然灾害的受灾人口、倒损房屋和直接经济损失统计。",
      "灾情 自然灾害 台风",
      "灾害名称=disaster_name:C:100 所属镇街 受灾人数=affected_population_count:I:8 "
      "直接经济损失=direct_economic_loss_amount:Y:18:2 统计日期=statistics_date:D:8",
      cond="核定前的灾情数据仅向防汛防台指挥部成员单位提供，依据《自然灾害情况统计调查制度》，核定数据另行发布。"),
]
