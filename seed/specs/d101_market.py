"""义乌市市场监督管理局 (330782101): market-entity registration, licences, supervision."""
from __future__ import annotations

from seed.specs._common import OPEN_PENALTY, OPEN_PERMIT, PENALTY_ITEMS, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782101"
SLUG = "market"

REGISTRATION_ITEMS = """统一社会信用代码 企业名称 企业类型 法定代表人姓名 登记机关 成立日期 注册资本 经营范围 住所
    营业期限自 营业期限至 核准日期 登记状态 国民经济行业代码 联系电话"""

RESOURCES = [
    R("legal-entity-base", "法人基础信息", "102001", "数据库/oracle", "U", "实时", "2019-06-18",
      "义乌市各类企业、个体工商户和农民专业合作社的基础登记信息，是全市法人综合库的权威来源，"
      "供各部门核验市场主体身份、状态和住所。",
      "法人库 市场主体 统一社会信用代码 基础信息",
      "统一社会信用代码 企业名称 企业类型 法定代表人姓名 成立日期 登记状态 住所 登记机关 数据更新时间",
      api={"key": "统一社会信用代码", "filters": ["企业名称", "登记状态"], "collection": "legal_entities",
           "rate": 200}),
    R("enterprise-establishment-registration", "企业设立登记信息", "001", "数据库/oracle", "C", "实时",
      "2019-05-10",
      "企业设立登记的核准信息，含名称、类型、法定代表人、注册资本、经营范围和住所。多证合一后，税务、公安"
      "等部门据此办理后续登记，不再要求申请人重复提交材料。",
      "企业登记 设立登记 多证合一 营业执照 联合登记",
      REGISTRATION_ITEMS + " 公民身份号码 从业人数",
      cond="依据《中华人民共和国市场主体登记管理条例》和《政务信息资源共享管理暂行办法》，仅向办理税务登记、"
           "印章备案、社保登记等法定职责的部门提供；不得用于其他目的，不得向第三方转提供；含法定代表人公民身份号码，"
           "使用方须落实《中华人民共和国个人信息保护法》第三十四条的最小必要要求。",
      related=["legal-entity-base", "usci-assignment", "330782102/seal-engraving-filing",
               "330782103/taxpayer-registration"],
      api={"key": "统一社会信用代码", "filters": ["企业名称", "成立日期", "登记机关"],
           "collection": "enterprises", "rate": 100, "sla": 99.9}),
    R("usci-assignment", "统一社会信用代码赋码信息", "001", "数据库/oracle", "U", "实时", "2019-05-10",
      "新设市场主体统一社会信用代码的赋码、校验和发布信息。原由质量技术监督部门核发的组织机构代码已并入"
      "统一社会信用代码，其第九至十七位即主体标识码。",
      "统一社会信用代码 赋码 组织机构代码 质监",
      "统一社会信用代码 组织机构代码 企业名称 登记机关 核准日期 登记状态",
      related=["enterprise-establishment-registration", "organization-code-legacy"],
      api={"key": "统一社会信用代码", "filters": ["组织机构代码"], "collection": "credit_codes", "rate": 300}),
    R("organization-code-legacy", "原组织机构代码证存量信息", "006", "电子表格/xlsx", "U", "不定期", "2019-03-20",
      "原义乌市质量技术监督局核发的组织机构代码证存量数据（截至2015年底），用于历史证照与统一社会信用代码的对照。",
      "组织机构代码 质监 存量数据 代码对照",
      "组织机构代码 单位名称 统一社会信用代码 颁证日期 证照有效期止 住所"),
    R("enterprise-change-registration", "企业变更登记信息", "102002", "数据库/oracle", "U", "每日", "2019-06-18",
      "企业名称、住所、法定代表人、注册资本、经营范围等登记事项的变更记录。",
      "变更登记 市场主体 登记事项",
      "统一社会信用代码 企业名称 变更事项 变更前内容=content_before_change_text:C:2000 "
      "变更后内容=content_after_change_text:C:2000 变更日期 登记机关",
      related=["legal-entity-base"]),
    R("enterprise-deregistration", "企业注销和吊销信息", "102003", "数据库/oracle", "U", "每日", "2019-06-18",
      "企业简易注销、一般注销和吊销营业执照的信息，供税务、人社、公积金等部门同步终止相关业务。",
      "注销登记 吊销 简易注销",
      "统一社会信用代码 企业名称 登记状态 注销日期 吊销日期 注销原因=deregistration_reason_text:C:500 登记机关",
      related=["legal-entity-base"]),
    R("shareholder-contribution", "企业股东及出资信息", "102004", "数据库/oracle", "U", "每日", "2020-04-08",
      "公司股东（发起人）名称、认缴和实缴出资额及出资方式。",
      "股东 出资 认缴 实缴",
      "统一社会信用代码 企业名称 股东名称 认缴出资额 实缴资本 出资方式=contribution_method_type:C:20 "
      "认缴出资日期=subscription_date:D:8",
      related=["legal-entity-base"]),
    R("individual-business-registration", "个体工商户登记信息", "001", "数据库/oracle", "C", "每日", "2019-08-15",
      "义乌市个体工商户（含市场经营户）的登记信息，含经营者身份信息和经营场所。",
      "个体工商户 市场经营户 经营者",
      "统一社会信用代码 个体工商户名称=individual_business_name:C:200 姓名 公民身份号码 经营场所 经营范围 "
      "成立日期 登记状态 所属镇街",
      cond="经营者为自然人，依据《中华人民共和国个人信息保护法》第三十四条，仅向履行市场管理、税收征管、"
           "社会保险法定职责的部门提供，申请时须说明用途；经营者公民身份号码按需脱敏。"),
    R("electronic-business-license", "电子营业执照信息", "105002", "数据库/oracle", "U", "实时", "2021-03-01",
      "市场主体电子营业执照的签发、下载和状态信息，可在政务服务中替代纸质营业执照。",
      "电子营业执照 电子证照 亮照",
      "电子证照标识 统一社会信用代码 企业名称 证照类型代码 颁证机构 颁证日期 证照状态",
      related=["legal-entity-base", "330782117/electronic-license-base"],
      api={"key": "统一社会信用代码", "collection": "business_licenses", "rate": 100}),
    R("annual-report", "企业年度报告信息", "004", "数据库/oracle", "U", "每年", "2020-07-01",
      "企业通过国家企业信用信息公示系统报送的年度报告，含从业人数、资产状况和对外投资等。",
      "年报 企业信用信息公示 年度报告",
      "统一社会信用代码 企业名称 年报年度=report_year:C:4 从业人数 资产总额=total_assets_amount:Y:18:2 "
      "营业总收入=total_revenue_amount:Y:18:2 联系电话",
      open="依据《企业信息公示暂行条例》第九条公示的年度报告内容开放；企业选择不公示的资产、收入等信息不开放。"),
    R("abnormal-operation-list", "经营异常名录信息", "208002", "数据库/oracle", "U", "每日", "2019-09-12",
      "因未按期年报、通过登记住所无法联系等原因列入或移出经营异常名录的市场主体信息。",
      "经营异常名录 信用监管 失信",
      "统一社会信用代码 企业名称 列入原因=inclusion_reason_text:C:500 列入严重失信名单日期 "
      "移出原因=removal_reason_text:C:500 信用修复日期 处罚机关",
      open="依据《企业信息公示暂行条例》第十七条公示，经开放平台无条件开放；移出名录后仅保留历史记录。",
      related=["330782114/credit-reward-punishment-list"]),
    R("food-business-license", "食品经营许可信息", "204001", "数据库/oracle", "U", "每日", "2019-04-22",
      "食品销售、餐饮服务经营者的食品经营许可证核发、变更、延续和注销信息。",
      "食品经营许可 餐饮 食品销售 许可证",
      "食品经营许可证编号 行政相对人名称 统一社会信用代码 法定代表人姓名 经营场所 "
      "主体业态=business_format_type:C:50 经营范围 颁证日期 证照有效期止 颁证机构",
      open=OPEN_PERMIT,
      api={"key": "食品经营许可证编号", "filters": ["统一社会信用代码", "行政相对人名称"],
           "collection": "food_business_licenses", "rate": 50}),
    R("food-production-license", "食品生产许可信息", "204001", "数据库/oracle", "U", "每月", "2019-04-22",
      "食品、食品添加剂生产企业的生产许可信息，含食品类别和生产地址。",
      "食品生产许可 SC 食品添加剂",
      "许可证编号 行政相对人名称 统一社会信用代码 生产地址=production_address:C:200 "
      "食品类别=food_category_name:C:200 颁证日期 证照有效期止 颁证机构",
      open=OPEN_PERMIT),
    R("food-sampling-inspection", "食品安全监督抽检信息", "204003", "电子表格/xlsx", "U", "每月", "2020-02-14",
      "市场监管部门组织的食品安全监督抽检结果，含被抽样单位、样品名称、检验结论和不合格项目。",
      "食品抽检 不合格 检验结论",
      "抽样编号=sampling_number:C:30 被抽样单位名称=sampled_unit_name:C:200 样品名称=sample_name:C:100 "
      "生产日期=production_date:D:8 检验结论=test_conclusion_text:C:200 不合格项目=failed_item_text:C:500 "
      "检验机构名称=testing_institution_name:C:200",
      open="抽检结果依据《中华人民共和国食品安全法》第一百一十八条公布，开放平台无条件开放。"),
    R("drug-retail-license", "药品经营许可信息", "204002", "数据库/oracle", "U", "每月", "2019-11-05",
      "药品零售企业（连锁门店、单体药店）药品经营许可证信息。",
      "药品经营许可 药店 零售药店",
      PERMIT_ITEMS + " 经营场所",
      open=OPEN_PERMIT),
    R("special-equipment-registration", "特种设备使用登记信息", "003", "数据库/mysql", "C", "每日", "2021-05-20",
      "电梯、锅炉、压力容器、起重机械等特种设备的使用登记、定期检验和使用单位信息。",
      "特种设备 电梯 使用登记 定期检验",
      "使用登记证编号=use_registration_number:C:30 设备类别=equipment_type:C:20 "
      "设备代码=equipment_code:C:30 单位名称 统一社会信用代码 "
      "设备使用地点=equipment_location_address:C:200 下次检验日期=next_inspection_date:D:8",
      cond="用于安全生产监管、应急处置和电梯应急救援，依据《中华人民共和国特种设备安全法》第三十三条；"
           "申请部门须说明监管事项，不得对外提供。"),
    R("market-penalty", "市场监管行政处罚信息", "002", "数据库/oracle", "U", "每日", "2019-07-30",
      "市场监管部门作出的行政处罚决定，涵盖无照经营、食品安全、产品质量、商标侵权、价格违法等。",
      "行政处罚 市场监管 双公示",
      PENALTY_ITEMS, open=OPEN_PENALTY,
      related=["330782114/dual-publicity"]),
    R("consumer-complaint", "12315投诉举报信息", "004", "数据库/mysql", "C", "每日", "2022-03-15",
      "消费者通过12315平台提交的投诉、举报及处理结果，用于消费维权和信用监管。",
      "12315 消费投诉 举报 消费维权",
      "投诉编号=complaint_number:C:30 被投诉主体名称=respondent_name:C:200 统一社会信用代码 "
      "投诉内容=complaint_content_text:M:2000 处理结果=handling_result_text:C:1000 申请日期 办结日期",
      cond="不含投诉人、举报人身份信息；仅用于市场监管、商务等部门的信用监管与行业分析，依据《市场监督管理投诉举报处理暂行办法》"
           "对举报人信息保密，使用方不得反查投诉人。"),
    R("registration-file-images", "企业登记档案影像", "006", "图形图像/jpg", "C", "每日", "2020-10-09",
      "企业设立、变更、注销登记申请材料的扫描影像，包括章程、股东会决议和身份证明复印件。",
      "登记档案 影像 章程 档案查询",
      cond="依据《市场主体登记管理条例》及登记档案查询规定，公安、法院、检察院、税务等部门因办案或执法需要，"
           "凭单位函件按户申请调阅，不批量提供。",
      related=["enterprise-establishment-registration"]),
]
