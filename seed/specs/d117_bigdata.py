"""义乌市大数据发展管理局 (330782117): e-licences, government services, the exchange itself."""
from __future__ import annotations

from seed.specs._common import OPEN_FREE
from seed.specs._spec import R

DEPARTMENT = "330782117"
SLUG = "bigdata"

RESOURCES = [
    R("electronic-license-base", "电子证照基础信息", "105003", "数据库/mysql", "U", "实时", "2019-11-30",
      "义乌市电子证照库归集的各类证照目录和照面信息，供政务服务“免证办”调用。",
      "电子证照 免证办 证照库",
      "电子证照标识 证照类型代码 持证主体名称 持证主体代码 颁证机构 颁证日期 证照有效期止 证照状态",
      api={"key": "电子证照标识", "filters": ["持证主体代码", "证照类型代码"], "collection": "licenses",
           "rate": 200}),
    R("electronic-seal", "电子印章制发信息", "105005", "数据库/mysql", "U", "每日", "2021-08-20",
      "政务部门和企业电子印章的制发、备案和状态信息。",
      "电子印章 签章",
      "印章编码 印章名称 持证主体名称 持证主体代码 颁证日期 证照状态",
      related=["330782102/seal-engraving-filing"]),
    R("service-cases", "政务服务事项办件信息", "201005", "数据库/mysql", "U", "实时", "2020-04-30",
      "政务服务2.0平台受理、办结的政务服务事项办件过程信息（不含申请材料）。",
      "办件 政务服务 一网通办",
      "办件编号=case_number:C:40 事项名称=service_item_name:C:200 行政相对人名称 申请日期 办结日期 "
      "办件状态=case_status:C:2 数据来源单位",
      api={"key": "办件编号", "filters": ["行政相对人名称"], "collection": "service_cases", "rate": 50}),
    R("hotline-orders", "12345政务服务热线工单信息", "210003", "数据库/mysql", "C", "实时", "2020-04-30",
      "12345热线受理的咨询、求助、投诉工单及办理情况。",
      "12345 热线工单 诉求",
      "工单编号=work_order_number:C:30 诉求类型=appeal_type:C:2 诉求内容=appeal_content_text:M:2000 "
      "承办部门名称=handling_org_name:C:200 办结日期",
      cond="工单不含来电人身份信息；承办单位只能获取分派给本单位的工单，依据《中华人民共和国个人信息保护法》第三十四条。"),
    R("service-evaluation", "政务服务好差评信息", "201005", "电子表格/csv", "U", "每月", "2021-01-01",
      "办事群众对政务服务的评价结果和整改情况。",
      "好差评 服务评价",
      "事项名称=service_item_name:C:200 满意度等级=satisfaction_level:C:1 评价日期 整改状态=rectification_status:C:2",
      open=OPEN_FREE),
    R("exchange-log", "公共数据共享交换日志", "006", "数据库/mysql", "C", "实时", "2022-11-08",
      "公共数据平台接口调用和库表交换的日志，用于数据安全审计。",
      "共享日志 安全审计 调用记录",
      "调用编号=call_number:C:40 调用方单位名称=caller_org_name:C:200 资源代码=resource_code:C:30 "
      "调用时间=call_datetime:T:14 返回条数=returned_record_count:I:8",
      cond="仅向数据提供部门查看本部门资源的调用记录，以及网信、公安部门开展安全检查时调阅，依据《中华人民共和国数据安全法》第二十七条。"),
    R("cloud-security-config", "政务云网络安全防护配置信息", "006", "电子文件/docx", "N", "不定期", "2023-06-06",
      "政务云安全域划分、访问控制策略和密钥管理配置文档。",
      "政务云 网络安全 等级保护",
      cond="《中华人民共和国网络安全法》第二十一条：网络运营者应当履行网络安全等级保护义务；安全防护配置信息属工作秘密，"
           "泄露将危及政务网络安全，不予共享。",
      method="介质交换/文件"),
]
