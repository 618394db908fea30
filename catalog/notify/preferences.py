"""Who hears an event, and people's and departments' choices about it.

People are the names behind unrevoked tokens (with their role and department). For each kind of event,
`catalog.notify.kinds` says which roles of each side's department hear it by default; a preference row
changes that, the most specific one winning:

    person + kind  >  person + "*"  >  department + kind  >  department + "*"  >  the default

on each channel (inbox, email). E-mail goes to a person's address (Contact scope "user") and to a side's
department mailbox (Contact scope "department") when one is set, unless a preference turns it off.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor, allowed
from catalog.errors import Forbidden, InvalidInput
from catalog.findings import Finding
from catalog.models import Token
from catalog.notify.kinds import CHANNELS, KINDS
from catalog.notify.models import Contact, Preference

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str
    department: str | None


@dataclass
class Audience:
    inbox: list[Person] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


def _choice(prefs: dict[tuple[str, str, str, str], bool], person: Person, kind: str, channel: str) -> bool | None:
    for key in (("user", person.name, kind, channel), ("user", person.name, "*", channel),
                ("department", person.department or "", kind, channel),
                ("department", person.department or "", "*", channel)):
        if key in prefs:
            return prefs[key]
    return None


def audience(*, session: Session, kind: str, parties: dict[str, str]) -> Audience:
    """The people (inbox) and addresses (e-mail) that hear an event of `kind` between `parties`."""
    return audiences(session=session, kind=kind, parties=[parties])[0]


def audiences(*, session: Session, kind: str, parties: list[dict[str, str]]) -> list[Audience]:
    """`audience` of many events of one kind (a bulk publish): people, choices and addresses read once."""
    spec = KINDS[kind]
    each = [{side: code for side, code in p.items() if side in spec.sides and code} for p in parties]
    codes = {code for sides in each for code in sides.values()}
    query = select(col(Token.name), col(Token.role), col(Token.department_code)).where(
        col(Token.revoked_at).is_(None))
    query = query.where(or_(col(Token.department_code).in_(codes), col(Token.role).in_(spec.everywhere)))
    people = sorted({Person(*r) for r in session.execute(query).all()}, key=lambda p: (p.name, p.role))
    names = {p.name for p in people}
    prefs = {(p.scope, p.subject, p.kind, p.channel): p.enabled for p in session.execute(
        select(Preference).where(or_((col(Preference.scope) == "user") & col(Preference.subject).in_(names),
                                     (col(Preference.scope) == "department") & col(Preference.subject).in_(codes))
                                 )).scalars()}
    contacts = {(c.scope, c.subject): c.email for c in session.execute(
        select(Contact).where(or_((col(Contact.scope) == "user") & col(Contact.subject).in_(names),
                                  (col(Contact.scope) == "department") & col(Contact.subject).in_(codes)))).scalars()}
    return [_audience(kind, sides, people, prefs, contacts) for sides in each]


def _audience(kind: str, sides: dict[str, str], everyone: list[Person],
              all_prefs: dict[tuple[str, str, str, str], bool], contacts: dict[tuple[str, str], str]) -> Audience:
    """Who of `everyone` hears an event between `sides`, with only these sides' department choices."""
    spec = KINDS[kind]
    codes = set(sides.values())
    people = [p for p in everyone if p.department in codes or p.role in spec.everywhere]
    prefs = {k: v for k, v in all_prefs.items() if k[0] == "user" or k[1] in codes}
    result = Audience()
    heard: set[str] = set()
    for person in people:
        default = person.role in spec.everywhere or any(
            code == person.department and person.role in spec.sides[side] for side, code in sides.items())
        if person.name in heard:
            continue
        if _choice(prefs, person, kind, "inbox") is not False and (default or _choice(prefs, person, kind, "inbox")):
            heard.add(person.name)
            result.inbox.append(person)
            address = contacts.get(("user", person.name))
            if address and _choice(prefs, person, kind, "email") is not False:
                result.emails.append(address)
    for code in sorted(codes):
        address = contacts.get(("department", code))
        choice = prefs.get(("department", code, kind, "email"), prefs.get(("department", code, "*", "email")))
        if address and choice is not False:
            result.emails.append(address)
    result.emails = list(dict.fromkeys(result.emails))
    return result


def _bad(field_name: str, message: str) -> InvalidInput:
    return InvalidInput(message, findings=[Finding("notify.invalid", "error", f"/{field_name}", message)])


def _scope_of(actor: Actor, department_code: str | None) -> tuple[str, str]:
    """("user", name), or ("department", code) when a steward of it (or an admin) speaks for a department."""
    if department_code is None:
        return "user", actor.name
    if actor.role == "admin" or (actor.role == "steward" and actor.department_code == department_code):
        return "department", department_code
    raise Forbidden("只有本部门的数据管理员可以修改部门的通知设置 (forbidden)", role=actor.role)


def set_preferences(*, session: Session, actor: Actor, rules: list[dict[str, Any]],
                    email: str | None = None, department_code: str | None = None) -> dict[str, Any]:
    """Replace the caller's (or its department's) choices: rules [{kind, channel, enabled}], and an address."""
    scope, subject = _scope_of(actor, department_code)
    checked: list[tuple[str, str, bool]] = []
    for i, rule in enumerate(rules):
        kind, channel, enabled = rule.get("kind", "*"), rule.get("channel", "inbox"), rule.get("enabled")
        if kind != "*" and kind not in KINDS:
            raise _bad(f"rules/{i}/kind", f"未知的通知类型 {kind!r}; 可选: *, {', '.join(KINDS)}")
        if channel not in CHANNELS:
            raise _bad(f"rules/{i}/channel", f"渠道应为 {' 或 '.join(CHANNELS)}, 收到 {channel!r}")
        if not isinstance(enabled, bool):
            raise _bad(f"rules/{i}/enabled", "enabled 应为 true 或 false")
        checked.append((kind, channel, enabled))
    for row in session.execute(select(Preference).where(col(Preference.scope) == scope,
                                                        col(Preference.subject) == subject)).scalars():
        session.delete(row)
    session.flush()
    for kind, channel, enabled in dict.fromkeys(checked):
        session.add(Preference(scope=scope, subject=subject, kind=kind, channel=channel, enabled=enabled))
    if email is not None:
        contact = session.execute(select(Contact).where(col(Contact.scope) == scope, col(Contact.subject) == subject)
                                  ).scalar_one_or_none()
        if email == "":
            if contact is not None:
                session.delete(contact)
        elif not EMAIL.match(email) or len(email) > 320:
            raise _bad("email", f"电子邮件地址格式不对: {email!r}")
        elif contact is None:
            session.add(Contact(scope=scope, subject=subject, email=email))
        else:
            contact.email = email
    session.flush()
    return get_preferences(session=session, actor=actor, department_code=department_code)


def get_preferences(*, session: Session, actor: Actor, department_code: str | None = None) -> dict[str, Any]:
    if department_code is not None and not (allowed(actor, "read_sharing", provider_code=department_code)):
        raise Forbidden("无权查看该部门的通知设置 (forbidden)", role=actor.role)
    scope, subject = ("department", department_code) if department_code else ("user", actor.name)
    rules = session.execute(select(Preference).where(col(Preference.scope) == scope, col(Preference.subject) == subject)
                            .order_by(col(Preference.id))).scalars().all()
    contact = session.execute(select(col(Contact.email)).where(col(Contact.scope) == scope, col(Contact.subject) == subject)
                              ).scalar_one_or_none()
    return {"scope": scope, "subject": subject, "email": contact,
            "rules": [{"kind": r.kind, "channel": r.channel, "enabled": r.enabled} for r in rules]}
