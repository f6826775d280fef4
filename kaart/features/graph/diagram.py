"""Static SVG diagrams of part of the graph, drawn at build time: no JavaScript, printable, nodes are links.

Layouts are deterministic and nearly free (a fixed order, no simulation): a factsheet's
neighbourhood is a tree (the sheet on top, its neighbours below, grouped by relation, narrow enough
to stay readable on a phone), a reform is drawn in columns (before, after, proposed). Every piece
of text is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import networkx as nx

from kaart.core import registry
from kaart.features.graph.model import distinct_neighbours
from kaart.core.model import sort_key

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


# --- a factsheet's neighbourhood: a tree that reads top to bottom --------------------------------

TREE_WIDTH = 300
GROUP_LIMIT = 8  # a fuller group shows GROUP_SHOWN members and one node for the rest
GROUP_SHOWN = 6
LINE_CHARS = 28  # a label wraps onto a second line past this many characters
TREE_LINE = 18
KIND_LEGEND_SHAPE = {"organisatie": "Organisatie (vierkant)", "": "Nog niet ingedeeld"}


def _wrapped(text: str) -> list[str]:
    """At most two lines of LINE_CHARS, broken between words; an over-long rest ends in an ellipsis."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > LINE_CHARS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], (" ".join(lines[1:]))[: LINE_CHARS - 1].rstrip() + "\u2026"]
    return [line if len(line) <= LINE_CHARS + 6 else line[: LINE_CHARS - 1] + "\u2026" for line in lines]


def _tree_text(x: float, y: float, lines: list[str], size: int, extra: str = "") -> str:
    spans = "".join(f'<tspan x="{_n(x)}" dy="{0 if i == 0 else TREE_LINE}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}"{extra}>{spans}</text>'


def _tree_node(data: dict, x: float, y: float, r: float) -> str:
    colour = node_colour(data)
    if data["type"] == "organisatie":
        return (f'<rect x="{_n(x - r)}" y="{_n(y - r)}" width="{_n(2 * r)}" height="{_n(2 * r)}" rx="2" '
                f'fill="{colour}" stroke="#fff" stroke-width="1.5"/>')
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'


def _kind_key(data: dict) -> str:
    return "organisatie" if data["type"] == "organisatie" else (data["kinds"][0] if data["kinds"] else "")


def neighbourhood_svg(graph: nx.MultiDiGraph, centre: str, root: str, memo: RingGroupsMemo | None = None) -> str:
    """The sheet at the top, below it its neighbours grouped by relation as read from the sheet, each a link.

    Narrow enough (TREE_WIDTH) to stay readable on a phone without shrinking; a group of more than
    GROUP_LIMIT shows GROUP_SHOWN and one line for the rest, linking to the full list on the page.
    """
    groups_of = memo if memo is not None and memo.graph is graph else RingGroupsMemo(graph)
    groups = groups_of(centre)
    data = graph.nodes[centre]
    label_x, trunk_x, node_x = 32.0, 12.0, 40.0
    title_lines = _wrapped(data["label"])
    parts = [_tree_node(data, trunk_x, 14, 10),
             _tree_text(label_x - 4, 19, title_lines, 15, ' font-weight="700"')]
    y = 19 + TREE_LINE * (len(title_lines) - 1) + 20
    lines, nodes = [], []
    shown_kinds = {_kind_key(data)}
    last_branch = 14.0
    count = 0
    for relation, label, members in groups:
        colour, dash = RELATION_STYLES[relation]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(_tree_text(label_x, y + 12, [label[:1].upper() + label[1:]], 13, ' class="nb-head"'))
        y += 22
        visible = members if len(members) <= GROUP_LIMIT else members[:GROUP_SHOWN]
        for member in visible:
            info = graph.nodes[member]
            shown_kinds.add(_kind_key(info))
            wrapped = _wrapped(info["label"])
            centre_y = y + 8
            lines.append(f'<line x1="{_n(trunk_x)}" y1="{_n(centre_y)}" x2="{_n(node_x - 8)}" y2="{_n(centre_y)}" '
                         f'stroke="{colour}" stroke-width="2"{dash_attr}/>')
            nodes.append(f'<a href="{escape(root + info["url"])}"><title>{escape(info["label"])}</title>'
                         f'{_tree_node(info, node_x, centre_y, 7)}{_tree_text(node_x + 14, centre_y + 5, wrapped, 14)}</a>')
            last_branch = centre_y
            count += 1
            y += max(24, TREE_LINE * len(wrapped) + 8)
        if len(visible) < len(members):
            rest = len(members) - len(visible)
            centre_y = y + 8
            lines.append(f'<line x1="{_n(trunk_x)}" y1="{_n(centre_y)}" x2="{_n(node_x - 8)}" y2="{_n(centre_y)}" '
                         f'stroke="{colour}" stroke-width="2"{dash_attr}/>')
            nodes.append(f'<a href="#relaties"><title>De volledige lijst: Samenhang met andere fiches</title>'
                         f'<circle cx="{_n(node_x)}" cy="{_n(centre_y)}" r="7" fill="#fff" stroke="{colour}" stroke-width="2"/>'
                         f'{_tree_text(node_x + 14, centre_y + 5, [f"en nog {rest} andere: zie de lijst"], 14)}</a>')
            last_branch = centre_y
            y += 24
        y += 6
    trunk = (f'<line x1="{_n(trunk_x)}" y1="24" x2="{_n(trunk_x)}" y2="{_n(last_branch)}" stroke="#8a929c" '
             'stroke-width="2"/>')
    legend = []
    kinds = [k for k in (*KIND_COLOURS, "organisatie", "") if k in shown_kinds]
    y += 8
    for kind in kinds:
        sample = {"type": "organisatie" if kind == "organisatie" else "initiatief", "kinds": [kind] if kind in KIND_COLOURS else []}
        text = KIND_LEGEND_SHAPE.get(kind) or registry.kinds()[kind]
        legend.append(_tree_node(sample, trunk_x, y + 7, 6) + _tree_text(trunk_x + 14, y + 12, [text], 13))
        y += 22
    height = y + 4
    desc = (f"{data['label']} bovenaan; eronder de {len(distinct_neighbours(graph, centre))} rechtstreeks verbonden "
            "fiche(s), gegroepeerd per soort relatie. De kleur van een bolletje is de soort hulp. Dezelfde relaties "
            "staan als lijst onder 'Samenhang met andere fiches'.")
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph-svg neighbourhood-svg" viewBox="0 0 {TREE_WIDTH} '
        f'{_n(height)}" width="{TREE_WIDTH}" height="{_n(height)}" aria-labelledby="nb-title nb-desc" '
        'font-family="system-ui, sans-serif">',
        '<style>.graph-svg text{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;fill:#1b1b1b}'
        '.graph-svg .nb-head{fill:#4a5360;font-style:italic}</style>',
        f'<title id="nb-title">Buurt van {escape(data["label"])} in de graaf</title>',
        f'<desc id="nb-desc">{escape(desc)}</desc>',
        trunk, *lines, *parts, *nodes, *legend, "</svg>",
    ]) + "\n"
