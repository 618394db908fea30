"""义乌市商务局 (330782116): foreign trade, market procurement, traceability."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE
from seed.specs._spec import R

DEPARTMENT = "330782116"
SLUG = "commerce"

RESOURCES = [
    R("foreign-trade-filing", "对外贸易经营者备案信息", "001", "数据库/mysql", "U", "每日", "2019-08-26",
      "对外贸易经营者备案登记信息（2022年起备案取消后的存量数据及进出口收发货人信息）。",
      "外贸 对外贸易经营者 备案",
      "统一社会信用代码 企业名称 备案登记表编号=filing_form_number:C:20 备案日期=filing_date:D:8 住所",
      open=OPEN_FREE,
      api={"key": "统一社会信用代码", "collection": "trade_operators", "rate": 20}),
    R("market-procurement-filing", "市场采购贸易经营户备案信息", "001", "数据库/mysql", "C", "每日", "2019-08-26",
      "市场采购贸易方式下的市场经营户、采购商和组货人备案信息，义乌国际贸易综合改革试点的基础数据。",
      "市场采购贸易 组货人 经营户 国际贸易综合改革",
      "统一社会信用代码 经营户名称=stall_operator_name:C:200 姓名 公民身份号码 商位号=stall_number:C:30 "
      "备案日期=filing_date:D:8",
      cond="用于市场采购贸易联网信息平台数据比对和出口监管，向市场监管、税务、海关派驻机构提供，"
           "依据《市场采购贸易方式监管办法》。",
      related=["330782101/individual-business-registration"]),
    R("trade-statistics", "进出口贸易统计信息", "005", "电子表格/xlsx", "C", "每月", "2020-03-16",
      "按国别地区、商品类别和贸易方式汇总的月度进出口数据。",
      "进出口 外贸统计 国别",
      "统计月份 贸易方式=trade_mode_type:C:4 国别地区名称=country_region_name:C:100 出口额=export_amount:Y:18:2 "
      "进口额=import_amount:Y:18:2",
      cond="海关统计数据按《中华人民共和国海关统计条例》使用，仅向政府部门用于经济运行分析，不得对外公布未发布数据。"),
    R("foreign-investment", "外商投资企业信息", "004", "电子表格/xlsx", "C", "每季度", "2020-03-16",
      "外商投资企业设立和变更报告信息。",
      "外商投资 外资企业",
      "统一社会信用代码 企业名称 投资者国别=investor_country_name:C:100 合同外资额=contracted_foreign_capital_amount:Y:18:2",
      cond="外资金额涉及企业商业信息，仅向发改、统计、市场监管部门用于外资统计和信息报告核查，依据《中华人民共和国外商投资法》。"),
    R("prepaid-card-filing", "单用途预付卡发卡企业备案信息", "001", "电子表格/xlsx", "U", "每季度", "2021-10-18",
      "发行单用途商业预付卡的企业备案信息。",
      "预付卡 单用途卡 备案",
      "统一社会信用代码 企业名称 备案编号=filing_number:C:30 备案日期=filing_date:D:8", open=OPEN_FREE),
    R("meat-vegetable-traceability", "肉菜流通追溯信息", "204004", "数据库/mysql", "U", "实时", "2021-10-18",
      "农贸市场和超市肉类、蔬菜进货来源和批次追溯信息。",
      "追溯 肉菜 农贸市场",
      "追溯码=traceability_code:C:40 商品名称=commodity_name:C:100 供货商名称=supplier_name:C:200 "
      "进货日期=purchase_date:D:8 经营场所"),
]
