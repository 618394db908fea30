"""国家税务总局义乌市税务局 (330782103): tax registration, credit, confidential tax data."""
from __future__ import annotations

from seed.specs._common import OPEN_PENALTY, PENALTY_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782103"
SLUG = "tax"

TAX_SECRET = ("《中华人民共和国税收征收管理法》第八条：税务机关应当依法为纳税人、扣缴义务人的情况保密；"
              "纳税人的申报、缴纳数据属涉税保密信息，不予共享（法律另有规定的，由司法机关依法调取）。")

RESOURCES = [
    R("taxpayer-registration", "纳税人税务登记信息", "001", "数据库/oracle", "C", "实时", "2019-05-10",
      "纳税人设立、变更和注销税务登记的信息。多证合一后以市场监管部门推送的企业登记信息自动确认税务登记，"
      "统一社会信用代码即纳税人识别号。",
      "税务登记 纳税人识别号 多证合一 联合登记",
      "纳税人识别号 统一社会信用代码 纳税人名称=taxpayer_name:C:200 法定代表人姓名 登记注册类型=registration_type:C:3 "
      "主管税务机关 税务登记日期 纳税人状态=taxpayer_status:C:2 国民经济行业代码 生产经营地址=business_address:C:200",
      cond="依据《中华人民共和国税收征收管理法》第十五条及多证合一改革文件，向市场监管、公安、人社、统计部门提供"
           "登记类信息，用于登记信息互认和主体状态核验；不含申报纳税数据。",
      related=["330782101/enterprise-establishment-registration", "330782102/seal-engraving-filing",
               "national-tax-registration-legacy", "local-tax-registration-legacy"],
      api={"key": "纳税人识别号", "filters": ["统一社会信用代码", "纳税人状态"], "collection": "taxpayers",
           "rate": 50}),
    R("national-tax-registration-legacy", "原国税税务登记存量信息", "006", "电子表格/xlsx", "C", "不定期",
      "2019-02-26",
      "原义乌市国家税务局2018年机构合并前的税务登记存量数据，含原国税税务登记证号与统一社会信用代码对照。",
      "国税 存量数据 税务登记证 机构改革",
      "纳税人识别号 纳税人名称=taxpayer_name:C:200 统一社会信用代码 "
      "税务登记日期 注销日期",
      cond="仅用于历史证照核对和档案查询，依据《中华人民共和国税收征收管理法》第十五条，申请部门须说明核对对象。"),
    R("local-tax-registration-legacy", "原地税税务登记存量信息", "006", "电子表格/xlsx", "C", "不定期",
      "2019-02-26",
      "原义乌市地方税务局2018年机构合并前的税务登记和社会保险费登记存量数据。",
      "地税 存量数据 社保费登记 机构改革",
      "纳税人识别号 纳税人名称=taxpayer_name:C:200 统一社会信用代码 "
      "税务登记日期 社保费登记标志=social_insurance_registration_flag:L:1",
      cond="仅用于历史证照核对和社保费征收衔接，申请部门须说明核对对象，不得批量留存。"),
    R("tax-credit-a-list", "纳税信用A级纳税人名单", "104005", "电子表格/xlsx", "U", "每年", "2020-04-20",
      "年度纳税信用评价为A级的纳税人名单，用于守信联合激励。",
      "纳税信用 A级纳税人 守信激励",
      "纳税人识别号 纳税人名称=taxpayer_name:C:200 评价等级 评价日期",
      open="依据《纳税信用管理办法（试行）》向社会公开A级纳税人名单，开放平台无条件开放。"),
    R("major-tax-violation", "重大税收违法失信主体信息", "208002", "数据库/oracle", "U", "每月", "2020-04-20",
      "达到重大税收违法失信主体标准的案件当事人信息，用于联合惩戒。",
      "重大税收违法 失信主体 联合惩戒 黑名单",
      "纳税人识别号 纳税人名称=taxpayer_name:C:200 法定代表人姓名 违法事实 处罚依据 列入严重失信名单日期",
      open="依据《重大税收违法失信主体信息公布管理办法》公布期内开放，期满撤下。",
      related=["330782114/credit-reward-punishment-list"]),
    R("tax-declaration-detail", "纳税申报明细信息", "006", "数据库/oracle", "N", "每日", "2019-02-26",
      "纳税人各税种的申报表明细和缴款记录。",
      "纳税申报 税款缴纳 涉税保密",
      "纳税人识别号 税种=tax_type:C:3 所属期起=tax_period_from_date:D:8 所属期止=tax_period_to_date:D:8 "
      "应纳税额=tax_payable_amount:Y:18:2",
      cond=TAX_SECRET),
    R("individual-income-tax-record", "个人所得税纳税记录", "006", "数据库/oracle", "N", "每月", "2020-03-01",
      "自然人个人所得税扣缴和汇算清缴记录。",
      "个人所得税 完税证明 汇算清缴",
      "公民身份号码 姓名 扣缴义务人名称=withholding_agent_name:C:200 收入额=income_amount:Y:18:2 "
      "已缴税额=tax_paid_amount:Y:18:2",
      cond=TAX_SECRET + "个人可通过个人所得税App自行开具纳税记录。"),
    R("enterprise-tax-contribution", "规模以上企业税收贡献信息", "005", "电子表格/xlsx", "C", "每年", "2021-03-31",
      "规模以上工业企业和重点服务业企业年度税收实缴汇总，用于亩均效益综合评价。",
      "亩均论英雄 亩均税收 税收贡献",
      "统一社会信用代码 纳税人名称=taxpayer_name:C:200 统计年度 实缴税金=tax_paid_amount:Y:18:2",
      cond="依据浙江省工业企业亩均效益综合评价工作要求，仅向经信、发改部门提供企业年度实缴税金合计，"
           "用于亩均效益评价，不得对外公布单户数据。"),
    R("tax-penalty", "税务行政处罚信息", "002", "数据库/oracle", "U", "每日", "2019-09-30",
      "税务机关作出的行政处罚决定信息。",
      "税务处罚 行政处罚 双公示",
      PENALTY_ITEMS, open=OPEN_PENALTY,
      related=["330782114/dual-publicity"]),
    R("tax-arrears-notice", "欠税公告信息", "004", "电子文件/pdf", "U", "每季度", "2019-12-31",
      "依法定期公告的欠缴税款纳税人名单和欠税余额。",
      "欠税公告 欠缴税款",
      open="依据《中华人民共和国税收征收管理法》第四十五条定期公告，向社会开放。"),
    R("abnormal-taxpayer", "非正常户认定信息", "003", "数据库/oracle", "C", "每月", "2021-06-30",
      "经税务机关认定为非正常户的纳税人信息。",
      "非正常户 税务风险",
      "纳税人识别号 纳税人名称=taxpayer_name:C:200 法定代表人姓名 认定日期=determination_date:D:8",
      cond="向市场监管、人社部门提供，用于市场主体信用监管和企业注销核查，依据《税务登记管理办法》。"),

    R("invoice-detail", "发票开具明细信息", "006", "数据库/oracle", "N", "实时", "2025-01-06",
      "增值税发票（含全面数字化电子发票）开具明细。",
      "发票 数电票 增值税",
      "发票号码=invoice_number:C:20 纳税人识别号 开票日期=invoice_date:D:8 价税合计=total_amount:Y:18:2",
      cond=TAX_SECRET),
    R("tax-risk-indicators", "税收风险分析指标模型", "006", "电子文件/docx", "N", "不定期", "2025-07-15",
      "税收风险识别使用的指标体系、阈值和模型规则。",
      "税收风险 指标模型 风险识别",
      cond="属税务工作秘密，公开或共享将导致风险应对被规避；依据《中华人民共和国保守国家秘密法》和《税务工作秘密管理规定》不予共享。",
      method="介质交换/文件"),
]
