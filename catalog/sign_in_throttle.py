"""Sign-in throttling, kept in the database so it holds across server processes.

At most MAX_FAILURES failed sign-ins per (account, client address) within WINDOW; beyond that the next
attempt is refused (429) without checking the credential, until the oldest failure leaves the window.
For token sign-in the account is "token" (the secret itself is never stored); a provider sign-in would use
its subject. A successful sign-in clears the failures of its key.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, Index, delete, func, select
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel, col

from catalog.errors import TooManyRequests
from catalog.models import utcnow

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)


class SignInFailure(SQLModel, table=True):
    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key", "account", "client_ip", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=200)
    client_ip: str = Field(max_length=64)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


def check(*, session: Session, account: str, client_ip: str) -> None:
    """Raise TooManyRequests (429) when the key has MAX_FAILURES failures within WINDOW."""
    since = utcnow() - WINDOW
    failures = session.execute(select(func.count()).select_from(SignInFailure).where(
        col(SignInFailure.account) == account[:200], col(SignInFailure.client_ip) == client_ip[:64],
        col(SignInFailure.at) > since)).scalar_one()
    if failures >= MAX_FAILURES:
        minutes = int(WINDOW.total_seconds() // 60)
        raise TooManyRequests(f"登录失败次数过多，请 {minutes} 分钟后再试 (too many failed sign-ins; try later)")


def record_failure(*, session: Session, account: str, client_ip: str) -> None:
    session.add(SignInFailure(account=account[:200], client_ip=client_ip[:64], at=utcnow()))
    session.execute(delete(SignInFailure).where(col(SignInFailure.at) < utcnow() - WINDOW))  # keep the table small


def clear(*, session: Session, account: str, client_ip: str) -> None:
    session.execute(delete(SignInFailure).where(col(SignInFailure.account) == account[:200],
                                                col(SignInFailure.client_ip) == client_ip[:64]))
