"""The graph on the site: /graaf/ (interactive, with a full text alternative), its JSON, route pages,
reform pages, and the neighbourhood diagram on every factsheet page."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx
from markupsafe import Markup

from kaart.core import registry
from kaart.features.graph import diagram, model as graph
from kaart.core.store import Store
from kaart.core.workers import Ahead
from kaart.core.model import Initiative, KnowledgeBase, Sheet, sort_key
from kaart.features.output import DataFile, Output, Page

JSON_PATH = "graaf/graaf.json"


@dataclass(frozen=True)
class StatedRelation:
    """One relation as the text alternative lists it."""

    source: Sheet
    target: Sheet
    toelichting: str | None


@dataclass(frozen=True)
class RouteStep:
    sheet: Sheet
    follows: tuple[tuple[Sheet, str | None], ...]  # (previous step, note on that "leidt naar")
    variants: tuple[Sheet, ...]
    parts: tuple[Sheet, ...]


def graph_of(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Built once per knowledge base: the emitter and the factsheet provider share it."""
    return kb.derived("graph", lambda: graph.build_graph(kb))


def relations_by_type(kb: KnowledgeBase) -> list[tuple[registry.RelationType, list[StatedRelation]]]:
    grouped: dict[str, list[StatedRelation]] = {}
    for rel in kb.relations:
        grouped.setdefault(rel.type, []).append(StatedRelation(kb.sheets[rel.source], kb.sheets[rel.target],
                                                               rel.toelichting))
    return [(rt, sorted(grouped[key], key=lambda r: (sort_key(r.source.titel), sort_key(r.target.titel))))
            for key, rt in registry.RELATION_TYPES.items() if key in grouped]


def _sheets(kb: KnowledgeBase, ids) -> tuple[Sheet, ...]:
    return tuple(sorted((kb.sheets[i] for i in set(ids)), key=lambda s: sort_key(s.titel)))


def _note(g: nx.MultiDiGraph, source: str, target: str, key: str) -> str | None:
    return g.edges[source, target, key].get("toelichting")


def route_steps(kb: KnowledgeBase, route: registry.Route) -> list[list[RouteStep]]:
    g = graph_of(kb)
    stages = graph.route_stages(g, route.start)
    steps = []
    for level, stage in enumerate(stages):
        previous = set(stages[level - 1]) if level else set()
        row = []
        for node in stage:
            follows = tuple((kb.sheets[p], _note(g, p, node, "leidt-naar")) for p in sorted(previous)
                            if g.has_edge(p, node, key="leidt-naar"))
            variants = [u for u, _, key in g.in_edges(node, keys=True) if key == "variant-van"]
            parts = [u for u, _, key in g.in_edges(node, keys=True) if key == "onderdeel-van"]
            row.append(RouteStep(kb.sheets[node], follows, _sheets(kb, variants), _sheets(kb, parts)))
        steps.append(row)
    return steps


@dataclass(frozen=True)
class ReformSheet:
    sheet: Sheet
    links: tuple[tuple[str, Sheet, str | None], ...]  # (label as read from this sheet, other sheet, note)


def reform_groups(kb: KnowledgeBase, reform: registry.Reform) -> dict[str, list[str]]:
    """Who belongs to a reform, read from the relations and statuses (nothing is listed by hand):

    before: what the centre replaces, plus abolished or phasing-out measures related to those or the centre;
    after: the centre and where the old measures lead; proposed: proposals related to either side.
    """
    g = graph_of(kb)
    centre = reform.centre
    if centre not in g:
        return {"before": [], "after": [], "proposed": []}
    replaced = {v for _, v, key in g.out_edges(centre, keys=True) if key == "vervangt"}
    ending = {"afgeschaft", "uitdovend"}
    before = replaced | {n for n in graph.distinct_neighbours(g, centre) | _around(g, replaced)
                         if g.nodes[n]["status"] in ending}
    after = {centre} | {v for u in before for _, v, key in g.out_edges(u, keys=True)
                        if key == "leidt-naar" and g.nodes[v]["status"] == "actief"}
    proposed = {n for n in _around(g, before | after) if g.nodes[n]["status"] in ("voorgesteld", "gepland")}
    order = lambda ids: sorted(ids - {centre}, key=lambda n: sort_key(g.nodes[n]["label"]))  # noqa: E731
    return {"before": order(before), "after": [centre] + order(after), "proposed": order(proposed - before - after)}


def _around(g: nx.MultiDiGraph, nodes: set[str]) -> set[str]:
    return {m for n in nodes for m in graph.distinct_neighbours(g, n)}


def reform_context(kb: KnowledgeBase, reform: registry.Reform) -> dict[str, Any]:
    g = graph_of(kb)
    groups = reform_groups(kb, reform)
    members = [n for ids in groups.values() for n in ids]
    inside = set(members)
    edges = [diagram.Drawn(u, v, key) for u, v, key in sorted(g.edges(keys=True))
             if u in inside and v in inside and key != "biedt-aan"]
    placed, drawn = diagram.column_layout([groups["before"], groups["after"], groups["proposed"]], edges)
    svg = placed and diagram.render_svg(g, placed, drawn, title=reform.title, root="../", id_prefix="hv",
                                        desc="Links de maatregelen van voor de hervorming, in het midden wat ze vervangt of "
                                  "waar ze naartoe leiden, rechts voorstellen. Dezelfde samenhang staat hieronder "
                                  "als tekst.")
    milestones = sorted(((m, kb.sheets[n]) for n in members if isinstance(kb.sheets[n], Initiative)
                         for m in kb.sheets[n].mijlpalen), key=lambda pair: (pair[0].datum, sort_key(pair[1].titel)))
    return {
        "reform": reform,
        "groups": {name: [ReformSheet(kb.sheets[n], _reform_links(kb, n, inside)) for n in ids]
                   for name, ids in groups.items()},
        "milestones": milestones,
        "diagram": Markup(svg) if svg else None,
        "page_title": reform.title,
    }


def _reform_links(kb: KnowledgeBase, node: str, inside: set[str]) -> tuple[tuple[str, Sheet, str | None], ...]:
    links = []
    for rel in kb.relations:
        if rel.type == "biedt-aan":
            continue
        if rel.source == node and rel.target in inside:
            links.append((rel.kind.label, kb.sheets[rel.target], rel.toelichting))
        elif rel.target == node and rel.source in inside:
            links.append((rel.kind.inverse_label, kb.sheets[rel.source], rel.toelichting))
    return tuple(links)


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Output]:
    g = graph_of(kb)
    positions = cached_layout(g, store or Store.off(), kb.derived("layout ahead", lambda: None))
    yield DataFile(JSON_PATH, graph.node_link_json(browser_graph_with_styles(g, positions)))
    yield Page("graaf/index.html", "graph", {
        "page_title": "Samenhang",
        "relation_groups": relations_by_type(kb),
        "hubs": [(kb.sheets[n], degree) for n, degree in graph.hubs(g)],
        "unconnected": [kb.sheets[n] for n in graph.unconnected(g)],
        "routes": registry.ROUTES,
        "reforms": registry.REFORMS,
        "relation_styles": diagram.RELATION_STYLES,
        "kind_colours": diagram.KIND_COLOURS,
        "relation_types": registry.RELATION_TYPES,
        "json_path": JSON_PATH,
    })
    for route in registry.ROUTES:
        yield Page(f"route/{route.key}/index.html", "route",
                   {"page_title": route.title, "route": route, "stages": route_steps(kb, route)})
    for reform in registry.REFORMS:
        yield Page(f"{reform.key}/index.html", "reform", reform_context(kb, reform))


# Below this many sheets the layout takes less than starting a process for it.
LAYOUT_AHEAD_FROM = 500


def start_layout(kb: KnowledgeBase, store: Store | None = None) -> None:
    """Start laying out the map in another process as soon as the model is read: it takes seconds
    at thousands of sheets, needs only the edges, and is done by the time the graph pages are made."""
    g = graph_of(kb)
    if len(g) >= LAYOUT_AHEAD_FROM and (store or Store.off()).get("layout", _layout_key(g)) is None:
        kb.derived("layout ahead", lambda: Ahead(lambda: _connected_layout_bytes(g)))


def cached_layout(g: nx.MultiDiGraph, store: Store, ahead: Ahead | None = None) -> dict[str, tuple[float, float]]:
    """The force layout costs seconds at a few thousand sheets but reads only the edges (the layout
    code is in the store's fingerprint), so it is kept under a digest of those: a changed title or
    status lays out nothing again. The grid of unconnected sheets, sorted by title, is cheap."""
    compute = ahead.result if ahead is not None else lambda: _connected_layout_bytes(g)
    placed = {node: (x, y) for node, (x, y) in json.loads(store.get_or_compute("layout", _layout_key(g), compute))}
    placed.update(graph.isolated_grid(g, placed, graph.LayoutSettings().spacing))
    return placed


def _layout_key(g: nx.MultiDiGraph) -> bytes:
    return json.dumps(sorted((u, v, k) for u, v, k in g.edges(keys=True)), ensure_ascii=False).encode("utf-8")


def _connected_layout_bytes(g: nx.MultiDiGraph) -> bytes:
    return json.dumps(sorted(graph.connected_layout(g).items())).encode("utf-8")


def browser_graph_with_styles(g: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> nx.MultiDiGraph:
    """The slim graph plus the drawing styles, so the browser and the SVGs share one definition."""
    slim = graph.browser_graph(g, positions)
    for node, data in slim.nodes(data=True):
        data["colour"] = diagram.node_colour(g.nodes[node])
    for key, info in slim.graph["relation_types"].items():
        info["colour"], info["dash"] = diagram.RELATION_STYLES[key]
    slim.graph["kind_colours"] = dict(diagram.KIND_COLOURS)
    return slim


def neighbourhood_provider(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], dict[str, Any]]:
    """Every factsheet page gets its neighbourhood as inline SVG (links work without JavaScript)."""
    g = graph_of(kb)
    memo = diagram.RingGroupsMemo(g)

    def provide(sheet: Sheet) -> dict[str, Any]:
        if not graph.distinct_neighbours(g, sheet.id):
            return {"neighbourhood_svg": None}
        root = "../" * sheet.url.count("/")
        return {"neighbourhood_svg": Markup(diagram.neighbourhood_svg(g, sheet.id, root, memo=memo))}

    return provide
