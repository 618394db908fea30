"""义乌市人力资源和社会保障局 (330782104): social insurance, employment, labour inspection."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PENALTY, OPEN_PERMIT, PENALTY_ITEMS, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782104"
SLUG = "hrss"

SI_COND = ("依据《中华人民共和国社会保险法》第八十一条，社会保险信息应依法保密；仅向医保、税务、民政、"
           "公积金等部门在待遇核定、费款征收、救助审核等法定职责范围内提供，使用方不得转提供。")

RESOURCES = [
    R("social-insurance-enrolment", "社会保险参保登记信息", "203001", "数据库/oracle", "C", "实时", "2019-07-01",
      "企业职工基本养老、失业、工伤保险的单位和个人参保登记信息。",
      "参保登记 社保 养老保险 失业保险 工伤保险",
      "社会保障号码 参保人员姓名 参保单位名称 统一社会信用代码 险种类型 参保状态 参保日期 缴费基数",
      cond=SI_COND,
      related=["330782112/medical-insurance-enrolment"],
      api={"key": "社会保障号码", "filters": ["统一社会信用代码", "参保状态"], "collection": "insured_persons",
           "rate": 50}),
    R("social-insurance-contribution", "社会保险缴费信息", "203001", "数据库/oracle", "C", "每月", "2019-07-01",
      "参保单位和个人的月度缴费明细和累计缴费月数。",
      "社保缴费 缴费记录 缴费基数",
      "社会保障号码 参保人员姓名 参保单位名称 险种类型 费款所属期=contribution_period_code:C:6 缴费基数 累计缴费月数",
      cond=SI_COND),
    R("pension-payment", "养老保险待遇发放信息", "203001", "数据库/oracle", "C", "每月", "2019-07-01",
      "企业职工和城乡居民基本养老保险待遇核定和月度发放信息。",
      "养老金 待遇发放",
      "社会保障号码 姓名 养老金发放金额 发放月份 待遇状态=benefit_status:C:2",
      cond=SI_COND),
    R("employment-registration", "就业失业登记信息", "201002", "数据库/mysql", "C", "每日", "2020-03-10",
      "劳动者就业登记、失业登记和就业援助认定信息。",
      "就业登记 失业登记 就业援助",
      "公民身份号码 姓名 就业状态=employment_status:C:2 单位名称 就业失业登记日期=employment_registration_date:D:8",
      cond="用于就业补贴、低保审核和创业扶持资格核验，依据《就业服务与就业管理规定》，申请部门按人核验。"),
    R("skill-certificate", "职业技能等级证书信息", "105001", "数据库/mysql", "U", "每月", "2021-04-26",
      "职业技能等级认定机构颁发的证书信息，用于技能人才补贴和人才认定。",
      "职业技能 技能等级证书 电子证照",
      "职业技能等级证书编号=skill_certificate_number:C:30 姓名 公民身份号码 职业工种名称=occupation_name:C:100 技能等级=skill_level:C:1 颁证日期",
      api={"key": "职业技能等级证书编号", "filters": ["公民身份号码"], "collection": "skill_certificates", "rate": 20}),
    R("hr-service-license", "人力资源服务许可信息", "001", "电子表格/xlsx", "U", "每月", "2020-08-18",
      "经营性人力资源服务机构的许可和备案信息。",
      "人力资源服务 职业中介 许可",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("labour-inspection-penalty", "劳动保障监察行政处罚信息", "002", "电子表格/xlsx", "U", "每月", "2020-08-18",
      "劳动保障监察机构作出的行政处罚决定。",
      "劳动保障监察 行政处罚 欠薪",
      PENALTY_ITEMS, open=OPEN_PENALTY),
    R("wage-arrears-list", "拖欠农民工工资失信联合惩戒对象名单", "208002", "电子表格/xlsx", "U", "每季度",
      "2022-01-05",
      "因拖欠农民工工资被列入失信联合惩戒对象名单的用人单位及其负责人。",
      "欠薪 农民工工资 失信惩戒",
      "统一社会信用代码 单位名称 法定代表人姓名 列入原因=inclusion_reason_text:C:500 列入严重失信名单日期",
      open="依据《保障农民工工资支付条例》第四十八条公开，开放平台无条件开放。"),
    R("job-vacancies", "招聘岗位信息", "201002", "自描述格式/json", "U", "每日", "2023-02-20",
      "义乌市人力资源市场和线上招聘平台发布的企业招聘岗位。",
      "招聘 岗位 就业服务",
      open=OPEN_FREE,
      api=None),
    R("labour-arbitration", "劳动人事争议仲裁案件信息", "004", "数据库/mysql", "C", "每日", "2022-06-15",
      "劳动人事争议仲裁的立案、调解和裁决信息。",
      "劳动仲裁 劳动争议 调解",
      "案件编号=case_number:C:30 申请人姓名=applicant_name:C:50 被申请人名称=respondent_name:C:200 "
      "争议类型=dispute_type:C:10 结案方式=closing_method_type:C:2 办结日期",
      cond="仅向法院、司法行政部门和工会在诉调对接、法律援助职责内按案提供，依据《中华人民共和国劳动争议调解仲裁法》。"),

    R("labour-inspection-reports", "劳动保障监察举报信息", "003", "数据库/mysql", "N", "每日", "2025-04-28",
      "劳动者对用人单位违反劳动保障法律的举报、投诉及举报人信息。",
      "劳动保障监察 举报 欠薪投诉",
      "举报编号=report_number:C:30 举报人姓名=informant_name:C:50 被举报单位名称=reported_unit_name:C:200 申请日期",
      cond="《劳动保障监察条例》规定劳动保障行政部门应当为举报人保密；举报信息含举报人身份，不予共享，"
           "处理结果以行政处罚信息另行公开。"),
    R("work-injury-determination", "工伤认定信息", "203001", "数据库/oracle", "C", "每日", "2025-10-30",
      "工伤认定申请、受理和认定结论信息。",
      "工伤认定 工伤保险",
      "社会保障号码 姓名 单位名称 事故发生时间 认定结论=determination_conclusion_type:C:2 办结日期",
      cond="依据《工伤保险条例》和《中华人民共和国社会保险法》第八十一条，仅向医保（工伤医疗费用结算）和应急管理"
           "（事故调查）部门按件提供。"),
    R("social-security-card", "社会保障卡发放信息", "203001", "数据库/oracle", "C", "每日", "2026-02-09",
      "第三代社会保障卡的申领、制发和挂失信息。",
      "社保卡 一卡通 三代卡",
      "社会保障卡卡号 社会保障号码 姓名 颁证日期 证照状态",
      cond="用于惠民惠农补贴“一卡通”发放和就医结算核验，依据《中华人民共和国社会保险法》第八十一条，仅向财政、医保部门提供。"),
]
