"""The one validation engine: `validate_record` for one record, `audit` for a set (cross-record rules too)."""
from catalog.validation.audit import AuditReport, audit
from catalog.validation.engine import validate_record
from catalog.validation.rules import RULES, Rule

__all__ = ["RULES", "AuditReport", "Rule", "audit", "validate_record"]
