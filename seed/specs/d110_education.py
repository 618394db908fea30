"""义乌市教育局 (330782110): schools, students, teachers."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE, OPEN_PERMIT, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782110"
SLUG = "education"

RESOURCES = [
    R("school-base", "学校基本信息", "201001", "数据库/mysql", "U", "每年", "2019-09-01",
      "全市幼儿园、中小学、中职学校的办学类型、地址、规模和学区信息。",
      "学校 幼儿园 中小学 学区",
      "学校标识码 学校名称 统一社会信用代码 办学类型=school_type:C:3 住所 学生人数=student_count:I:6 联系电话 经度 纬度",
      open=OPEN_FREE,
      api={"key": "学校标识码", "filters": ["学校名称", "办学类型"], "collection": "schools", "auth": "apikey",
           "rate": 50}),
    R("student-status", "学生学籍信息", "004", "数据库/mysql", "C", "每半年", "2019-09-01",
      "中小学生学籍注册、转学、休学和毕业信息。",
      "学籍 学生 转学",
      "全国学籍号 公民身份号码 姓名 学校名称 入学日期 学籍状态=student_status:C:2",
      cond="依据《中小学生学籍管理办法》，仅向公安（户籍）、卫健（入学查验）、民政和人社（随迁子女积分入学）"
           "部门在法定职责范围内核验，不得用于商业目的。"),
    R("teacher-qualification", "教师资格认定信息", "001", "电子表格/xlsx", "C", "每半年", "2020-05-25",
      "教师资格认定和证书颁发信息。",
      "教师资格 资格认定",
      "教师资格证书号码=teacher_certificate_number:C:20 姓名 公民身份号码 资格种类=qualification_type:C:10 颁证日期",
      cond="用于教师招聘和民办学校审批中的资格核验，依据《教师资格条例》，申请部门按人核验。"),
    R("private-school-license", "民办学校办学许可信息", "001", "电子表格/xlsx", "U", "每年", "2020-05-25",
      "民办幼儿园、中小学和非学科类培训机构的办学许可证信息。",
      "民办学校 办学许可证 培训机构",
      PERMIT_ITEMS, open=OPEN_PERMIT),
    R("enrolment-application", "义务教育招生入学报名信息", "201001", "数据库/mysql", "C", "每年", "2021-06-01",
      "义务教育阶段新生入学报名、学区审核和录取结果。",
      "招生入学 学区 新生报名",
      "公民身份号码 姓名 学校名称 报名类别=application_type:C:2 审核状态",
      cond="用于入学资格核验，向公安（户籍）、不动产登记、人社（社保缴纳）部门反向核查时按人提供，"
           "依据《中华人民共和国个人信息保护法》第三十四条。"),
    R("student-aid", "家庭经济困难学生资助信息", "201001", "电子表格/xlsx", "C", "每半年", "2021-12-20",
      "学前教育至高中阶段家庭经济困难学生的资助认定和资金发放信息。",
      "学生资助 困难学生 助学金",
      "公民身份号码 姓名 学校名称 资助项目=aid_item_name:C:100 补贴金额 发放日期",
      cond="仅向民政、残联部门用于救助对象与资助对象比对，依据《学生资助资金管理办法》，比对结果不得公开。"),
    R("education-statistics", "教育事业统计信息", "005", "电子表格/xlsx", "U", "每年", "2020-12-30",
      "各级各类学校的学校数、班级数、在校生数和专任教师数汇总。",
      "教育统计 在校生 专任教师",
      "统计年度 办学类型=school_type:C:3 学校数=school_count:I:6 在校生数=enrolled_student_count:I:8 "
      "专任教师数=full_time_teacher_count:I:8",
      open=OPEN_FREE),

    R("student-mental-health", "学生心理健康测评信息", "004", "数据库/mysql", "N", "每年", "2025-11-10",
      "中小学生心理健康筛查测评结果和重点关注学生档案。",
      "心理健康 测评 学生",
      "全国学籍号 测评日期=assessment_date:D:8 关注等级=attention_level:C:1",
      cond="心理测评结果属敏感个人信息，且多涉及不满十四周岁的未成年人，依据《中华人民共和国个人信息保护法》第二十八条、"
           "第三十一条和《中华人民共和国未成年人保护法》不予共享。"),
]
