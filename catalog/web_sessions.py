"""Browser sessions kept on the server: the cookie holds a random session id, never the API token.

    start_session(token)        → a new session id (shown once; only its sha256 is stored)
    start_provider_session(actor, subject)  → the same, for a sign-in through 统一身份认证 (catalog.oidc):
                                  the role and department the claims mapped to are kept with the session
    actor_for_session(id)       → the Actor, while the session is open, unexpired and its token unrevoked
    end_session(id)             → sign-out: the id stops working at once, in every process
    end_sessions_of_token(id)   → called when a token is revoked

Every check reads the database, so a sign-out or a revocation holds across server processes at once.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, select, update
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel, col

from catalog.auth import Actor, actor_for_token, hash_token
from catalog.errors import Unauthenticated
from catalog.models import Token, utcnow

SESSION_HOURS = 8  # a working day


class WebSession(SQLModel, table=True):
    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_token", "token_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_hash: str = Field(max_length=64, unique=True)
    token_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("tokens.id"), nullable=True))
    # a provider sign-in has no token: who it is, as the claims map gave it
    subject: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    actor_name: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    role: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    department_code: str | None = Field(default=None, sa_column=Column(String(9), nullable=True))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite returns naive UTC


def start_session(*, session: Session, token: str) -> tuple[str, Actor]:
    """Open a session for a valid token (401 otherwise): (session id for the cookie, actor)."""
    actor = actor_for_token(session=session, token=token)
    token_id = session.execute(select(col(Token.id)).where(col(Token.token_hash) == hash_token(token))).scalar_one()
    assert token_id is not None  # a primary key
    return _open(session=session, token_id=token_id), actor


def start_provider_session(*, session: Session, actor: Actor, subject: str) -> str:
    """Open a session for an account the identity provider signed in (its claims already mapped)."""
    return _open(session=session, subject=subject[:255], actor_name=actor.name[:200], role=actor.role,
                 department_code=actor.department_code)


def _open(*, session: Session, token_id: int | None = None, subject: str | None = None,
          actor_name: str | None = None, role: str | None = None, department_code: str | None = None) -> str:
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(WebSession(session_hash=_hash(session_id), created_at=now,
                           expires_at=now + timedelta(hours=SESSION_HOURS), token_id=token_id, subject=subject,
                           actor_name=actor_name, role=role, department_code=department_code))
    session.flush()
    return session_id


def actor_for_session(*, session: Session, session_id: str | None) -> Actor:
    """The actor of an open session; 401 when unknown, ended, expired or its token revoked."""
    if not session_id:
        raise Unauthenticated("请先登录 (sign in first)")
    row = session.execute(select(WebSession, Token).outerjoin(Token, col(Token.id) == col(WebSession.token_id))
                          .where(col(WebSession.session_hash) == _hash(session_id))).first()
    if row is None:
        raise Unauthenticated("会话无效，请重新登录 (unknown session)")
    web, token = row
    revoked = token.revoked_at is not None if token is not None else web.role is None
    if web.ended_at is not None or revoked or _aware(web.expires_at) <= utcnow():
        raise Unauthenticated("会话已结束，请重新登录 (session ended)")
    if token is None:
        return Actor(name=web.actor_name or web.subject or "?", role=str(web.role),
                     department_code=web.department_code)
    return Actor(name=token.name, role=token.role, department_code=token.department_code)


def end_session(*, session: Session, session_id: str | None) -> None:
    """Sign-out: the session id stops working at once."""
    if session_id:
        session.execute(update(WebSession).where(col(WebSession.session_hash) == _hash(session_id),
                                                 col(WebSession.ended_at).is_(None)).values(ended_at=utcnow()))


def end_sessions_of_token(*, session: Session, token_id: int) -> None:
    session.execute(update(WebSession).where(col(WebSession.token_id) == token_id,
                                             col(WebSession.ended_at).is_(None)).values(ended_at=utcnow()))
