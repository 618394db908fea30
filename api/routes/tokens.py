"""/tokens: list and revoke bearer tokens (admin only); never the secret nor its hash."""
from __future__ import annotations

from typing import Any


from api.deps import ActorDep, DbDep, RowId
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.meta import TokenOut, TokenPage
from catalog.auth import list_tokens, revoke_token, token_dict

router = TypedRouter(prefix="/tokens", tags=["令牌 tokens"], responses=ERRORS)


@router.get("", summary="令牌列表（管理员）", response_model=TokenPage)
def tokens(db: DbDep, actor: ActorDep) -> dict[str, Any]:
    with db.session() as session:
        rows = [token_dict(t) for t in list_tokens(session=session, actor=actor)]
    return {"data": rows, "count": len(rows)}


@router.delete("/{token_id}", summary="吊销令牌（管理员；立即生效，记入审计日志）", response_model=TokenOut)
def revoke(db: DbDep, actor: ActorDep, token_id: RowId) -> dict[str, Any]:
    with db.transaction() as session:
        return token_dict(revoke_token(session=session, actor=actor, token_id=token_id))
