"""The real development set: entries of five Chinese government open-data portals
(`../shared/samples/cn-open-data/entries.json`, see its README) as mulu search documents.

    docs = cn_open_data_documents()          # 9,579 SearchDocuments, code = the entry id (D0001 …)

A small converter, not mulu's import: the entries are dataset-level portal metadata without the fields a mulu
record requires (classification, share conditions, items), so they go straight to search documents. The portal's
theme label becomes a keyword; provider_code is the region + publishing body (there is no registry code).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from catalog.search.documents import SearchDocument

ROOT = Path(__file__).resolve().parents[1]
OPEN_LABELS = ("无条件", "完全开放", "无条件开放", "无条件开发")


def samples_path() -> Path:
    """MULU_CN_OPEN_DATA, else `shared/samples/cn-open-data/entries.json` beside the repository (or above it)."""
    if os.environ.get("MULU_CN_OPEN_DATA"):
        return Path(os.environ["MULU_CN_OPEN_DATA"])
    for base in (ROOT.parent, ROOT.parent.parent, Path("/work")):
        p = base / "shared/samples/cn-open-data/entries.json"
        if p.exists():
            return p
    return ROOT.parent / "shared/samples/cn-open-data/entries.json"


def document_of(entry: dict[str, Any]) -> SearchDocument:
    provider = str(entry.get("provider") or "")
    body = f"{entry.get('region') or ''}/{provider}"
    return SearchDocument(
        code=str(entry["id"]),
        name=str(entry.get("name") or "").replace("\n", " "),
        abstract=str(entry.get("abstract") or ""),
        provider=provider,
        provider_code=hashlib.sha1(body.encode()).hexdigest()[:9],
        update_cycle=str(entry.get("update_cycle") or ""),
        format_category=",".join(entry.get("formats") or [])[:40],
        open_to_public=str(entry.get("open_label") or "") in OPEN_LABELS,
        keywords=[str(entry["theme"])] if entry.get("theme") else [],
        item_names=[str(i) for i in entry.get("items") or []],
        state="published",
    )


def cn_open_data_documents(path: Path | None = None) -> list[SearchDocument]:
    entries = json.loads((path or samples_path()).read_text(encoding="utf-8"))["entries"]
    return [document_of(e) for e in entries]
