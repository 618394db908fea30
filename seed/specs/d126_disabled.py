"""义乌市残疾人联合会 (330782126): disability certificates, employment, assistive devices."""
from __future__ import annotations

from seed.specs._spec import R

DEPARTMENT = "330782126"
SLUG = "disabled"

DPF_COND = ("依据《中华人民共和国残疾人保障法》和《中华人民共和国个人信息保护法》第二十八条（敏感个人信息），"
            "仅向民政、人社、医保、教育部门用于残疾人两项补贴、就业和教育保障的资格核验，按人提供。")

RESOURCES = [
    R("disability-certificate", "残疾人证信息", "203004", "数据库/mysql", "C", "每日", "2019-12-03",
      "第二代残疾人证的办理、换领和注销信息，含残疾类别和等级。",
      "残疾人证 残疾等级 残疾类别",
      "残疾人证号 公民身份号码 姓名 残疾类别=disability_type:C:1 残疾等级 颁证日期 证照状态",
      cond=DPF_COND,
      related=["330782105/subsistence-allowance"],
      api={"key": "残疾人证号", "filters": ["公民身份号码"], "collection": "certificates", "auth": "mtls",
           "rate": 10}),
    R("disabled-employment", "残疾人就业信息", "203004", "电子表格/xlsx", "C", "每年", "2020-10-10",
      "残疾人就业状况和按比例安排残疾人就业单位信息。",
      "残疾人就业 按比例就业",
      "残疾人证号 姓名 单位名称 就业形式=employment_form_type:C:2", cond=DPF_COND),
    R("assistive-devices", "残疾人辅助器具适配信息", "004", "电子表格/xlsx", "C", "每季度", "2022-11-22",
      "残疾人基本型辅助器具适配和补贴发放信息。",
      "辅助器具 适配 补贴",
      "残疾人证号 姓名 辅助器具名称=device_name:C:100 补贴金额 发放日期", cond=DPF_COND),
    R("rehabilitation-institutions", "残疾人康复机构信息", "203004", "电子表格/xlsx", "U", "每年", "2023-02-14",
      "定点残疾儿童康复机构和残疾人托养机构名录。",
      "康复机构 托养 残疾儿童",
      "统一社会信用代码 单位名称 服务类型=service_type:C:2 住所 联系电话",
      open="经开放平台无条件开放，便于残疾人家庭选择定点机构。"),
]
