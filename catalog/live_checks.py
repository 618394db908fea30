"""Cross-record rules against the live catalogue, for one batch of registrations or one update.

    live = LiveCatalogue(session=session, actor=actor)
    findings = live.findings(record, allow_code=True)     # code free, name unique in its provider, related exist
    live.add(record, code)                                # a later record of the batch sees this one

Only what `actor` may read counts: a name or a related code held by a draft the actor cannot see is
neither a duplicate nor a known code, so a finding never reveals a record the actor could not `GET`.
(A code given on input must be free in the whole catalogue: `code.taken` only says that it is in use.)
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.actor import SYSTEM
from catalog.code_rules import ExplicitCodes
from catalog.auth import Actor, allowed
from catalog.findings import Finding, pointer
from catalog.models import Resource
from catalog.standards.model import normalise_name
from catalog.validation.rules import finding


class LiveCatalogue:
    """The names per provider and the codes of the catalogue as `actor` sees them, plus the batch so far."""

    def __init__(self, *, session: Session, actor: Actor | None = None, batch: list[Any] | None = None) -> None:
        self.session = session
        self.actor = actor  # None: everything counts (system work such as the audit)
        self.by_provider: dict[str, dict[str, str]] = {}  # provider → normalised name → code, this batch
        self.batch_codes: set[str] = set()  # codes of the records accepted so far
        self._explicit: ExplicitCodes | None = None
        # `related` may name any code the batch gives (as `mulu audit` allows across a set of files)
        self.batch_given = {r["code"] for r in batch or () if isinstance(r, dict) and isinstance(r.get("code"), str)}
        self._stored: dict[tuple[str, str], tuple[str, str] | None] = {}  # (provider, name key) → (code, state)
        if batch is not None and len(batch) > 1:
            self._read_names(batch)

    def _read_names(self, batch: list[Any]) -> None:
        """The stored holders of the batch's names, read at once (one query per 500 names, not one per record)."""
        pairs: list[tuple[str, str]] = sorted({(r["provider_code"], normalise_name(r["name"])) for r in batch
                                               if isinstance(r, dict) and isinstance(r.get("name"), str)
                                               and isinstance(r.get("provider_code"), str)})
        for start in range(0, len(pairs), 500):
            part = pairs[start:start + 500]
            self._stored.update((pair, None) for pair in part)
            query = select(col(Resource.code), col(Resource.state), col(Resource.provider_code),
                           col(Resource.name_key)).where(col(Resource.name_key).in_({k for _, k in part}),
                                                         col(Resource.provider_code).in_({p for p, _ in part}))
            for code, state, provider, name_key in self.session.execute(query).all():
                if name_key is not None and (provider, name_key) in self._stored:
                    self._stored[(provider, name_key)] = (code, state)

    def _sees_drafts_of(self, provider_code: str) -> bool:
        return self.actor is None or allowed(self.actor, "read", provider_code=provider_code, state="draft")

    def name_holder(self, provider_code: str, key: str) -> str | None:
        """The code holding normalised name `key` in `provider_code` (as the actor sees it), or None.
        An indexed lookup (`resources.name_key`, unique per provider): the cost does not grow with the
        catalogue."""
        batch = self.by_provider.get(provider_code, {})
        if key in batch:
            return batch[key]
        if (provider_code, key) in self._stored:
            row = self._stored[(provider_code, key)]
        else:
            found = self.session.execute(select(col(Resource.code), col(Resource.state)).where(
                col(Resource.provider_code) == provider_code, col(Resource.name_key) == key)).first()
            row = (found[0], found[1]) if found is not None else None
        if row is None or (row[1] != "published" and not self._sees_drafts_of(provider_code)):
            return None
        return row[0]

    def name_findings(self, record: dict[str, Any], *, own_code: str | None = None) -> list[Finding]:
        """信息资源名称 is unique within its provider (ignoring punctuation, spaces and case)."""
        name, provider = record.get("name"), record.get("provider_code")
        if not (isinstance(name, str) and isinstance(provider, str)):
            return []
        holder = self.name_holder(provider, normalise_name(name))
        if holder is None or holder == own_code:
            return []
        return [finding("cross.duplicate-name", "/name", value=name, expected=holder)]

    def code_findings(self, record: dict[str, Any], *, allow_code: bool) -> list[Finding]:
        """An input `code`: only seeding, bulk and imports may give one, and it must be free."""
        code = record.get("code")
        if code is None:
            return []
        if not allow_code:
            return [finding("code.assigned", "/code", suggestion="删除 code 字段")]
        if not isinstance(code, str):
            return []  # the schema layer reports the type
        if code in self.batch_codes:
            return [finding("code.taken", "/code", value=code, detail="（同一批次中重复）")]
        return self.explicit_codes().findings(record)  # within the sequence; invisible codes not revealed

    def explicit_codes(self) -> ExplicitCodes:
        if self._explicit is None:
            self._explicit = ExplicitCodes(session=self.session, actor=self.actor or SYSTEM, allow_code=True)
        return self._explicit

    def related_findings(self, record: dict[str, Any], *, own_code: str | None = None) -> list[Finding]:
        """Every code in `related` names a resource the actor can see, or a record of this batch."""
        related = record.get("related")
        if not isinstance(related, list):
            return []
        wanted = {c for c in related if isinstance(c, str) and c not in self.batch_given and c != own_code}
        known: set[str] = set()
        if wanted:
            rows = self.session.execute(select(col(Resource.code), col(Resource.provider_code), col(Resource.state))
                                        .where(col(Resource.code).in_(sorted(wanted)))).all()
            known = {code for code, provider, state in rows
                     if self.actor is None or allowed(self.actor, "read", provider_code=provider, state=state)}
        return [finding("cross.dangling-related", pointer("related", i), value=c)
                for i, c in enumerate(related) if isinstance(c, str) and c in wanted and c not in known]

    def findings(self, record: Any, *, allow_code: bool = False, own_code: str | None = None,
                 check_code: bool = True) -> list[Finding]:
        """All cross-record findings of `record` (a new one, or `own_code`'s new version)."""
        if not isinstance(record, dict):
            return []
        out = self.code_findings(record, allow_code=allow_code) if check_code else []
        return [*out, *self.name_findings(record, own_code=own_code),
                *self.related_findings(record, own_code=own_code)]

    def add(self, record: dict[str, Any], code: str | None, *, label: str) -> None:
        """Count `record` (accepted into the batch) for the records after it: its code and its name."""
        if isinstance(code, str):
            self.batch_codes.add(code)
            if self._explicit is not None:
                self._explicit.accept(record)  # the batch's next free number moves past it
        name, provider = record.get("name"), record.get("provider_code")
        if isinstance(name, str) and isinstance(provider, str):
            self.by_provider.setdefault(provider, {})[normalise_name(name)] = code or label
