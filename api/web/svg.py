"""Geometry for the two inline SVG pictures: a bar chart per department and the related-resources graph.

Only numbers and plain text come out of here; the templates draw them (so every label is escaped).
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------- bar chart


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown
    x: float
    y: float
    width: float
    height: float


@dataclass(slots=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, label)
    axis_y: float = 0.0


def bar_chart(rows: list[tuple[str, float, str]], *, width: int = 760, bar_height: int = 18,
              gap: int = 8, label_width: int = 220, maximum: float | None = None) -> BarChart:
    """Horizontal bars: one row (label, value, shown text) each, scaled to the largest value."""
    top = maximum if maximum is not None else max((v for _, v, _ in rows), default=0.0)
    top = top or 1.0
    if maximum is None and top > 4:
        top = float(math.ceil(top / 4) * 4)  # counts: whole-number ticks
    plot = width - label_width - 60
    chart = BarChart(width=width, height=len(rows) * (bar_height + gap) + 30, label_width=label_width)
    for i, (label, value, text) in enumerate(rows):
        y = i * (bar_height + gap) + 4
        chart.bars.append(Bar(label=label, value=value, text=text, x=label_width, y=y,
                              width=max(0.0, round(plot * value / top, 1)), height=bar_height))
    chart.axis_y = len(rows) * (bar_height + gap) + 6
    for k in range(5):
        v = top * k / 4
        chart.ticks.append((label_width + round(plot * k / 4, 1), f"{v:g}" if v != int(v) else f"{int(v)}"))
    return chart


# ---------------------------------------------------------------- related-resources graph


@dataclass(frozen=True, slots=True)
class Node:
    code: str
    name: str
    provider: str
    x: float
    y: float
    current: bool


@dataclass(frozen=True, slots=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(slots=True)
class Graph:
    width: int
    height: int
    node_width: int
    node_height: int
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def related_graph(center: str, resources: dict[str, dict[str, Any]], *, depth: int = 3,
                  per_column: int = 5, node_width: int = 170, node_height: int = 44,
                  col_gap: int = 60, row_gap: int = 16) -> Graph:
    """Lay out the resources linked to `center` by `related` (A lists B: an arrow A → B).

    `resources` maps code -> {"name", "provider", "related": [codes]} for every resource that may be
    drawn. Resources `center` lists go to the right, those listing it to the left, `depth` steps each
    way, at most `per_column` per column: a registration chain reads left to right.
    """
    outgoing = {c: [r for r in (v.get("related") or []) if r in resources] for c, v in resources.items()}
    incoming: dict[str, list[str]] = {c: [] for c in resources}
    for c, targets in outgoing.items():
        for t in targets:
            incoming[t].append(c)
    column: dict[str, int] = {center: 0}
    for step, links in ((1, outgoing), (-1, incoming)):
        queue = deque([center])
        while queue:
            code = queue.popleft()
            col = column[code]
            if abs(col + step) > depth:
                continue
            for nxt in sorted(links.get(code, [])):
                if nxt in column:
                    continue
                if sum(1 for v in column.values() if v == col + step) >= per_column:
                    break
                column[nxt] = col + step
                queue.append(nxt)
    cols = sorted(set(column.values()))
    by_col = {c: sorted(k for k, v in column.items() if v == c) for c in cols}
    rows = max(len(v) for v in by_col.values())
    height = rows * (node_height + row_gap) + row_gap
    graph = Graph(width=len(cols) * (node_width + col_gap) - col_gap + 20, height=height,
                  node_width=node_width, node_height=node_height)
    where: dict[str, tuple[float, float]] = {}
    for ci, c in enumerate(cols):
        codes = by_col[c]
        offset = (height - len(codes) * (node_height + row_gap) + row_gap) / 2
        for ri, code in enumerate(codes):
            x, y = 10 + ci * (node_width + col_gap), offset + ri * (node_height + row_gap)
            where[code] = (x, y)
            info = resources[code]
            graph.nodes.append(Node(code=code, name=str(info.get("name", "")), x=x, y=y,
                                    provider=str(info.get("provider", "")), current=code == center))
    for a in where:
        for b in outgoing.get(a, []):
            if b not in where or a == b:
                continue
            (ax, ay), (bx, by) = where[a], where[b]
            if ax == bx:
                continue  # same column: listed, not drawn (would cross the boxes)
            if ax < bx:
                x1, x2 = ax + node_width, bx
            else:
                x1, x2 = ax, bx + node_width
            graph.edges.append(Edge(x1, ay + node_height / 2, x2, by + node_height / 2))
    return graph
