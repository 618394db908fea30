"""Find the line of a JSON pointer inside a YAML (or JSON) text, for errors that name file and line."""
from __future__ import annotations

from collections.abc import Sequence

import yaml


def line_of(text: str, path: Sequence[str | int]) -> int | None:
    """1-based line of the node at `path` (the deepest existing ancestor when the node is missing)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if str(k.value) == str(part)), None)
            if match is None:
                break
            key = next(k for k, v in node.value if v is match)
            line = key.start_mark.line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
