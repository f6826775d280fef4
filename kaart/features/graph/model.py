"""Derived view: the relationship graph of the knowledge base, its checks and its analyses.

One networkx MultiDiGraph holds every sheet (node) and every stated relation (edge, keyed by
its relation type, so two sheets can be linked in more than one way). Relation types and
their inverse names come from `registry.RELATION_TYPES`; an inverse is never stored, it is
read from the edge's direction.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kaart.core import registry
from kaart.core.model import Initiative, KnowledgeBase, sort_key

if TYPE_CHECKING:
    import numpy as np

# The edge list key of the exported node-link JSON (networkx >= 3.4 default; older versions wrote "links").
EDGES_KEY = "edges"


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Nodes carry what the site filters and draws by; edges carry the relation and where it was stated."""
    graph = nx.MultiDiGraph()
    for sheet in sorted(kb.sheets.values(), key=lambda s: s.id):
        cells = sheet.cellen if isinstance(sheet, Initiative) else ()
        graph.add_node(
            sheet.id,
            label=sheet.display_title,
            short=sheet.afkorting or sheet.titel,
            type=sheet.type,
            kinds=sorted({c.soort for c in cells}),
            situations=sorted({c.situatie for c in cells}),
            status=getattr(sheet, "status", None),
            url=sheet.url,
        )
    for rel in kb.relations:
        graph.add_edge(rel.source, rel.target, key=rel.type, type=rel.type,
                       toelichting=rel.toelichting, origin=str(rel.origin))
    return graph


# --- checks -----------------------------------------------------------------------------------

def typed_subgraph(graph: nx.MultiDiGraph, relation_type: str) -> nx.DiGraph:
    sub = nx.DiGraph()
    sub.add_edges_from((u, v, data) for u, v, key, data in graph.edges(keys=True, data=True) if key == relation_type)
    return sub


def routes(graph: nx.MultiDiGraph) -> list[tuple[str, ...]]:
    """Every maximal path of "leidt naar": from a sheet nothing leads to, to a sheet that leads nowhere."""
    steps = typed_subgraph(graph, "leidt-naar")
    starts = sorted(n for n in steps if steps.in_degree(n) == 0)
    ends = {n for n in steps if steps.out_degree(n) == 0}
    found = []
    for start in starts:
        for path in nx.all_simple_paths(steps, start, ends):
            found.append(tuple(path))
    return sorted(found)


def route_stages(graph: nx.MultiDiGraph, start: str) -> list[list[str]]:
    """The steps after `start` as stages: a sheet stands at its longest distance from the start.

    Sheets in one stage are alternatives ("OS of BIS"); stage n+1 follows on stage n.
    """
    steps = typed_subgraph(graph, "leidt-naar")
    if start not in steps:
        return [[start]] if start in graph else []
    reachable = steps.subgraph(nx.descendants(steps, start) | {start})
    depth = {start: 0}
    for node in nx.topological_sort(reachable):
        for successor in reachable.successors(node):
            depth[successor] = max(depth.get(successor, 0), depth[node] + 1)
    stages: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for node, level in depth.items():
        stages[level].append(node)
    return [sorted(stage, key=lambda n: sort_key(graph.nodes[n]["label"])) for stage in stages]


def distinct_neighbours(graph: nx.MultiDiGraph, node: str) -> set[str]:
    return (set(graph.successors(node)) | set(graph.predecessors(node))) - {node}


def hubs(graph: nx.MultiDiGraph, limit: int = 10) -> list[tuple[str, int]]:
    """The most connected initiatives: (id, number of distinct sheets it is related to)."""
    degrees = [(n, len(distinct_neighbours(graph, n))) for n, data in graph.nodes(data=True)
               if data["type"] == "initiatief"]
    ranked = sorted((d for d in degrees if d[1] > 0), key=lambda d: (-d[1], sort_key(graph.nodes[d[0]]["label"])))
    return ranked[:limit]


def unconnected(graph: nx.MultiDiGraph) -> list[str]:
    """Sheets with no relation at all, in either direction (an `aanbieders` entry counts)."""
    return sorted((n for n in graph if graph.degree(n) == 0), key=lambda n: sort_key(graph.nodes[n]["label"]))


# --- layout of the whole map ------------------------------------------------------------------
# numpy is imported where the layout is computed (in a process forked for it, `graph.pages`), not
# with this module: a build's factsheet pages need the graph but not the layout, and importing numpy
# took 0.05 s of the time before Pagefind can start.

@dataclass(frozen=True)
class LayoutSettings:
    iterations: int = 60
    spacing: float = 90.0  # pixels between neighbouring nodes in the exported positions


def force_layout(graph: nx.MultiDiGraph, settings: LayoutSettings = LayoutSettings()) -> dict[str, tuple[float, float]]:
    """Every sheet's place on the map: the connected ones by forces, the others in a grid below."""
    result = connected_layout(graph, settings)
    result.update(isolated_grid(graph, result, settings.spacing))
    return result


def connected_layout(graph: nx.MultiDiGraph, settings: LayoutSettings = LayoutSettings()) -> dict[str, tuple[float, float]]:
    """A deterministic Fruchterman-Reingold layout with grid-binned repulsion, vectorised with numpy.

    Repulsion only counts nodes in neighbouring grid cells, so an iteration costs O(nodes + edges +
    close pairs) instead of O(nodes²). Start positions lie on a golden-angle spiral in a fixed order
    (no randomness); sums use `np.bincount`, which adds in index order, so the result does not depend
    on the CPU's vector width. It reads only the edges (which nodes are connected, their degree),
    never a label: a renamed sheet keeps the map as it was.
    """
    import numpy as np

    connected = sorted((n for n in graph if graph.degree(n) > 0), key=lambda n: (-graph.degree(n), n))
    index = {n: i for i, n in enumerate(connected)}
    positions = _spiral(len(connected))
    pairs = np.array(sorted({tuple(sorted((index[u], index[v]))) for u, v in graph.edges() if u != v}),
                     dtype=np.int64).reshape(-1, 2)
    temperature = math.sqrt(len(connected) or 1) / 4
    # Repulsion is local, so gravity must weaken as the map grows or it packs the middle solid.
    gravity = 0.2 / math.sqrt(len(connected) or 1)
    for step in range(settings.iterations if len(connected) else 0):
        moves = _repulsion(positions) + _attraction(positions, pairs)
        moves -= gravity * positions  # keeps separate components together
        length = np.sqrt(moves[:, 0] * moves[:, 0] + moves[:, 1] * moves[:, 1])
        length[length == 0] = 1.0
        shift = np.minimum(length, temperature * (1 - step / settings.iterations))
        positions = positions + moves / length[:, None] * shift[:, None]
    return {n: (round(float(x) * settings.spacing, 1), round(float(y) * settings.spacing, 1))
            for n, (x, y) in zip(connected, positions.tolist())}


def _spiral(count: int) -> np.ndarray:
    import numpy as np

    golden = math.pi * (3 - math.sqrt(5))
    return np.array([(math.sqrt(i + 0.5) * math.cos(i * golden), math.sqrt(i + 0.5) * math.sin(i * golden))
                     for i in range(count)], dtype=np.float64).reshape(-1, 2)


def _repulsion(positions: np.ndarray, cell_size: float = 2.0) -> np.ndarray:
    """Push every node away from the nodes in its own and the eight surrounding grid cells."""
    import numpy as np

    count = len(positions)
    cells = np.floor(positions / cell_size).astype(np.int64)
    cells -= cells.min(axis=0) - 1  # no negative cell numbers, a free border for the offsets
    width = int(cells[:, 1].max()) + 2
    keys = cells[:, 0] * width + cells[:, 1]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    occupied, starts, sizes = np.unique(sorted_keys, return_index=True, return_counts=True)
    # Worked on in cell order, each coordinate contiguous: the neighbours of a node lie side by side.
    xs, ys = positions[order, 0], positions[order, 1]
    push_x, push_y = np.zeros(count), np.zeros(count)
    nodes = np.arange(count)
    for offset in (-width - 1, -width, -width + 1, -1, 0, 1, width - 1, width, width + 1):
        wanted = sorted_keys + offset
        slot = np.minimum(np.searchsorted(occupied, wanted), len(occupied) - 1)
        found = occupied[slot] == wanted
        neighbours = np.where(found, sizes[slot], 0)
        first = np.where(found, starts[slot], 0)
        # One row per (node, node in that neighbouring cell), built without a Python loop.
        mine = np.repeat(nodes, neighbours)
        theirs = first[mine] + np.arange(len(mine)) - np.repeat(np.cumsum(neighbours) - neighbours, neighbours)
        dx = xs[mine] - xs[theirs]
        dy = ys[mine] - ys[theirs]
        dist2 = dx * dx + dy * dy
        # A node paired with itself (dx = dy = 0) adds exactly 0.0: no need to filter those pairs out.
        dist2[dist2 == 0] = 1e-4
        push_x += np.bincount(mine, weights=dx / dist2, minlength=count)
        push_y += np.bincount(mine, weights=dy / dist2, minlength=count)
    pushes = np.empty((count, 2))
    pushes[order, 0] = push_x
    pushes[order, 1] = push_y
    return pushes


def _attraction(positions: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Pull related nodes together, by the square of their distance."""
    import numpy as np

    count = len(positions)
    u, v = pairs[:, 0], pairs[:, 1]
    dx = positions[u, 0] - positions[v, 0]
    dy = positions[u, 1] - positions[v, 1]
    dist = np.sqrt(dx * dx + dy * dy)
    fx, fy = dx * dist, dy * dist
    return np.stack([np.bincount(v, weights=fx, minlength=count) - np.bincount(u, weights=fx, minlength=count),
                     np.bincount(v, weights=fy, minlength=count) - np.bincount(u, weights=fy, minlength=count)],
                    axis=1)


def isolated_grid(graph: nx.MultiDiGraph, placed: dict[str, tuple[float, float]],
                   spacing: float) -> dict[str, tuple[float, float]]:
    isolated = unconnected(graph)
    if not isolated:
        return {}
    left = min((x for x, _ in placed.values()), default=0.0)
    top = max((y for _, y in placed.values()), default=0.0) + 2 * spacing
    columns = max(4, math.ceil(math.sqrt(len(isolated))))
    return {n: (round(left + (i % columns) * 2 * spacing, 1), round(top + (i // columns) * spacing, 1))
            for i, n in enumerate(isolated)}


# --- export -----------------------------------------------------------------------------------

def browser_graph(graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> nx.MultiDiGraph:
    """A slim copy with only what the viewer draws and filters by: no notes, no source locations."""
    slim = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        x, y = positions[node]
        slim.add_node(node, label=data["label"], short=data["short"], type=data["type"], kinds=data["kinds"],
                      situations=data["situations"], status=data["status"], url=data["url"],
                      degree=len(distinct_neighbours(graph, node)), x=x, y=y)
    for u, v, key in graph.edges(keys=True):
        slim.add_edge(u, v, key=key)
    slim.graph.update({
        "relation_types": {k: {"label": rt.label, "inverse": rt.inverse_label, "symmetric": rt.symmetric}
                           for k, rt in registry.RELATION_TYPES.items()},
        "kinds": registry.kinds(),
        "situations": registry.situations(),
    })
    return slim


def node_link_json(graph: nx.MultiDiGraph) -> bytes:
    """networkx node-link data with the edge list under `EDGES_KEY`, compact and key-sorted (deterministic)."""
    data = nx.node_link_data(graph, edges=EDGES_KEY)
    data[EDGES_KEY] = sorted(data[EDGES_KEY], key=lambda e: (e["source"], e["key"], e["target"]))
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
