"""义乌市住房和城乡建设局 (330782109): construction permits, real-estate market, housing security."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PERMIT, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782109"
SLUG = "housing"

RESOURCES = [
    R("construction-permit", "建筑工程施工许可信息", "209001", "数据库/mysql", "U", "每日", "2019-07-12",
      "房屋建筑和市政基础设施工程施工许可证核发信息。",
      "施工许可 工程建设 建设项目",
      "施工许可证编号 投资项目代码 项目名称 建设单位名称 统一社会信用代码 施工总承包单位名称=contractor_name:C:200 "
      "合同价格=contract_price_amount:Y:18:2 建筑面积 颁证日期",
      open=OPEN_PERMIT,
      api={"key": "施工许可证编号", "filters": ["投资项目代码", "建设单位名称"], "collection": "construction_permits",
           "rate": 20}),
    R("presale-permit", "商品房预售许可信息", "209002", "电子表格/xlsx", "U", "每周", "2019-07-12",
      "商品房预售许可证的项目、楼幢、套数和面积。",
      "商品房预售 预售许可证 房地产",
      "许可证编号 项目名称 行政相对人名称 坐落 预售套数=presale_unit_count:I:6 建筑面积 颁证日期",
      open=OPEN_PERMIT),
    R("housing-contract-filing", "商品房买卖合同网签备案信息", "209002", "数据库/mysql", "C", "实时", "2020-10-10",
      "新建商品房和存量房买卖合同网签备案信息。",
      "网签备案 房屋交易 购房合同",
      "合同备案号=contract_filing_number:C:30 不动产单元号 坐落 买受人姓名=buyer_name:C:200 证件号码 "
      "成交价格=transaction_price_amount:Y:18:2 备案日期=filing_date:D:8",
      cond="依据《城市房地产管理法》和个人信息保护要求，仅向税务（契税征收）、自然资源（不动产登记）、公积金"
           "（贷款审核）部门在业务办理中按件核验。",
      related=["330782107/real-estate-registration"]),
    R("construction-enterprise-qualification", "建筑业企业资质信息", "001", "电子表格/xlsx", "U", "每月", "2020-04-04",
      "本市核发的建筑业企业施工总承包、专业承包资质信息。",
      "建筑业资质 施工资质",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("public-rental-housing", "公共租赁住房保障对象信息", "203005", "数据库/mysql", "C", "每月", "2021-01-28",
      "公共租赁住房申请、审核、配租和租金补贴信息。",
      "公租房 住房保障 租金补贴",
      "公民身份号码 姓名 家庭人数=family_member_count:I:2 保障方式=security_method_type:C:2 补贴金额 审核状态",
      cond="用于住房保障资格审核和动态管理，依据《公共租赁住房管理办法》，仅向民政、不动产登记、公积金部门核对。"),
    R("gas-business-license", "燃气经营许可信息", "207002", "电子表格/xlsx", "U", "每年", "2021-06-16",
      "管道燃气和瓶装燃气经营企业的燃气经营许可证信息。",
      "燃气经营 瓶装燃气 管道燃气",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("completion-acceptance", "建设工程竣工验收备案信息", "209001", "电子表格/xlsx", "U", "每月", "2020-04-04",
      "建设工程竣工验收备案信息。",
      "竣工验收 备案",
      "投资项目代码 项目名称 建设单位名称 备案编号=filing_number:C:30 备案日期=filing_date:D:8",
      open=OPEN_FREE),
    R("property-service-companies", "物业服务企业信息", "004", "电子表格/csv", "U", "每季度", "2022-08-08",
      "在义乌市从事物业服务的企业及其服务项目。",
      "物业服务 物业公司",
      "统一社会信用代码 企业名称 物业服务项目名称=service_project_name:C:200 联系电话",
      open=OPEN_FREE),

    R("rental-contract-filing", "住房租赁合同备案信息", "209002", "数据库/mysql", "C", "每日", "2026-06-08",
      "住房租赁合同网签备案信息，用于租房提取公积金和居住登记。",
      "租赁备案 住房租赁",
      "合同备案号=contract_filing_number:C:30 坐落 承租人姓名=tenant_name:C:50 证件号码 月租金=monthly_rent_amount:Y:18:2 备案日期=filing_date:D:8",
      cond="仅向公安（居住登记）、公积金（租房提取）和税务部门按件核验，依据《商品房屋租赁管理办法》。"),
]
