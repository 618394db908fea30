"""一数一源: authoritative sources of data elements, duplicate collection, redundancy, joint scenarios.

    index.py        SourceIndex: element → authoritative department/resource, exemptions (pure data)
    models.py       database overrides of the sources and the departments' exemptions
    authority.py    reading and editing them (coordinator / department), audit-logged; the index per session
    redundancy.py   per element: which departments' resources carry it, which one is authoritative
    scenarios.py    联办 scenarios: per step, what sharing covers, what is keyed by hand, figures

May import catalog.standards, catalog.validation.rules/naming, catalog.models, catalog.sharing.models,
catalog.audit_log and catalog.auth; nothing imports HTTP or the terminal. The finding itself is the
engine's layer `catalog.validation.sources`, which imports only `index` (free of the database).
"""
from catalog.sources.index import Exemption, Source, SourceIndex, source_index, with_sources

__all__ = ["Exemption", "Source", "SourceIndex", "source_index", "with_sources"]
