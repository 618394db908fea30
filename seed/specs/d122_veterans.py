"""义乌市退役军人事务局 (330782122): veterans, entitled groups, memorials."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE
from seed.specs._spec import R

DEPARTMENT = "330782122"
SLUG = "veterans"

VETERAN_COND = ("依据《中华人民共和国退役军人保障法》和《中华人民共和国个人信息保护法》第三十四条，仅向人社、医保、"
                "民政、教育部门用于优待政策落实，按人核验，不得批量导出。")

RESOURCES = [
    R("veterans-base", "退役军人基本信息", "004", "数据库/mysql", "C", "每月", "2020-08-01",
      "退役军人信息采集和悬挂光荣牌工作形成的基本信息。",
      "退役军人 信息采集 光荣牌",
      "公民身份号码 姓名 应征入伍日期=enlistment_date:D:8 退役日期=discharge_date:D:8 安置方式=placement_type:C:2 所属镇街",
      cond=VETERAN_COND),
    R("entitled-groups", "优抚对象信息", "004", "数据库/mysql", "C", "每月", "2020-08-01",
      "伤残军人、烈士遗属、在乡老复员军人等优抚对象及抚恤补助发放信息。",
      "优抚对象 抚恤 定期补助",
      "公民身份号码 姓名 优抚类别=entitled_group_type:C:2 补贴金额 发放月份", cond=VETERAN_COND),
    R("memorial-facilities", "烈士纪念设施信息", "004", "电子表格/xlsx", "U", "每年", "2021-04-05",
      "烈士陵园、纪念碑等烈士纪念设施的位置和保护级别。",
      "烈士纪念设施 红色教育",
      "设施名称=facility_name:C:100 保护级别=protection_level:C:1 住所 经度 纬度", open=OPEN_FREE),
    R("veteran-employment", "退役军人就业创业服务信息", "004", "电子表格/xlsx", "C", "每季度", "2022-05-20",
      "退役军人适应性培训、就业推荐和创业扶持信息。",
      "就业创业 适应性培训",
      "公民身份号码 姓名 服务类型=service_type:C:2 服务日期=service_date:D:8", cond=VETERAN_COND),
]
