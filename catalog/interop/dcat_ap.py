"""Records → a DCAT-AP catalogue in JSON-LD (dcat:Catalog with one dcat:Dataset per resource)."""
from __future__ import annotations

from typing import Any, Iterable

from catalog.interop import crosswalk as cw
from catalog.interop.dcat_us import access_level_of  # one accessLevel mapping for both DCAT flavours

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:issued": {"@type": "xsd:date"},
    "dct:accrualPeriodicity": {"@type": "@id"},
    "dcat:accessURL": {"@type": "@id"},
}
ACCESS_RIGHTS = "http://publications.europa.eu/resource/authority/access-right/"
ACCESS_RIGHT_OF = {"public": "PUBLIC", "restricted public": "RESTRICTED", "non-public": "NON_PUBLIC"}


def to_dcat_ap(records: Iterable[dict[str, Any]], *, base_uri: str = "urn:mulu:",
               title: str = "政务信息资源目录") -> dict[str, Any]:
    """A DCAT-AP JSON-LD document: @context with dcat/dct/foaf/vcard and a dcat:Catalog."""
    datasets = []
    for record in records:
        ident = record.get("code") or record["name"]
        ds: dict[str, Any] = {
            "@id": f"{base_uri}resource:{ident}",
            "@type": "dcat:Dataset",
            "dct:identifier": ident,
            "dct:title": {"@value": record["name"], "@language": "zh"},
            "dct:description": {"@value": record.get("abstract", ""), "@language": "zh"},
            "dct:publisher": {"@id": f"{base_uri}department:{record.get('provider_code')}",
                              "@type": "foaf:Agent", "foaf:name": record.get("provider")},
            "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": record.get("provider")},
            "dcat:keyword": [{"@value": k, "@language": "zh"} for k in record.get("keywords") or []],
            "dct:accessRights": {"@id": ACCESS_RIGHTS + ACCESS_RIGHT_OF[access_level_of(record)]},
        }
        cycle = cw.CYCLE_TO_EU_FREQUENCY.get(record.get("update_cycle", ""))
        if cycle:
            ds["dct:accrualPeriodicity"] = cycle
        if record.get("published_on"):
            ds["dct:issued"] = record["published_on"]
        if record.get("classification"):
            ds["dcat:theme"] = {"@id": f"{base_uri}classification:{record['classification']}"}
        ds["dcat:distribution"] = [_distribution(record, ident, base_uri)]
        datasets.append(ds)
    return {
        "@context": CONTEXT,
        "@id": f"{base_uri}catalog",
        "@type": "dcat:Catalog",
        "dct:title": {"@value": title, "@language": "zh"},
        "dcat:dataset": datasets,
    }


def _distribution(record: dict[str, Any], ident: str, base_uri: str) -> dict[str, Any]:
    fmt = record.get("format") or {}
    dist: dict[str, Any] = {
        "@id": f"{base_uri}distribution:{ident}",
        "@type": "dcat:Distribution",
        "dct:format": f"{fmt.get('category', '')}/{fmt.get('type', '')}",
    }
    media = cw.TYPE_TO_MEDIA.get(fmt.get("type", ""))
    if media:
        dist["dcat:mediaType"] = media
    base_url = (record.get("interface") or {}).get("base_url")
    if isinstance(base_url, str):
        dist["dcat:accessURL"] = base_url
    method = (record.get("share") or {}).get("method") or {}
    if method:
        dist["dct:description"] = f"共享方式：{method.get('category', '')}/{method.get('type', '')}"
    return dist
