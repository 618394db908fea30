"""义乌市水务局 (330782120): water permits, hydrology, rivers."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PERMIT, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782120"
SLUG = "water"

RESOURCES = [
    R("water-abstraction-permit", "取水许可信息", "001", "电子表格/xlsx", "U", "每季度", "2019-10-24",
      "取水许可证核发信息，含取水地点、水源类型和许可水量。",
      "取水许可 水资源",
      PERMIT_ITEMS + " 许可水量=permitted_water_quantity:N:14:2", open=OPEN_PERMIT),
    R("water-resources", "水资源基础信息", "103004", "数据库/mysql", "U", "每年", "2020-01-20",
      "水库、山塘、河道和地下水资源的基础信息和年度水资源公报数据。",
      "水资源 水库 山塘",
      "水利工程编码=water_project_code:C:20 水利工程名称=water_project_name:C:100 工程类型=project_type:C:2 "
      "总库容=total_storage_quantity:N:14:2 经度 纬度"),
    R("reservoir-rain-monitoring", "水库水位和雨量实时监测信息", "212004", "数据库/mysql", "U", "实时", "2021-06-15",
      "全市水库水位、河道水位和雨量站的实时监测数据，服务防汛防台。",
      "水位 雨量 防汛 实时监测",
      "测站编码=station_code:C:20 测站名称=station_name:C:100 监测时间 水位=water_level_value:N:8:2 "
      "时段雨量=rainfall_value:N:8:1",
      api={"key": "测站编码", "filters": ["监测时间"], "collection": "hydrology_readings", "rate": 50}),
    R("river-chief", "河长制河道信息", "211005", "自描述格式/geojson", "U", "每年", "2020-01-20",
      "河道的名称、长度、起止点和各级河长信息。",
      "河长制 河道 河长",
      open=OPEN_FREE),
    R("tap-water-quality", "城市供水水质信息", "211001", "电子表格/xlsx", "U", "每月", "2021-03-22",
      "城市供水厂出厂水和管网水的水质检测结果。",
      "供水水质 自来水",
      "监测点名称 检查日期 检测项目=test_item_name:C:100 检测值=test_value:N:12:4 检测结论=test_conclusion_text:C:200",
      open=OPEN_FREE),
    R("flood-risk-maps", "洪水风险图", "212004", "图形图像/png", "C", "不定期", "2022-04-01",
      "义乌江流域不同频率洪水的淹没范围和风险等级图。",
      "洪水风险图 淹没范围",
      cond="用于国土空间规划和防汛预案编制，仅向自然资源、应急管理、住建部门提供，依据《中华人民共和国防洪法》。"),
]
