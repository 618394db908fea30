"""义乌市民政局 (330782105): social assistance, marriage, social organisations, place names."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE
from seed.specs._spec import R

DEPARTMENT = "330782105"
SLUG = "civil"

ASSIST_COND = ("依据《社会救助暂行办法》和《中华人民共和国个人信息保护法》第三十四条，仅向教育、医保、住建、"
               "人社等部门在救助对象认定、费用减免和待遇衔接职责范围内提供；公示信息以外的内容不得对外公开。")

RESOURCES = [
    R("subsistence-allowance", "最低生活保障对象信息", "203002", "数据库/mysql", "C", "每月", "2019-08-20",
      "城乡最低生活保障家庭及成员的认定和保障金发放信息。",
      "低保 社会救助 低保对象",
      "公民身份号码 姓名 户主姓名 与户主关系 救助对象类别 最低生活保障金额 发放月份 所属镇街",
      cond=ASSIST_COND,
      related=["330782112/medical-assistance", "330782110/student-aid"],
      api={"key": "公民身份号码", "filters": ["所属镇街"], "collection": "subsistence_recipients",
           "rate": 20}),
    R("extreme-poverty-support", "特困人员救助供养信息", "203002", "数据库/mysql", "C", "每月", "2019-08-20",
      "特困人员的认定、供养方式和供养金发放信息。",
      "特困人员 救助供养 五保",
      "公民身份号码 姓名 供养方式=support_method_type:C:2 补贴金额 发放月份 所属镇街",
      cond=ASSIST_COND),
    R("temporary-assistance", "临时救助信息", "203002", "电子表格/xlsx", "C", "每月", "2020-11-06",
      "遭遇突发事件、意外伤害或重大疾病导致生活困难家庭的临时救助信息。",
      "临时救助 急难救助",
      "公民身份号码 姓名 救助原因=assistance_reason_text:C:500 补贴金额 发放日期",
      cond=ASSIST_COND),
    R("marriage-registration", "婚姻登记信息", "101005", "数据库/oracle", "U", "每日", "2019-04-01",
      "结婚登记、离婚登记和补领婚姻登记证的信息。",
      "婚姻登记 结婚登记 离婚登记",
      "结婚证字号 公民身份号码 姓名 配偶姓名 配偶公民身份号码 结婚登记日期 登记类型=registration_type:C:2",
      api={"key": "公民身份号码", "collection": "marriages", "auth": "mtls", "rate": 20}),
    R("social-organization", "社会组织登记信息", "102005", "数据库/mysql", "U", "每月", "2019-04-01",
      "社会团体、民办非企业单位（社会服务机构）和基金会的登记信息。",
      "社会组织 社会团体 民办非企业",
      "统一社会信用代码 单位名称 法定代表人姓名 成立日期 业务主管单位=supervising_unit_name:C:200 住所 登记状态",
      open=OPEN_FREE),
    R("elderly-care-institution", "养老机构信息", "203003", "电子表格/xlsx", "U", "每季度", "2020-09-09",
      "全市养老机构的床位、服务类型和等级评定信息。",
      "养老机构 养老院 床位",
      "统一社会信用代码 单位名称 住所 床位数=bed_count:I:6 机构等级=institution_level:C:2 联系电话",
      open=OPEN_FREE),
    R("cremation", "火化信息", "004", "数据库/mysql", "C", "每日", "2020-02-18",
      "殡仪馆火化遗体的火化证明信息，用于养老金、低保等待遇及时停发。",
      "火化 殡葬 死亡核查",
      "公民身份号码 姓名 死亡日期 火化日期=cremation_date:D:8 火化证明编号=cremation_certificate_number:C:30",
      cond="仅向人社、医保、民政救助和公安户政部门用于待遇停发和户口注销，依据《殡葬管理条例》，按人核验。"),
    R("adoption-registration", "收养登记信息", "004", "数据库/mysql", "N", "不定期", "2020-02-18",
      "收养关系成立和解除登记的信息。",
      "收养登记 收养秘密",
      "公民身份号码 姓名 被收养人姓名=adoptee_name:C:50 收养登记日期=adoption_registration_date:D:8",
      cond="《中华人民共和国民法典》第一千一百一十条：收养人、送养人要求保守收养秘密的，其他人应当尊重其意愿，"
           "不得泄露；收养登记信息不予共享。"),
    R("place-names", "标准地名地址信息", "103005", "自描述格式/geojson", "U", "每月", "2021-07-15",
      "经批准命名的道路、街巷、住宅区和村（社区）标准地名及其空间位置。",
      "地名 标准地址 道路 住宅区",
      open=OPEN_FREE),
    R("community-organizations", "村（社区）组织信息", "210004", "电子表格/xlsx", "U", "每年", "2021-12-01",
      "全市村民委员会、居民委员会的组织和负责人信息。",
      "村委会 居委会 基层自治",
      "统一社会信用代码 单位名称 所属镇街 负责人姓名 联系电话",
      open=OPEN_FREE),

    R("home-care-subsidy", "居家养老服务补贴信息", "203003", "电子表格/xlsx", "C", "每月", "2026-03-16",
      "经济困难高龄、失能老年人居家养老服务补贴的认定和发放信息。",
      "居家养老 服务补贴 失能老人",
      "公民身份号码 姓名 补贴金额 发放月份 所属镇街",
      cond=ASSIST_COND),
]
