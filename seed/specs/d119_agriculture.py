"""义乌市农业农村局 (330782119): agricultural permits, rural land, subsidies."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PERMIT, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782119"
SLUG = "agriculture"

RESOURCES = [
    R("pesticide-license", "农药经营许可信息", "001", "电子表格/xlsx", "U", "每季度", "2019-09-17",
      "农药经营许可证核发和延续信息。",
      "农药经营 许可证",
      PERMIT_ITEMS + " 经营场所", open=OPEN_PERMIT),
    R("veterinary-drug-license", "兽药经营许可信息", "001", "电子表格/xlsx", "U", "每季度", "2019-09-17",
      "兽药经营许可证核发信息。",
      "兽药经营 许可证",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("land-contract", "农村土地承包经营权信息", "004", "数据库/mysql", "C", "每年", "2020-04-14",
      "农村土地承包经营权确权登记和流转信息。",
      "土地承包 确权 流转",
      "承包合同编号=contract_number:C:30 承包方代表姓名=contractor_name:C:50 公民身份号码 地块编码=plot_code:C:19 "
      "承包面积=contracted_area:N:12:2 所属镇街",
      cond="依据《中华人民共和国农村土地承包法》，仅向自然资源、不动产登记、财政（补贴）部门在法定职责范围内提供。"),
    R("cooperatives-family-farms", "农民专业合作社和家庭农场名录", "004", "电子表格/xlsx", "U", "每年", "2020-04-14",
      "示范性农民专业合作社和家庭农场名录。",
      "合作社 家庭农场 新型经营主体",
      "统一社会信用代码 单位名称 主营产品=main_product_name:C:200 所属镇街", open=OPEN_FREE),
    R("animal-quarantine", "动物检疫证明信息", "204004", "数据库/mysql", "U", "实时", "2021-05-25",
      "动物及动物产品检疫合格证明的出具信息，用于肉品流通追溯。",
      "动物检疫 检疫证明 追溯",
      "检疫证明编号=quarantine_certificate_number:C:30 货主名称=owner_name:C:200 动物种类=animal_type:C:20 "
      "数量=animal_quantity:N:10:0 颁证日期",
      related=["330782116/meat-vegetable-traceability"]),
    R("agri-product-testing", "农产品质量安全检测信息", "204003", "电子表格/xlsx", "U", "每月", "2021-05-25",
      "蔬菜、水果、畜禽产品农药残留和兽药残留检测结果。",
      "农残检测 农产品质量",
      "样品名称=sample_name:C:100 抽样地点=sampling_location_address:C:200 检测项目=test_item_name:C:100 "
      "检测结论=test_conclusion_text:C:200 检查日期",
      open=OPEN_FREE),
    R("arable-land-subsidy", "耕地地力保护补贴发放信息", "004", "电子表格/xlsx", "C", "每年", "2022-07-19",
      "耕地地力保护补贴的补贴对象、面积和发放金额。",
      "耕地地力补贴 惠农补贴",
      "公民身份号码 姓名 补贴面积=subsidy_area:N:12:2 补贴金额 发放日期",
      cond="仅向财政部门（惠民惠农补贴“一卡通”）和审计机关核对，依据《财政部 农业农村部关于做好耕地地力保护补贴工作的通知》。"),
]
