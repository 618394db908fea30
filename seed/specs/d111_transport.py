"""义乌市交通运输局 (330782111): road-transport licences, public transport."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PENALTY, OPEN_PERMIT, PENALTY_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782111"
SLUG = "transport"

RESOURCES = [
    R("road-transport-license", "道路运输经营许可信息", "001", "数据库/mysql", "U", "每日", "2019-10-08",
      "道路旅客运输、货物运输和危险货物运输经营许可信息。",
      "道路运输 经营许可 货运 客运",
      "道路运输经营许可证号 行政相对人名称 统一社会信用代码 经营范围 颁证日期 证照有效期止 许可机关",
      open=OPEN_PERMIT,
      api={"key": "道路运输经营许可证号", "filters": ["统一社会信用代码"], "collection": "transport_licenses",
           "rate": 20}),
    R("operating-vehicles", "营运车辆道路运输证信息", "001", "数据库/mysql", "U", "每日", "2019-10-08",
      "营运客车、货车和出租汽车的道路运输证信息。",
      "道路运输证 营运车辆 出租车",
      "道路运输证号=road_transport_certificate_number:C:30 机动车号牌号码 道路运输经营许可证号 车辆类型=vehicle_type:C:3 "
      "颁证日期 证照有效期止",
      related=["330782102/motor-vehicle-registration"]),
    R("transport-practitioners", "道路运输从业人员资格信息", "001", "数据库/mysql", "C", "每月", "2020-07-07",
      "道路运输驾驶员、危险货物运输从业人员的从业资格证信息。",
      "从业资格证 驾驶员 危险货物",
      "从业资格证号=qualification_certificate_number:C:30 姓名 公民身份号码 从业资格类别=qualification_type:C:10 "
      "颁证日期 证照有效期止",
      cond="用于网约车、危险货物运输的资格核验，依据《道路运输从业人员管理规定》，仅向公安、应急部门按人提供。",
      related=["330782102/driver-licence"]),
    R("bus-routes", "公交线路和站点信息", "201004", "自描述格式/geojson", "U", "每月", "2020-09-22",
      "城市公交和城乡公交的线路走向、站点位置和首末班时间。",
      "公交线路 公交站点 出行",
      open=OPEN_FREE),
    R("bus-realtime", "公交车辆实时位置信息", "201004", "服务接口/rest", "U", "实时", "2023-04-18",
      "公交车辆GPS实时位置和预计到站时间，服务出行App和电子站牌。",
      "实时公交 到站预报 车辆位置",
      "线路编号=route_number:C:20 车辆编号=vehicle_number:C:20 经度 纬度 数据更新时间",
      open="经开放平台以接口方式开放，需注册获取密钥，单应用每分钟限600次调用。",
      api={"key": "线路编号", "collection": "bus_positions", "auth": "apikey", "rate": 600, "per": "minute",
           "sla": 99.5}),
    R("transport-penalty", "交通运输行政处罚信息", "002", "电子表格/xlsx", "U", "每月", "2020-07-07",
      "交通运输综合执法作出的行政处罚决定。",
      "交通执法 超限超载 行政处罚",
      PENALTY_ITEMS, open=OPEN_PENALTY),
    R("vehicle-repair-filing", "机动车维修经营备案信息", "001", "电子表格/csv", "U", "每季度", "2021-03-18",
      "机动车维修经营者备案信息，含维修类别和经营地址。",
      "机动车维修 备案 汽修",
      "统一社会信用代码 企业名称 维修类别=repair_type:C:10 经营场所 联系电话", open=OPEN_FREE),

    R("ride-hailing-drivers", "网络预约出租汽车驾驶员证信息", "001", "数据库/mysql", "C", "每日", "2026-08-24",
      "网约车驾驶员从业资格证和车辆运输证的核发信息。",
      "网约车 驾驶员证 从业资格",
      "从业资格证号=qualification_certificate_number:C:30 姓名 公民身份号码 机动车号牌号码 颁证日期",
      cond="用于网约车平台合规监管和公安背景核查，依据《网络预约出租汽车经营服务管理暂行办法》，仅向公安、税务部门提供。"),
]
