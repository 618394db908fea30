"""义乌市统计局 (330782115): economic indicators, business register, survey data."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PENALTY, PENALTY_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782115"
SLUG = "statistics"

RESOURCES = [
    R("economic-indicators", "国民经济主要指标", "005", "电子表格/xlsx", "U", "每月", "2019-02-15",
      "地区生产总值、规上工业增加值、社会消费品零售总额、进出口等主要经济指标的月度数据。",
      "GDP 经济指标 统计月报",
      "统计月份 指标名称 指标值 计量单位 同比增长率=yoy_growth_rate:N:8:2",
      open=OPEN_FREE),
    R("statistical-yearbook", "义乌统计年鉴", "005", "电子文件/pdf", "U", "每年", "2019-10-30",
      "全面反映义乌市经济社会发展情况的年度统计资料。",
      "统计年鉴 年度数据",
      open=OPEN_FREE),
    R("business-register", "基本单位名录库信息", "005", "数据库/mysql", "C", "每季度", "2020-06-20",
      "统计调查使用的法人单位、产业活动单位基本单位名录。",
      "基本单位名录 一套表 统计调查",
      "统一社会信用代码 单位名称 国民经济行业代码 从业人数 单位规模=unit_scale_type:C:1 所属镇街",
      cond="依据《中华人民共和国统计法》第九条，名录库信息仅向政府有关部门在制定政策和行政管理中使用，"
           "不得用于统计以外的目的对单个单位采取行政措施。"),
    R("survey-raw-data", "统计调查原始资料", "006", "数据库/mysql", "N", "每月", "2020-06-20",
      "联网直报企业报送的统计报表原始数据。",
      "原始资料 联网直报",
      "统一社会信用代码 报表编号=report_form_code:C:20 报告期=report_period_code:C:6",
      cond="《中华人民共和国统计法》第二十五条：统计调查中获得的能够识别或者推断单个统计调查对象身份的资料，"
           "任何单位和个人不得对外提供、泄露，不得用于统计以外的目的。"),
    R("population-sample-survey", "人口抽样调查汇总资料", "101006", "电子表格/xlsx", "U", "不定期", "2021-05-28",
      "第七次全国人口普查和年度人口变动抽样调查的义乌汇总资料。",
      "人口普查 人口抽样 常住人口",
      "统计年度 所属镇街 常住人口数=resident_population_count:I:10 城镇化率=urbanization_rate:N:5:2",
      open=OPEN_FREE),
    R("statistics-penalty", "统计行政处罚信息", "002", "电子表格/xlsx", "U", "不定期", "2022-09-09",
      "统计造假、拒报迟报等统计违法行为的行政处罚决定。",
      "统计违法 行政处罚",
      PENALTY_ITEMS, open=OPEN_PENALTY),

    R("household-survey-records", "住户调查记账原始资料", "006", "电子表格/xlsx", "N", "每月", "2025-06-30",
      "城乡一体化住户收支调查样本户的记账原始资料。",
      "住户调查 记账 收支",
      "样本户编码=sample_household_code:C:20 记账月份=bookkeeping_month_code:C:6 收入额=income_amount:Y:18:2 "
      "支出额=expenditure_amount:Y:18:2",
      cond="《中华人民共和国统计法》第二十五条：能够识别或者推断单个统计调查对象身份的资料不得对外提供、泄露。"),
]
