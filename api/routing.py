"""`TypedRouter`: an APIRouter whose routes answer exactly the keys the domain returned.

Every route names a `response_model` (documented in `/openapi.json`); `response_model_exclude_unset`
keeps the body as the domain built it: an optional field the domain left out is not added as `null`.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter


class TypedRouter(APIRouter):
    def add_api_route(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        kwargs["response_model_exclude_unset"] = True  # the decorators pass False explicitly
        super().add_api_route(path, endpoint, **kwargs)
