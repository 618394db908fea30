"""义乌市财政局 (330782123): procurement, budgets, subsidies."""
from __future__ import annotations

from seed.specs._common import OPEN_PERMIT, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782123"
SLUG = "finance"

RESOURCES = [
    R("government-procurement", "政府采购项目信息", "004", "自描述格式/xml", "U", "每日", "2019-11-11",
      "政府采购意向、采购公告、中标成交结果和合同公告。",
      "政府采购 中标 采购公告",
      open="依据《中华人民共和国政府采购法》第十一条公开，开放平台无条件开放。"),
    R("budget-disclosure", "预决算公开信息", "004", "电子文件/pdf", "U", "每年", "2019-11-11",
      "市级一般公共预算、政府性基金预算和部门预决算公开文本。",
      "预算 决算 预决算公开",
      open="依据《中华人民共和国预算法》第十四条公开。"),
    R("subsidy-one-card", "惠民惠农财政补贴资金发放信息", "004", "数据库/oracle", "C", "每月", "2021-09-30",
      "通过“一卡通”发放的各类惠民惠农补贴资金明细。",
      "一卡通 惠民惠农 补贴发放",
      "公民身份号码 姓名 补贴项目=subsidy_item_name:C:100 补贴金额 发放日期 主管部门=competent_org_name:C:200",
      cond="依据《关于进一步加强惠民惠农财政补贴资金“一卡通”管理的指导意见》，向补贴主管部门和审计、纪检监察机关提供，"
           "其他部门仅可核验本部门负责的补贴项目。"),
    R("state-assets", "行政事业单位国有资产信息", "006", "数据库/oracle", "C", "每年", "2022-03-15",
      "行政事业单位房屋、土地、车辆等国有资产的配置和使用情况。",
      "国有资产 资产管理",
      "单位名称 资产编号=asset_number:C:30 资产类别=asset_type:C:4 资产原值=original_value_amount:Y:18:2 "
      "取得日期=acquisition_date:D:8",
      cond="仅向机关事务管理、审计部门在资产配置和审计监督职责范围内提供，依据《行政事业性国有资产管理条例》。"),
    R("bookkeeping-agencies", "代理记账机构信息", "001", "电子表格/xlsx", "U", "每季度", "2020-06-06",
      "取得代理记账许可的机构名录。",
      "代理记账 许可",
      PERMIT_ITEMS, open=OPEN_PERMIT),
]
