"""义乌市文化和广电旅游体育局 (330782121): venues, culture-market licences, tourism."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PENALTY, OPEN_PERMIT, PENALTY_ITEMS, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782121"
SLUG = "culture"

RESOURCES = [
    R("public-cultural-venues", "公共文化场馆信息", "201003", "自描述格式/json", "U", "每季度", "2020-05-18",
      "图书馆、文化馆、博物馆和农村文化礼堂的地址、开放时间和服务项目。",
      "文化场馆 图书馆 文化礼堂",
      open=OPEN_FREE),
    R("entertainment-license", "娱乐场所经营许可信息", "001", "电子表格/xlsx", "U", "每季度", "2019-12-16",
      "歌舞、游艺娱乐场所经营许可证信息。",
      "娱乐场所 KTV 经营许可",
      PERMIT_ITEMS + " 经营场所", open=OPEN_PERMIT),
    R("internet-cafe-license", "互联网上网服务营业场所许可信息", "001", "电子表格/xlsx", "U", "每季度", "2019-12-16",
      "网吧等互联网上网服务营业场所的经营许可信息。",
      "网吧 上网服务",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("scenic-spots", "A级旅游景区和旅行社信息", "201003", "电子表格/xlsx", "U", "每年", "2020-05-18",
      "A级旅游景区和旅行社名录。",
      "景区 旅行社 旅游",
      "单位名称 统一社会信用代码 等级=rating_level:C:2 住所 联系电话", open=OPEN_FREE),
    R("sports-venues", "公共体育场地设施信息", "201003", "自描述格式/geojson", "U", "每年", "2021-08-08",
      "体育场馆、百姓健身房和健身步道的位置与开放信息。",
      "体育场地 全民健身",
      open=OPEN_FREE),
    R("scenic-visitor-flow", "景区实时客流信息", "201003", "服务接口/rest", "U", "实时", "2023-09-29",
      "重点景区和场馆的实时在园人数和承载量预警。",
      "客流 承载量 预约",
      "景区名称=scenic_spot_name:C:100 在园人数=visitor_count:I:8 最大承载量=max_capacity_count:I:8 数据更新时间",
      open="经开放平台接口开放，需注册获取密钥。",
      api={"key": "景区名称", "collection": "visitor_flows", "auth": "apikey", "rate": 60, "per": "minute",
           "sla": 99.5}),
    R("culture-market-penalty", "文化市场行政处罚信息", "002", "电子表格/xlsx", "U", "每季度", "2020-05-18",
      "文化市场综合执法作出的行政处罚决定。",
      "文化市场 综合执法 行政处罚",
      PENALTY_ITEMS, open=OPEN_PENALTY),
    R("heritage-sites", "文物保护单位信息", "004", "图形图像/jpg", "U", "不定期", "2022-12-12",
      "各级文物保护单位的照片、保护范围图和简介。",
      "文物保护 文保单位",
      open="公开文物保护单位名称、照片和保护范围，经开放平台无条件开放。"),

    R("city-live-streams", "城市景观直播视频", "201003", "流媒体/m3u8", "U", "实时", "2026-10-01",
      "义乌江滨、国际商贸城等城市景观点位的直播视频流。",
      "直播 城市景观 视频",
      open="经开放平台以HLS直播流开放，可嵌入旅游宣传页面，须注明来源。"),
]
