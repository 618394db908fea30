"""义乌市生态环境局 (330782108): permits, environmental monitoring, pollution sources."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PENALTY, OPEN_PERMIT, PENALTY_ITEMS, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782108"
SLUG = "ecology"

RESOURCES = [
    R("pollutant-discharge-permit", "排污许可证信息", "211004", "数据库/mysql", "U", "每月", "2020-01-10",
      "排污单位的排污许可证核发、变更和延续信息，含主要污染物种类和许可排放量。",
      "排污许可 固定污染源 许可排放量",
      "排污许可证编号 行政相对人名称 统一社会信用代码 国民经济行业代码 生产经营地址=business_address:C:200 "
      "主要污染物种类=pollutant_type:C:200 许可排放量=permitted_emission_quantity:N:18:4 颁证日期 证照有效期止",
      open=OPEN_PERMIT,
      api={"key": "排污许可证编号", "filters": ["统一社会信用代码"], "collection": "discharge_permits", "rate": 20}),
    R("eia-approval", "建设项目环境影响评价审批信息", "211003", "电子表格/xlsx", "U", "每月", "2019-08-08",
      "建设项目环境影响报告书（表）审批决定。",
      "环评 环境影响评价 审批",
      "投资项目代码 项目名称 建设单位名称 审批文号=approval_document_number:C:100 审批日期=approval_date:D:8",
      open=OPEN_PERMIT, related=["330782114/investment-project-filing"]),
    R("pollution-source-monitoring", "重点污染源自动监控数据", "211002", "数据库/mysql", "C", "实时", "2021-09-01",
      "重点排污单位废水、废气排放口在线监测的小时浓度和排放量。",
      "在线监测 污染源 排放口 自动监控",
      "统一社会信用代码 排放口编号=outlet_number:C:20 监测因子=monitoring_factor_name:C:50 监测时间 "
      "监测浓度=measured_concentration_value:N:12:4 是否超标=exceed_standard_indicator:L:1",
      cond="依据《中华人民共和国环境保护法》和《污染源自动监控管理办法》，向综合执法、应急管理部门提供用于"
           "执法检查和应急处置；数据未经审核不得作为处罚依据对外引用。",
      api={"key": "统一社会信用代码", "filters": ["排放口编号", "监测时间"], "collection": "source_readings",
           "rate": 10}),
    R("air-quality", "空气质量实时监测数据", "211001", "自描述格式/json", "U", "实时", "2020-06-05",
      "全市国控、省控空气质量监测站点的小时AQI和六项污染物浓度。",
      "空气质量 AQI PM2.5",
      "监测点名称 监测时间 空气质量指数 首要污染物=primary_pollutant_name:C:20",
      open=OPEN_FREE,
      api={"key": "监测点名称", "collection": "air_quality", "auth": "apikey", "rate": 100, "per": "minute"}),
    R("surface-water-quality", "地表水水质监测信息", "211001", "电子表格/xlsx", "U", "每月", "2020-06-05",
      "义乌江及主要支流断面的月度水质类别和主要监测指标。",
      "地表水 水质 断面",
      "监测点名称 监测时间 水质类别=water_quality_type:C:3 化学需氧量=cod_value:N:10:2 氨氮=ammonia_nitrogen_value:N:10:3",
      open=OPEN_FREE),
    R("environment-penalty", "生态环境行政处罚信息", "002", "数据库/mysql", "U", "每月", "2019-08-08",
      "生态环境部门作出的行政处罚决定。",
      "环境违法 行政处罚",
      PENALTY_ITEMS, open=OPEN_PENALTY),
    R("hazardous-waste-license", "危险废物经营许可信息", "001", "电子表格/et", "U", "每年", "2021-02-02",
      "危险废物收集、贮存、利用、处置经营许可证信息。",
      "危险废物 经营许可",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("environment-complaint", "生态环境信访投诉信息", "004", "数据库/mysql", "C", "每日", "2022-05-30",
      "群众通过12345、12369反映的环境污染投诉及办理结果。",
      "环境投诉 信访 12369",
      "投诉编号=complaint_number:C:30 投诉内容=complaint_content_text:M:2000 被投诉单位名称=respondent_name:C:200 "
      "所属镇街 办结日期",
      cond="不含投诉人身份信息；仅向综合执法、镇街在属地处置职责范围内提供，依据《信访工作条例》对投诉人信息保密。"),
]
