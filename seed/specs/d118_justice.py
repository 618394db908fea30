"""义乌市司法局 (330782118): lawyers, mediation, community correction, legal aid."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE
from seed.specs._spec import R

DEPARTMENT = "330782118"
SLUG = "justice"

RESOURCES = [
    R("law-firms-lawyers", "律师事务所及律师执业信息", "001", "电子表格/xlsx", "U", "每季度", "2019-12-03",
      "本市律师事务所的执业许可和执业律师名录。",
      "律师 律师事务所 执业证",
      "律师事务所名称=law_firm_name:C:200 统一社会信用代码 律师姓名=lawyer_name:C:50 "
      "律师执业证号=lawyer_license_number:C:20 执业状态=practice_status:C:2",
      open=OPEN_FREE),
    R("people-mediation", "人民调解案件信息", "212005", "数据库/mysql", "C", "每日", "2021-02-08",
      "各级人民调解委员会受理和调解的矛盾纠纷案件。",
      "人民调解 矛盾纠纷 调解协议",
      "案件编号=case_number:C:30 纠纷类型=dispute_type:C:10 所属镇街 调解结果=mediation_result_type:C:2 办结日期",
      cond="依据《中华人民共和国人民调解法》第十五条（当事人隐私保护），仅向法院（诉调对接）和综治中心提供案件要素，"
           "不含当事人身份信息。"),
    R("community-correction", "社区矫正对象信息", "006", "数据库/mysql", "N", "每日", "2020-07-01",
      "社区矫正对象的入矫、监管和解矫信息。",
      "社区矫正 监管",
      "公民身份号码 姓名 矫正类别=correction_type:C:2 入矫宣告日期=correction_start_date:D:8 解除矫正日期=correction_end_date:D:8",
      cond="《中华人民共和国社区矫正法》第四条：社区矫正对象依法享有的人身权利和其他权利不受侵犯，在就业、就学和"
           "享受社会保障等方面不受歧视；其身份信息不予共享，公安机关按执法协作程序另行通报。"),
    R("legal-aid-cases", "法律援助案件信息", "004", "数据库/mysql", "N", "每月", "2022-01-01",
      "法律援助申请、指派和结案信息。",
      "法律援助 受援人",
      "案件编号=case_number:C:30 申请人姓名=applicant_name:C:50 援助案件类型=aid_case_type:C:2 办结日期",
      cond="《中华人民共和国法律援助法》第二十一条：法律援助机构、律师事务所等对提供法律援助过程中知悉的国家秘密、"
           "商业秘密和个人隐私应当予以保密。"),
    R("notaries", "公证机构和公证员信息", "004", "电子表格/xlsx", "U", "每年", "2020-07-01",
      "公证处和执业公证员名录。",
      "公证 公证员",
      "公证机构名称=notary_office_name:C:200 公证员姓名=notary_name:C:50 执业证号=practice_certificate_number:C:20",
      open=OPEN_FREE),
    R("normative-documents", "行政规范性文件备案信息", "006", "电子文件/ofd", "U", "不定期", "2021-02-08",
      "市政府及部门制发的行政规范性文件及备案审查结果。",
      "规范性文件 备案审查",
      open="依据《中华人民共和国政府信息公开条例》主动公开，开放平台无条件开放。"),
]
