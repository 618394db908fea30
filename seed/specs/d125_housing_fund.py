"""金华市住房公积金管理中心义乌分中心 (330782125): deposits, loans, withdrawals."""
from __future__ import annotations

from seed.specs._spec import R

DEPARTMENT = "330782125"
SLUG = "housing-fund"

FUND_COND = ("依据《住房公积金管理条例》，仅向住建（住房保障）、不动产登记、民政（救助核对）部门在法定职责范围内"
             "按人核验；公积金账户信息不得向第三方提供。")

RESOURCES = [
    R("fund-deposit", "住房公积金缴存信息", "004", "数据库/oracle", "C", "每月", "2020-01-08",
      "单位和个人住房公积金的缴存基数、缴存比例和账户余额信息。",
      "公积金 缴存 账户",
      "住房公积金账号 公民身份号码 姓名 单位名称 住房公积金缴存基数 缴存比例=contribution_rate:N:5:2 "
      "账户状态=account_status:C:2",
      cond=FUND_COND,
      api={"key": "公民身份号码", "collection": "fund_accounts", "rate": 20}),
    R("fund-loan", "住房公积金贷款信息", "004", "数据库/oracle", "C", "每日", "2020-01-08",
      "住房公积金个人住房贷款的发放、还款和结清信息。",
      "公积金贷款 个贷",
      "贷款合同编号=loan_contract_number:C:30 公民身份号码 姓名 贷款发放金额=loan_amount:Y:18:2 发放日期 "
      "不动产权证书号 贷款状态=loan_status:C:2",
      cond=FUND_COND),
    R("fund-employers", "住房公积金缴存单位登记信息", "004", "数据库/oracle", "C", "每月", "2020-01-08",
      "在义乌分中心开户缴存住房公积金的单位登记信息。",
      "缴存单位 开户登记",
      "统一社会信用代码 单位名称 单位账号=employer_account_number:C:20 开户日期=account_opening_date:D:8 缴存人数=depositor_count:I:8",
      cond="用于企业注销核查和欠缴追缴，仅向市场监管、人社、法院提供，依据《住房公积金管理条例》。"),
    R("fund-withdrawal", "住房公积金提取信息", "004", "数据库/oracle", "C", "每日", "2021-05-15",
      "购房、租房、退休等住房公积金提取业务信息。",
      "公积金提取 租房提取",
      "住房公积金账号 公民身份号码 提取原因=withdrawal_reason_type:C:2 提取金额=withdrawal_amount:Y:18:2 发放日期",
      cond=FUND_COND),
]
