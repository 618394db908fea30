"""义乌市医疗保障局 (330782112): medical insurance, settlement, medical assistance."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PENALTY, PENALTY_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782112"
SLUG = "medicare"

RESOURCES = [
    R("medical-insurance-enrolment", "医疗保险参保信息", "203001", "数据库/oracle", "C", "实时", "2019-12-12",
      "职工基本医疗保险和城乡居民基本医疗保险参保登记和缴费状态信息。",
      "医保参保 城乡居民医保 职工医保",
      "社会保障号码 参保人员姓名 公民身份号码 险种类型 参保状态 参保日期 参保单位名称",
      cond="依据《医疗保障基金使用监督管理条例》和《中华人民共和国社会保险法》第八十一条，仅向人社、民政、税务、"
           "卫健部门在待遇衔接、救助资助参保、费款征收职责范围内按人核验。",
      related=["330782104/social-insurance-enrolment"],
      api={"key": "社会保障号码", "filters": ["公民身份号码"], "collection": "medical_insured", "rate": 50}),
    R("medical-settlement", "医保结算明细信息", "203001", "数据库/oracle", "N", "实时", "2019-12-12",
      "定点医药机构上传的门诊、住院医保结算明细，含诊断和费用。",
      "医保结算 就诊 费用明细",
      "结算编号=settlement_number:C:30 社会保障号码 医疗机构名称 医疗费用总额 医保统筹支付金额 医保结算日期",
      cond="结算明细含疾病诊断等健康信息，依据《中华人民共和国个人信息保护法》第二十八条和《中华人民共和国基本医疗卫生"
           "与健康促进法》第九十二条不予共享；统计汇总数据可另行申请。"),
    R("designated-institutions", "定点医药机构信息", "202001", "电子表格/xlsx", "U", "每月", "2019-12-12",
      "医保定点医疗机构和定点零售药店名单。",
      "定点医院 定点药店 医保",
      "定点机构编码=designated_institution_code:C:20 医疗机构名称 统一社会信用代码 机构类别=institution_type:C:2 住所",
      open=OPEN_FREE),
    R("medical-assistance", "医疗救助信息", "203002", "数据库/oracle", "C", "每月", "2020-08-31",
      "低保、特困等救助对象的医疗救助和参保资助信息。",
      "医疗救助 参保资助 困难群众",
      "公民身份号码 姓名 救助对象类别 救助金额=assistance_amount:Y:18:2 医保结算日期",
      cond="仅向民政部门用于救助资金统计和对象动态管理，依据《社会救助暂行办法》，不对外公开。"),
    R("medicare-penalty", "医疗保障行政处罚信息", "002", "电子表格/xlsx", "U", "每季度", "2021-05-01",
      "欺诈骗取医保基金等违法行为的行政处罚决定。",
      "医保基金监管 欺诈骗保 行政处罚",
      PENALTY_ITEMS, open=OPEN_PENALTY),
    R("medical-service-prices", "医疗服务价格项目信息", "206002", "电子表格/xlsx", "U", "不定期", "2022-02-22",
      "公立医疗机构医疗服务价格项目和收费标准。",
      "医疗服务价格 收费标准",
      "价格项目编码=price_item_code:C:30 医疗服务价格项目名称=price_item_name:C:200 价格 计量单位", open=OPEN_FREE),

    R("fund-monitoring-rules", "医保基金智能监控规则库", "006", "数据库/mysql", "N", "每季度", "2025-09-01",
      "医保智能审核和基金监控使用的规则、阈值和知识库。",
      "智能监控 规则库 基金监管",
      "规则编码=rule_code:C:20 规则名称=rule_name:C:200 规则类型=rule_type:C:2",
      cond="监控规则公开将被用于规避监管，属医保工作秘密，依据《医疗保障基金使用监督管理条例》及保密管理规定不予共享。"),
]
