"""Who acts: an `Actor` (name, role, department) and `SYSTEM`, the admin that seeding and the CLI act as.

Its own module so that the audit log and the policy (`catalog.auth`, which re-exports both) need not
import each other.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    role: str
    department_code: str | None = None


SYSTEM = Actor(name="system", role="admin")
