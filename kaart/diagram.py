"""Static SVG diagrams of part of the graph, drawn at build time: no JavaScript, printable, nodes are links.

Layouts are deterministic and nearly free (a fixed order, no simulation): a factsheet's
neighbourhood is radial (the sheet in the centre, its neighbours on rings grouped by relation),
a reform is drawn in columns (before, after, proposed). Every piece of text is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import networkx as nx

from . import registry
from .graph import distinct_neighbours
from .model import sort_key

# Colours pass 3:1 against white (WCAG 1.4.11 for graphics); dashes tell relations apart in print.
RELATION_STYLES: dict[str, tuple[str, str]] = {
    "vervangt": ("#b3261e", ""),
    "leidt-naar": ("#1a5fb4", ""),
    "variant-van": ("#6a3d9a", "6 3"),
    "onderdeel-van": ("#2e7d32", "2 3"),
    "combineerbaar-met": ("#8a5a00", "8 4"),
    "zie-ook": ("#5f6368", "1 4"),
    "biedt-aan": ("#00695c", "4 2"),
    "neemt-deel-aan": ("#ad1457", "5 2 1 2"),
}
KIND_COLOURS: dict[str, str] = {
    "subsidie": "#1565c0",
    "begeleiding": "#2e7d32",
    "opleiding": "#c43e00",
    "informatie": "#6a1b9a",
}
NO_KIND_COLOUR = "#616161"
ORGANISATION_COLOUR = "#37474f"
MAX_LABEL = 24
RING2_LIMIT = 24  # beyond this the second ring turns into a hairball: show radius 1 only


def node_colour(data: dict) -> str:
    if data["type"] == "organisatie":
        return ORGANISATION_COLOUR
    return KIND_COLOURS.get(data["kinds"][0], NO_KIND_COLOUR) if data["kinds"] else NO_KIND_COLOUR


def short_label(data: dict) -> str:
    text = data["short"]
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


@dataclass(frozen=True)
class Placed:
    node: str
    x: float
    y: float
    ring: int
    angle: float | None = None  # radians, for labels on a ring
    radial_label: bool = False  # crowded rings write labels along the radius so they do not overlap


@dataclass(frozen=True)
class Drawn:
    source: str
    target: str
    relation: str


# --- radial neighbourhood ---------------------------------------------------------------------

def _relation_order() -> dict[str, int]:
    return {key: i for i, key in enumerate(registry.RELATION_TYPES)}


def ring_groups(graph: nx.MultiDiGraph, centre: str) -> list[tuple[str, str, list[str]]]:
    """[(relation type, label as read from the centre, neighbours)], in registry order, each neighbour once."""
    order = _relation_order()
    seen: set[str] = set()
    groups: dict[tuple[int, bool, str], list[str]] = {}
    incident = [(key, v, True) for _, v, key in graph.out_edges(centre, keys=True)]
    incident += [(key, u, False) for u, _, key in graph.in_edges(centre, keys=True)]
    for key, other, outgoing in sorted(incident, key=lambda e: (order[e[0]], not e[2], e[1])):
        if other == centre or other in seen:
            continue
        seen.add(other)
        rtype = registry.RELATION_TYPES[key]
        label = rtype.label if outgoing or rtype.symmetric else rtype.inverse_label
        groups.setdefault((order[key], not outgoing and not rtype.symmetric, label), []).append(other)
    return [(list(registry.RELATION_TYPES)[k[0]], k[2], sorted(members, key=lambda n: sort_key(graph.nodes[n]["label"])))
            for k, members in sorted(groups.items())]


class RingGroupsMemo:
    """`ring_groups` of each node, computed once per graph: drawing every factsheet's neighbourhood
    asks for a node's groups once for the node and once for each of its neighbours."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self._groups: dict[str, list[tuple[str, str, list[str]]]] = {}
        self._sort_keys: dict[str, str] = {}

    def __call__(self, node: str) -> list[tuple[str, str, list[str]]]:
        if node not in self._groups:
            self._groups[node] = ring_groups(self.graph, node)
        return self._groups[node]

    def sort_key(self, node: str) -> str:
        """The node's label as `sort_key` orders it, computed once per node."""
        key = self._sort_keys.get(node)
        if key is None:
            key = self._sort_keys[node] = sort_key(self.graph.nodes[node]["label"])
        return key


def radial_layout(graph: nx.MultiDiGraph, centre: str, radius: int = 2,
                  memo: RingGroupsMemo | None = None) -> tuple[list[Placed], list[Drawn]]:
    groups_of = memo if memo is not None and memo.graph is graph else RingGroupsMemo(graph)
    groups = groups_of(centre)
    first = [n for _, _, members in groups for n in members]
    slots = len(first) + len(groups)  # one empty slot between groups
    ring1 = 90 + 9 * max(0, len(first) - 6)
    placed = [Placed(centre, 0.0, 0.0, 0)]
    drawn = []
    slot = 0
    parent_angle: dict[str, float] = {}
    for relation, _, members in groups:
        for node in members:
            angle = -math.pi / 2 + 2 * math.pi * slot / max(slots, 1)
            parent_angle[node] = angle
            placed.append(Placed(node, ring1 * math.cos(angle), ring1 * math.sin(angle), 1, angle, len(first) > 10))
            drawn.append(Drawn(centre, node, relation))
            slot += 1
        slot += 1
    if radius >= 2:
        second = _second_ring(graph, centre, first, parent_angle, groups_of)
        if second:
            ring2 = ring1 + 110
            for i, (node, parent, relation) in enumerate(second):
                angle = parent_angle[parent] if len(second) == 1 else _spread(second, i, parent_angle)
                placed.append(Placed(node, ring2 * math.cos(angle), ring2 * math.sin(angle), 2, angle, len(second) > 8))
                drawn.append(Drawn(parent, node, relation))
    return placed, drawn


def _second_ring(graph: nx.MultiDiGraph, centre: str, first: list[str], parent_angle: dict[str, float],
                 groups_of: RingGroupsMemo) -> list[tuple[str, str, str]]:
    """Neighbours of neighbours, each under the first ring node that comes first in ring order;
    empty when there are more than RING2_LIMIT (stops counting there: a hub's hundreds are not sorted
    only to be left out)."""
    known = {centre, *first}
    result = []
    for parent in first:
        for relation, _, members in groups_of(parent):
            for node in members:
                if node not in known:
                    known.add(node)
                    result.append((node, parent, relation))
                    if len(result) > RING2_LIMIT:
                        return []
    return sorted(result, key=lambda r: (parent_angle[r[1]], groups_of.sort_key(r[0])))


def _spread(second: list[tuple[str, str, str]], i: int, parent_angle: dict[str, float]) -> float:
    """Evenly spaced around the outer ring, in the order of their parents, starting near the first parent."""
    start = parent_angle[second[0][1]]
    return start + 2 * math.pi * i / len(second)


# --- columns (a reform: before → after) --------------------------------------------------------

def column_layout(columns: list[list[str]], edges: list[Drawn]) -> tuple[list[Placed], list[Drawn]]:
    placed = []
    for c, column in enumerate(columns):
        top = -(len(column) - 1) * 70 / 2
        for r, node in enumerate(column):
            placed.append(Placed(node, c * 330.0, top + r * 70, 1))
    ids = {p.node for p in placed}
    return placed, [e for e in edges if e.source in ids and e.target in ids]


# --- SVG --------------------------------------------------------------------------------------

def render_svg(graph: nx.MultiDiGraph, placed: list[Placed], drawn: list[Drawn], *, title: str, desc: str,
               root: str, id_prefix: str = "nb") -> str:
    """The SVG markup; `root` is the relative path from the page to the site root (e.g. '../../')."""
    where = {p.node: p for p in placed}
    relations = sorted({d.relation for d in drawn}, key=list(registry.RELATION_TYPES).index)
    min_x, max_x, min_y, max_y = _bounds(placed)
    legend_y = max_y + 40
    height = legend_y + 22 * len(relations) + 10 - min_y
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph-svg" viewBox="{_n(min_x)} {_n(min_y)} '
        f'{_n(max_x - min_x)} {_n(height)}" width="{_n(max_x - min_x)}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="system-ui, sans-serif">',
        # A white halo keeps labels readable where they cross a line.
        '<style>.graph-svg text{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;fill:#1b1b1b}</style>',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
        _markers(relations, id_prefix),
    ]
    parts += [_edge(graph, where[d.source], where[d.target], d.relation, id_prefix) for d in drawn]
    parts += [_node(graph, p, root) for p in placed]
    parts += _legend(relations, min_x + 10, legend_y)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _n(value: float) -> str:
    """Numbers as short, stable text: one decimal at most."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _bounds(placed: list[Placed]) -> tuple[float, float, float, float]:
    xs = [p.x for p in placed]
    ys = [p.y for p in placed]
    label_room = 170
    vertical = label_room if any(p.radial_label for p in placed) else 40
    return min(xs) - label_room, max(xs) + label_room, min(ys) - vertical, max(ys) + vertical - 20


def _markers(relations: list[str], prefix: str) -> str:
    defs = []
    for relation in relations:
        colour, _ = RELATION_STYLES[relation]
        if registry.RELATION_TYPES[relation].symmetric:
            continue
        defs.append(f'<marker id="{prefix}-arrow-{relation}" viewBox="0 0 10 10" refX="10" refY="5" '
                    f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                    f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    return f"<defs>{''.join(defs)}</defs>"


def _edge(graph: nx.MultiDiGraph, a: Placed, b: Placed, relation: str, prefix: str) -> str:
    """A line from source to target of the stated relation (drawn from either end), shortened to the node rims."""
    colour, dash = RELATION_STYLES[relation]
    source, target = (a, b) if graph.has_edge(a.node, b.node, key=relation) else (b, a)
    dx, dy = target.x - source.x, target.y - source.y
    length = math.hypot(dx, dy) or 1.0
    start, end = _radius(source) + 2, _radius(target) + 4
    x1, y1 = source.x + dx / length * start, source.y + dy / length * start
    x2, y2 = target.x - dx / length * end, target.y - dy / length * end
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    arrow = "" if registry.RELATION_TYPES[relation].symmetric else f' marker-end="url(#{prefix}-arrow-{relation})"'
    return (f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}{arrow}/>')


def _radius(p: Placed) -> float:
    return 14.0 if p.ring == 0 else 9.0


def _node(graph: nx.MultiDiGraph, p: Placed, root: str) -> str:
    data = graph.nodes[p.node]
    colour = node_colour(data)
    r = _radius(p)
    if data["type"] == "organisatie":
        shape = (f'<rect x="{_n(p.x - r)}" y="{_n(p.y - r)}" width="{_n(2 * r)}" height="{_n(2 * r)}" rx="3" '
                 f'fill="{colour}" stroke="#fff" stroke-width="1.5"/>')
    else:
        shape = f'<circle cx="{_n(p.x)}" cy="{_n(p.y)}" r="{_n(r)}" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
    return (f'<a href="{escape(root + data["url"])}"><title>{escape(data["label"])}</title>{shape}'
            f'{_label(data, p)}</a>')


def _label(data: dict, p: Placed) -> str:
    text = escape(short_label(data))
    if p.ring == 0 or p.angle is None:
        weight = ' font-weight="700"' if p.ring == 0 else ""
        return (f'<text x="{_n(p.x)}" y="{_n(p.y + _radius(p) + 15)}" text-anchor="middle" font-size="13"'
                f'{weight}>{text}</text>')
    cos = math.cos(p.angle)
    offset = _radius(p) + 5
    anchor = "start" if cos >= -1e-9 else "end"
    x = p.x + offset * cos
    y = p.y + offset * math.sin(p.angle)
    if not p.radial_label:
        return f'<text x="{_n(x)}" y="{_n(y + 4)}" text-anchor="{anchor}" font-size="12">{text}</text>'
    degrees = math.degrees(p.angle) + (0 if anchor == "start" else 180)
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" dominant-baseline="middle" font-size="12" '
            f'transform="rotate({_n(degrees)} {_n(x)} {_n(y)})">{text}</text>')


def _legend(relations: list[str], x: float, y: float) -> list[str]:
    rows = []
    for i, relation in enumerate(relations):
        colour, dash = RELATION_STYLES[relation]
        rt = registry.RELATION_TYPES[relation]
        label = rt.label if rt.symmetric else f"{rt.label} / {rt.inverse_label}"
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        row_y = y + i * 22
        rows.append(f'<line x1="{_n(x)}" y1="{_n(row_y)}" x2="{_n(x + 36)}" y2="{_n(row_y)}" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                    f'<text x="{_n(x + 44)}" y="{_n(row_y + 4)}" font-size="12">{escape(label)}</text>')
    return rows


def neighbourhood_svg(graph: nx.MultiDiGraph, centre: str, root: str, radius: int = 2,
                      memo: RingGroupsMemo | None = None) -> str:
    placed, drawn = radial_layout(graph, centre, radius, memo)
    label = graph.nodes[centre]["label"]
    count = len(distinct_neighbours(graph, centre))
    desc = (f"{label} in het midden, met {count} rechtstreeks verbonden fiche(s) op de binnenste ring, "
            "gegroepeerd per soort relatie. Dezelfde relaties staan als lijst onder 'Samenhang met andere fiches'.")
    return render_svg(graph, placed, drawn, title=f"Buurt van {label} in de graaf", desc=desc, root=root)
