"""Layer 3: information items against the naming rules and the data-element dictionary."""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from catalog.findings import Finding
from catalog.standards import Standards
from catalog.standards.model import normalise_name
from catalog.validation.rules import finding


def _distance(a: str, b: str, cutoff: int) -> int:
    """Levenshtein distance, stopping early once it exceeds `cutoff`."""
    if abs(len(a) - len(b)) > cutoff:
        return cutoff + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > cutoff:
            return cutoff + 1
        previous = current
    return previous[-1]


def near_miss(name: str, *, standards: Standards) -> dict[str, Any] | None:
    """The standard data element a non-standard item name most likely means, if any (memoised)."""
    memo = standards.cache("near-miss")
    key = normalise_name(name)
    if key in memo:
        known: dict[str, Any] | None = memo[key]
        return known
    found = standards.element_by_alias.get(key)
    if found is None and len(key) >= 4:
        ratio, distance = float(standards.near_miss["min_ratio"]), int(standards.near_miss["max_distance"])
        best = 0.0
        for norm, element in standards.element_norm_names.items():
            if norm == key or min(len(norm), len(key)) * 3 < max(len(norm), len(key)) * 2:
                continue
            if key.endswith(norm) or norm.endswith(key):
                continue  # a qualified name (施工单位名称 / 单位名称) is another element, not a misspelling
            score = SequenceMatcher(None, key, norm).ratio()
            close = score >= ratio or (len(key) >= 6 and len(key) != len(norm) and _distance(key, norm, distance) <= distance)
            if close and score > best:
                best, found = score, element
    memo[key] = found
    return found


def item_element(item: dict[str, Any], standards: Standards) -> dict[str, Any] | None:
    """The data element an item carries: its `element` id when known, else the element whose standard
    name or identifier it uses. The same data has the same name everywhere (一数一源 depends on it)."""
    given = item.get("element")
    if isinstance(given, str) and given in standards.elements:
        return standards.elements[given]
    name, identifier = item.get("name"), item.get("identifier")
    return (standards.element_by_name.get(name) if isinstance(name, str) else None) or (
        standards.element_by_identifier.get(identifier) if isinstance(identifier, str) else None)


def _has_term(item: dict[str, Any], standards: Standards) -> bool:
    identifier, name = item.get("identifier"), item.get("name")
    if isinstance(identifier, str) and identifier.rsplit("_", 1)[-1] in standards.representation_terms:
        return True
    return isinstance(name, str) and name.endswith(standards.representation_names)


def _item(item: dict[str, Any], at: str, standards: Standards, source: str | None) -> list[Finding]:
    out: list[Finding] = []
    identifier, name = item.get("identifier"), item.get("name")
    if isinstance(identifier, str):
        if not standards.identifier_re.match(identifier):
            out.append(finding("naming.identifier-pattern", at + "/identifier", source=source, value=identifier,
                               expected=standards.identifier_re.pattern))
        if len(identifier) > standards.identifier_max:
            out.append(finding("naming.identifier-length", at + "/identifier", source=source, value=identifier,
                               expected=standards.identifier_max))
    if "element" in item and item_element({"element": item["element"]}, standards) is None:
        out.append(finding("naming.element-unknown", at + "/element", source=source, value=item["element"]))
    element = item_element(item, standards)
    if element is not None:
        label = f"{element['id']} {element['name']}"
        if isinstance(identifier, str) and identifier != element["identifier"]:
            out.append(finding("naming.element-identifier", at + "/identifier", source=source, field=name,
                               element=label, value=identifier, expected=element["identifier"],
                               suggestion=element["identifier"]))
        if "data_type" in item and item["data_type"] != element["data_type"]:
            out.append(finding("naming.element-type", at + "/data_type", source=source, field=name,
                               element=label, value=item["data_type"], expected=element["data_type"],
                               suggestion=element["data_type"]))
        if "length" in item and element.get("length") is not None and item["length"] != element["length"]:
            out.append(finding("naming.element-length", at + "/length", source=source, field=name,
                               element=label, value=item["length"], expected=element["length"],
                               suggestion=str(element["length"])))
        return out
    if isinstance(name, str):
        guess = near_miss(name, standards=standards)
        if guess is not None:
            out.append(finding(
                "naming.near-miss", at + "/name", source=source, value=name, expected=guess["name"],
                suggestion=f"{guess['name']} ({guess['identifier']}, {guess['id']}, "
                           f"{guess['data_type']}{guess.get('length', '')})",
            ))
    if not _has_term(item, standards):
        out.append(finding("naming.representation-term", at, source=source, value=identifier or name))
    return out


def naming_findings(record: dict[str, Any], *, standards: Standards, source: str | None) -> list[Finding]:
    items = record.get("items")
    if not isinstance(items, list):
        return []
    out: list[Finding] = []
    first_seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        at = f"/items/{index}"  # pointer("items", index), built once per item (no "~" or "/" to escape)
        out.extend(_item(item, at, standards, source))
        identifier = item.get("identifier")
        if isinstance(identifier, str):
            if identifier in first_seen:
                out.append(finding("naming.duplicate-identifier", at + "/identifier", source=source,
                                   value=identifier, expected=first_seen[identifier] + 1))
            else:
                first_seen[identifier] = index
    return out
