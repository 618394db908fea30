"""The per-request token lookup (`actor_for_bearer`, one read on a pooled connection without a session) answers
exactly as the session-based `actor_for_token`, on SQLite and PostgreSQL: the actor of a live token, 401 for a
missing, unknown or revoked one, and a revocation seen by the very next lookup."""
from __future__ import annotations

from pathlib import Path

import pytest

from catalog.auth import actor_for_bearer, actor_for_token, create_token
from catalog.errors import Unauthenticated
from catalog.models import Token, utcnow
from tests.databases import any_database


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_bearer_lookup_matches_the_session_lookup(kind: str, tmp_path: Path) -> None:
    with any_database(kind, tmp_path) as db:
        with db.transaction() as session:
            steward, _ = create_token(session=session, role="steward", department_code="330782101", name="张三")
            developer, row = create_token(session=session, role="developer")
            victim_id = row.id
        for secret in (steward, developer):
            with db.session() as session:
                expected = actor_for_token(session=session, token=secret)
            assert actor_for_bearer(db=db, token=secret) == expected
        assert actor_for_bearer(db=db, token=steward).department_code == "330782101"
        assert actor_for_bearer(db=db, token=steward).name == "张三"
        for bad in (None, "", "mulu_unknown", developer + "x"):
            with pytest.raises(Unauthenticated):
                actor_for_bearer(db=db, token=bad)
        with db.transaction() as session:
            token = session.get(Token, victim_id)
            assert token is not None
            token.revoked_at = utcnow()
        with pytest.raises(Unauthenticated, match="吊销"):
            actor_for_bearer(db=db, token=developer)
        assert actor_for_bearer(db=db, token=steward).role == "steward"  # the pool's connections stay usable
