"""The ASGI entry point for several API processes: each worker builds its own Catalog from the environment.

    mulu serve --workers 4                                          # what `mulu serve` runs
    uvicorn --factory api.asgi:app_from_environment --workers 4     # the same, by hand
    gunicorn -k uvicorn.workers.UvicornWorker "api.asgi:app_from_environment()" -w 4

Every process reads the same `MULU_*` settings (`catalog.settings.get_settings`): one PostgreSQL
(`MULU_DATABASE_URL`), one Elasticsearch (`MULU_ELASTICSEARCH_URL`). What keeps several processes
correct lives in the database: codes (`code_sequences` row lock), the audit chain (`audit_head` row lock),
ETags (row lock + If-Match), the duplicate-name rule (unique index), the search outbox (rows claimed with
`FOR UPDATE SKIP LOCKED`), tokens (read from the database on each request).
"""
from __future__ import annotations

from fastapi import FastAPI

from api.app import create_app
from catalog.settings import get_settings


def app_from_environment() -> FastAPI:
    """One app (and one Catalog) for this worker process, from the `MULU_*` environment."""
    return create_app(get_settings(), warm_search=True)
