"""Hints for request bodies sent with the wrong or no Content-Type (a YAML record sent as JSON)."""
from __future__ import annotations

import yaml

from catalog.errors import InvalidInput

YAML_HINT = ("请求体看起来是 YAML：请加上请求头 Content-Type: application/yaml "
             "(the body looks like YAML: send it with Content-Type: application/yaml)")


def looks_like_yaml_record(data: bytes) -> bool:
    """True when `data` is not JSON but reads as a YAML mapping (what a record file is)."""
    try:
        value = yaml.safe_load(data.decode("utf-8-sig")[:200_000])
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(value, dict)


def with_yaml_hint(exc: InvalidInput, data: bytes, content_type: str) -> InvalidInput:
    """`exc` with the YAML hint added when the body was not declared as JSON and reads as YAML."""
    if "json" in content_type or not looks_like_yaml_record(data):
        return exc
    return InvalidInput(f"{exc.message}；{YAML_HINT}", findings=exc.findings)
