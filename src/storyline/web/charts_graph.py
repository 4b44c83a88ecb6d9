"""An entity and the entities named in the same articles, as a server-side SVG network.

The layout is computed here and is the same on every render: the entity sits in the middle, the
others on an ellipse around it in order of co-mentions (most first, clockwise from the top), nearer
the middle the more articles they share; an edge's width and a node's size grow with that count.
Every node but the middle one links to its entity page. Names come from articles, so they enter only
through ``Markup.format``, which escapes them; colours are CSS classes by type (``t-per``, ``t-org``,
``t-loc``, ``t-other``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

LOGGER = logging.getLogger(__name__)

GRAPH_NODES = 12
"""Co-mentioned entities drawn at most (the most co-mentioned)."""
LABEL_CHARS = 26
_TYPE_CLASS = {"PER": "t-per", "PERSON": "t-per", "ORG": "t-org", "LOC": "t-loc", "GPE": "t-loc"}


@dataclass(frozen=True, slots=True)
class GraphNode:
    """An entity in the graph: its name, type code, articles shared with the middle one, its link."""

    name: str
    type: str
    n: int
    href: str


@dataclass(frozen=True, slots=True)
class Placed:
    """A node with its place and size."""

    node: GraphNode
    x: float
    y: float
    r: float


def type_class(code: str) -> str:
    return _TYPE_CLASS.get(code.upper(), "t-other")


def layout(
    others: Sequence[GraphNode], *, width: float, height: float
) -> tuple[tuple[float, float], list[Placed]]:
    """The middle point and each node's place: on an ellipse, evenly spread in the order given,
    at 55 % (the most co-mentioned) to 100 % of the radii."""
    cx, cy = width / 2, height / 2
    rx, ry = width / 2 - 150, height / 2 - 40
    top = max((o.n for o in others), default=0) or 1
    placed = []
    for k, node in enumerate(others):
        angle = -math.pi / 2 + 2 * math.pi * k / max(len(others), 1)
        reach = 1.0 - 0.45 * node.n / top
        placed.append(
            Placed(
                node,
                cx + rx * reach * math.cos(angle),
                cy + ry * reach * math.sin(angle),
                6.0 + 6.0 * math.sqrt(node.n / top),
            )
        )
    return (cx, cy), placed


def _fmt(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def co_graph(
    focus: GraphNode, others: Sequence[GraphNode], *, title: str, width: int = 760, height: int = 420
) -> Markup:
    """The network of ``focus`` and (at most ``GRAPH_NODES`` of) ``others``; empty without others."""
    kept = sorted(others, key=lambda o: -o.n)[:GRAPH_NODES]
    if not kept:
        return Markup("")
    (cx, cy), placed = layout(kept, width=width, height=height)
    top = max(o.n for o in kept) or 1
    out = [
        Markup(
            '<svg class="graph" viewBox="0 0 {w} {h}" role="img" aria-label="{t}"><title>{t}</title>'
        ).format(w=width, h=height, t=title)
    ]
    for p in placed:
        out.append(
            Markup(
                '<line class="edge" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{sw}">'
                "<title>{a} and {b}: {n}</title></line>"
            ).format(
                x1=_fmt(cx),
                y1=_fmt(cy),
                x2=_fmt(p.x),
                y2=_fmt(p.y),
                sw=_fmt(1.5 + 6.5 * p.node.n / top),
                a=focus.name,
                b=p.node.name,
                n=_articles(p.node.n),
            )
        )
    for p in placed:
        dx = p.x - cx
        anchor = "middle" if abs(dx) < width * 0.08 else ("start" if dx > 0 else "end")
        tx = p.x + (0 if anchor == "middle" else (p.r + 5 if dx > 0 else -p.r - 5))
        ty = p.y + (p.r + 14 if anchor == "middle" and p.y > cy else (-p.r - 6 if anchor == "middle" else 4))
        out.append(
            Markup(
                '<a class="node {c}" href="{href}"><title>{name}: {n} with {f}</title>'
                '<circle cx="{x}" cy="{y}" r="{r}"/>'
                '<text x="{tx}" y="{ty}" text-anchor="{a}">{label}</text></a>'
            ).format(
                c=type_class(p.node.type),
                href=p.node.href,
                name=p.node.name,
                n=_articles(p.node.n),
                f=focus.name,
                x=_fmt(p.x),
                y=_fmt(p.y),
                r=_fmt(p.r),
                tx=_fmt(tx),
                ty=_fmt(ty),
                a=anchor,
                label=_short(p.node.name),
            )
        )
    out.append(
        Markup(
            '<g class="node focus {c}"><title>{name}</title><circle cx="{x}" cy="{y}" r="14"/>'
            '<text x="{x}" y="{ty}" text-anchor="middle">{label}</text></g></svg>'
        ).format(
            c=type_class(focus.type),
            name=focus.name,
            x=_fmt(cx),
            y=_fmt(cy),
            ty=_fmt(cy + 30),
            label=_short(focus.name),
        )
    )
    return Markup("").join(out)
