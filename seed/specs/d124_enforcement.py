"""义乌市综合行政执法局 (330782124): urban management permits and enforcement."""
from __future__ import annotations

from seed.specs._common import OPEN_PENALTY, OPEN_PERMIT, PENALTY_ITEMS, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782124"
SLUG = "enforcement"

RESOURCES = [
    R("enforcement-penalty", "综合行政执法处罚信息", "002", "数据库/mysql", "U", "每日", "2019-12-27",
      "综合行政执法部门在市容环卫、城乡规划、生态环境等领域作出的行政处罚决定。",
      "综合执法 城管 行政处罚",
      PENALTY_ITEMS, open=OPEN_PENALTY,
      api={"key": "处罚决定书文号", "filters": ["统一社会信用代码"], "collection": "penalties", "rate": 20}),
    R("outdoor-advertising-permit", "户外广告设施设置许可信息", "001", "电子表格/xlsx", "U", "每月", "2020-02-20",
      "大型户外广告设施和招牌设置许可信息。",
      "户外广告 招牌 许可",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("road-excavation-permit", "城市道路挖掘许可信息", "001", "电子表格/xlsx", "U", "每周", "2020-02-20",
      "城市道路挖掘和临时占用许可信息。",
      "道路挖掘 占道 许可",
      PERMIT_ITEMS + " 建设地点=construction_site_address:C:200", open=OPEN_PERMIT),
    R("construction-waste-approval", "建筑垃圾处置核准信息", "001", "电子表格/xlsx", "U", "每月", "2021-04-12",
      "建筑垃圾（渣土）处置核准的工程、运输单位和消纳场所。",
      "建筑垃圾 渣土 处置核准",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("digital-city-cases", "数字城管案件信息", "210001", "数据库/mysql", "C", "实时", "2021-04-12",
      "数字城管监督员采集和群众上报的城市管理问题案件及处置结果。",
      "数字城管 城市管理 网格",
      "案件编号=case_number:C:30 问题类型=problem_type:C:4 网格编码 经度 纬度 处置状态=handling_status:C:2 办结日期",
      cond="向镇街和住建、交通等处置部门提供与其职责相关的案件，依据《城市管理执法办法》，不得对外公开现场照片。"),
    R("muck-truck-gps", "渣土运输车辆实时定位信息", "003", "数据库/mysql", "C", "实时", "2022-08-15",
      "核准渣土运输车辆的GPS实时定位和轨迹。",
      "渣土车 GPS 轨迹",
      "机动车号牌号码 经度 纬度 定位时间=positioning_datetime:T:14 行驶速度=speed_value:N:6:1",
      cond="仅向公安交管、交通运输部门在联合执法中使用，依据《城市建筑垃圾管理规定》，轨迹数据保存不超过六个月。",
      api={"key": "机动车号牌号码", "collection": "truck_positions", "rate": 10}),
]
