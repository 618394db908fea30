"""义乌市卫生健康局 (330782106): medical institutions, practitioners, health records."""
from __future__ import annotations

from seed.specs._common import OPEN_PENALTY, OPEN_PERMIT, PENALTY_ITEMS, PERMIT_ITEMS
from seed.specs._spec import R

DEPARTMENT = "330782106"
SLUG = "health"

HEALTH_BASIS = ("《中华人民共和国基本医疗卫生与健康促进法》第九十二条：国家保护公民个人健康信息，任何组织或者个人"
                "不得非法提供或者公开公民个人健康信息；健康信息属《中华人民共和国个人信息保护法》第二十八条规定的敏感个人信息。")

RESOURCES = [
    R("medical-institution-registration", "医疗机构执业登记信息", "202001", "数据库/mysql", "U", "每月", "2019-06-06",
      "全市医院、社区卫生服务中心、诊所等医疗机构的执业登记和校验信息。",
      "医疗机构 执业登记 医院 诊所",
      "医疗机构执业许可证登记号 医疗机构名称 统一社会信用代码 法定代表人姓名 住所 诊疗科目=clinical_subject_text:C:1000 "
      "床位数=bed_count:I:6 颁证日期 证照有效期止",
      open=OPEN_PERMIT,
      related=["330782112/designated-institutions"],
      api={"key": "医疗机构执业许可证登记号", "filters": ["医疗机构名称"], "collection": "medical_institutions",
           "rate": 20}),
    R("physician-registration", "医师执业注册信息", "202002", "数据库/mysql", "U", "每月", "2019-06-06",
      "执业医师、执业助理医师的注册、变更和多机构执业备案信息。",
      "医师 执业注册 多点执业",
      "医师执业证书编码 执业医师姓名 医师执业类别 执业范围 医疗机构名称 颁证日期",
      open="公开医师姓名、执业类别、执业范围和执业机构，经开放平台无条件开放，不含身份证件号码。"),
    R("nurse-registration", "护士执业注册信息", "202002", "电子表格/xlsx", "C", "每季度", "2020-06-06",
      "护士执业注册和变更信息。",
      "护士 执业注册",
      "护士执业证书编号=nurse_certificate_number:C:30 姓名 医疗机构名称 颁证日期 证照有效期止",
      cond="用于医疗机构校验和医保医师（护士）备案核验，依据《护士条例》，仅向医保部门提供。"),
    R("birth-certificate", "出生医学证明信息", "101004", "数据库/mysql", "U", "每日", "2019-06-06",
      "医疗机构签发的出生医学证明信息，是新生儿户口登记和医保参保的依据。",
      "出生医学证明 新生儿 出生登记",
      "出生医学证明编号 新生儿姓名=newborn_name:C:50 性别 出生日期 母亲姓名=mother_name:C:50 "
      "母亲身份证件号码=mother_id_document_number:C:18 医疗机构名称",
      related=["330782102/population-base"],
      api={"key": "出生医学证明编号", "collection": "birth_certificates", "auth": "mtls", "rate": 20}),
    R("health-record", "居民电子健康档案", "202003", "数据库/oracle", "N", "实时", "2020-12-01",
      "居民基本信息、既往病史、体检和慢病随访记录组成的电子健康档案。",
      "健康档案 慢病管理",
      "公民身份号码 姓名 既往病史=medical_history_text:M:4000 建档日期=filing_date:D:8",
      cond=HEALTH_BASIS + "居民本人可通过“浙里办”查询本人档案。"),
    R("inpatient-case-summary", "住院病案首页信息", "202001", "数据库/oracle", "N", "每日", "2020-12-01",
      "医疗机构上报的住院病案首页，含诊断、手术和费用。",
      "病案首页 住院 诊断",
      "病案号=medical_record_number:C:30 公民身份号码 出院诊断=discharge_diagnosis_text:C:500 医疗费用总额",
      cond=HEALTH_BASIS + "另依《医疗机构病历管理规定》，病历不得擅自查阅。"),
    R("notifiable-disease-report", "法定传染病报告信息", "202004", "数据库/oracle", "N", "实时", "2020-02-01",
      "医疗机构网络直报的法定传染病个案报告。",
      "传染病 网络直报 疾病预防控制",
      "报告卡编号=report_card_number:C:30 疾病名称=disease_name:C:100 诊断日期=diagnosis_date:D:8",
      cond="《中华人民共和国传染病防治法》第十二条：疾病预防控制机构、医疗机构不得泄露涉及个人隐私的有关信息、资料；"
           "疫情信息由卫生健康部门依法统一发布。"),
    R("hiv-follow-up", "艾滋病病毒感染者随访管理信息", "202004", "数据库/oracle", "N", "每月", "2020-02-01",
      "艾滋病病毒感染者和病人的随访、治疗管理信息。",
      "艾滋病 随访管理",
      "随访编号=follow_up_number:C:30 随访日期=follow_up_date:D:8",
      cond="《艾滋病防治条例》第三十九条：未经本人或者其监护人同意，任何单位或者个人不得公开艾滋病病毒感染者、"
           "艾滋病病人及其家属的姓名、住址、工作单位、肖像、病史资料等信息。"),
    R("severe-mental-disorder", "严重精神障碍患者管理信息", "202004", "数据库/oracle", "N", "每月", "2020-02-01",
      "在册严重精神障碍患者的登记、随访和危险性评估信息。",
      "精神障碍 随访 危险性评估",
      "患者编号=patient_number:C:30 随访日期=follow_up_date:D:8 危险性评估等级=risk_assessment_level:C:1",
      cond="《中华人民共和国精神卫生法》第四条：有关单位和个人应当对精神障碍患者的姓名、肖像、住址、工作单位、"
           "病历资料以及其他可能推断出其身份的信息予以保密。"),
    R("vaccination-record", "预防接种信息", "202004", "数据库/oracle", "C", "每日", "2021-03-22",
      "儿童免疫规划疫苗和其他疫苗的接种记录。",
      "预防接种 疫苗 入学查验",
      "公民身份号码 姓名 疫苗名称=vaccine_name:C:100 疫苗接种日期 接种单位=vaccination_org:C:200",
      cond="依据《中华人民共和国疫苗管理法》第四十八条，仅向教育部门用于托幼机构、学校入托入学预防接种证查验，"
           "仅提供是否完成全程接种的结论。"),
    R("maternal-care", "孕产妇保健信息", "202005", "数据库/mysql", "C", "每月", "2022-04-11",
      "孕产妇建册、产前检查和产后访视信息。",
      "孕产妇 妇幼保健 母子健康手册",
      "公民身份号码 姓名 建册日期=booklet_date:D:8 预产期=expected_delivery_date:D:8 高危因素=risk_factor_text:C:500",
      cond="仅向医保部门（生育待遇）和社区卫生服务机构在妇幼健康服务职责范围内提供，依据《中华人民共和国母婴保健法》。"),
    R("public-place-hygiene-license", "公共场所卫生许可信息", "001", "电子表格/xlsx", "U", "每月", "2019-10-15",
      "住宿、沐浴、美容美发等公共场所卫生许可证信息。",
      "公共场所 卫生许可证",
      PERMIT_ITEMS + " 经营场所", open=OPEN_PERMIT),
    R("health-penalty", "卫生健康行政处罚信息", "002", "电子表格/xlsx", "U", "每月", "2019-10-15",
      "卫生健康部门作出的行政处罚决定，涉及医疗、公共场所、职业卫生等领域。",
      "卫生监督 行政处罚",
      PENALTY_ITEMS, open=OPEN_PENALTY),

    R("occupational-disease", "职业病诊断信息", "202004", "数据库/mysql", "N", "每月", "2025-05-12",
      "职业病诊断机构作出的职业病诊断结论和报告。",
      "职业病 职业健康",
      "诊断证明书编号=diagnosis_certificate_number:C:30 公民身份号码 职业病名称=occupational_disease_name:C:100 诊断日期=diagnosis_date:D:8",
      cond=HEALTH_BASIS),
    R("medical-death-certificate", "居民死亡医学证明信息", "202001", "数据库/mysql", "C", "每日", "2025-12-01",
      "医疗卫生机构签发的居民死亡医学证明（推断）书信息。",
      "死亡医学证明 死因监测",
      "公民身份号码 姓名 死亡日期 死亡地点=death_place_address:C:200 医疗机构名称",
      cond="仅向公安（户口注销）、民政（殡葬）、人社和医保（待遇停发）部门提供，不含死亡原因，依据《人口死亡信息登记管理规定》。",
      related=["330782102/death-deregistration"]),
]
