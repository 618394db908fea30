"""一数一源 tables (SQLModel): database overrides of the authoritative sources, and exemptions.

    SourceOverride       a coordinator's choice of an element's authoritative department / resource,
                         over the default of standards/authoritative-sources.yaml
    CollectionExemption  a department collects an element anyway, on a stated legal basis
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


# Overrides: one row per element whose authoritative source differs from (or completes) the file's.
class SourceOverride(SQLModel, table=True):
    __tablename__ = "source_overrides"
    element_id: str = Field(primary_key=True, max_length=10)
    department_code: str = Field(max_length=9)
    resource_code: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    updated_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


# Exemptions: kept and shown; while one exists the department's items of the element raise no finding.
class CollectionExemption(SQLModel, table=True):
    __tablename__ = "collection_exemptions"
    __table_args__ = (UniqueConstraint("department_code", "element_id", name="uq_collection_exemptions"),)
    id: int | None = Field(default=None, primary_key=True)
    department_code: str = Field(max_length=9)
    element_id: str = Field(max_length=10)
    basis: str = Field(sa_column=Column(Text, nullable=False))
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
