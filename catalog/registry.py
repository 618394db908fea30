"""The registry: new records (`catalog.registration`) and their lifecycle (`catalog.lifecycle`).

This module keeps the names callers have always imported from it; new code may import from either.
"""
from __future__ import annotations

from catalog.lifecycle import (
    EDITABLE, IMMUTABLE_FIELDS, STATES, TRANSITIONS, change_state, change_state_many, check_if_match, get_resource,
    load_row, update_resource,
)
from catalog.live_checks import LiveCatalogue
from catalog.models import make_etag
from catalog.registration import (
    PUBLIC, Outcome, authorize_create, check_records, create_resource, dry_run, invalid, register_records, validate, write_records,
)

__all__ = [
    "EDITABLE", "IMMUTABLE_FIELDS", "STATES", "TRANSITIONS", "LiveCatalogue", "Outcome", "authorize_create",
    "change_state", "change_state_many", "check_if_match", "check_records", "create_resource", "get_resource",
    "invalid", "load_row", "PUBLIC", "dry_run", "make_etag", "register_records", "update_resource", "validate", "write_records",
]
