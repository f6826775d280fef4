"""The relationship graph: inverses, checks with locations, analyses, export."""

from __future__ import annotations

import json

from kaart.features.graph import model as graph
from kaart.content.project import read_knowledge_base
from tests.conftest import VALID_INITIATIVE


def relate(text_id: str, *relations: str) -> str:
    lines = "".join(f"      - {{{r}}}\n" for r in relations)
    return VALID_INITIATIVE.format(id=text_id) + "    relaties:\n" + lines


def messages(root) -> list[str]:
    _, problems = read_knowledge_base(root)
    return [p.format_text() for p in problems]


def test_inverse_relation_appears_on_the_target_without_being_stated(site_root):
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    labels = {group.label: [s.id for s in group.sheets] for group in kb.related("vop")}
    assert labels == {"vervangen door": ["imw"]}
    g = graph.build_graph(kb)
    assert g.has_edge("imw", "vop", key="vervangt") and not g.has_edge("vop", "imw")


def test_aanbieders_become_biedt_aan_edges(site_root):
    kb, _ = read_knowledge_base(site_root)
    g = graph.build_graph(kb)
    assert g.has_edge("vdab", "imw", key="biedt-aan")
    assert g.edges["vdab", "imw", "biedt-aan"]["origin"] == "initiatives/imw.yaml:18:14"


def test_cycle_in_a_route_is_reported_at_every_relation_of_the_cycle(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", relate("a", "type: leidt-naar, doel: b"))
    write_sheet("initiatives/b.yaml", relate("b", "type: leidt-naar, doel: c"))
    write_sheet("initiatives/c.yaml", relate("c", "type: leidt-naar, doel: a"))
    found = messages(site_root)
    assert len(found) == 3
    assert found[0].startswith("initiatives/a.yaml:10:5: error: kringloop in 'leidt naar': a → b → c → a")
    assert found[1].startswith("initiatives/b.yaml:10:5: error: kringloop in 'leidt naar'")
    assert found[2].startswith("initiatives/c.yaml:10:5: error: kringloop in 'leidt naar'")
    assert "initiatives/c.yaml:10:5" in found[0]  # the hint names every place to look


def test_parts_that_contain_each_other_are_a_cycle(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", relate("a", "type: onderdeel-van, doel: b"))
    write_sheet("initiatives/b.yaml", relate("b", "type: onderdeel-van, doel: a"))
    assert [m.split(" (")[0] for m in messages(site_root)] == [
        "initiatives/a.yaml:10:5: error: kringloop in 'onderdeel van': a → b → a",
        "initiatives/b.yaml:10:5: error: kringloop in 'onderdeel van': a → b → a",
    ]


def test_mutual_replacement_is_reported_on_both_sheets(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", relate("a", "type: vervangt, doel: b"))
    write_sheet("initiatives/b.yaml", relate("b", "type: vervangt, doel: a"))
    assert messages(site_root) == [
        "initiatives/a.yaml:10:5: error: tegenspraak: 'a' en 'b' vervangen elkaar (houd één richting)",
        "initiatives/b.yaml:10:5: error: tegenspraak: 'b' en 'a' vervangen elkaar (houd één richting)",
    ]


def test_symmetric_relation_stated_on_both_sheets_is_reported_once_where_it_repeats(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", relate("a", "type: zie-ook, doel: b"))
    write_sheet("initiatives/b.yaml", relate("b", "type: zie-ook, doel: a"))
    assert messages(site_root) == [
        "initiatives/b.yaml:10:5: error: de relatie 'zie ook' tussen 'b' en 'a' staat al op de andere fiche "
        "(schrap ze hier; ze staat al in initiatives/a.yaml:10:5 en verschijnt vanzelf op beide pagina's)"
    ]


def test_graph_checks_run_next_to_the_other_checks(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", relate("a", "type: leidt-naar, doel: b", "type: zie-ook, doel: onbekend"))
    write_sheet("initiatives/b.yaml", relate("b", "type: leidt-naar, doel: a"))
    found = messages(site_root)
    assert any("onbekende fiche 'onbekend'" in m for m in found)
    assert any("kringloop in 'leidt naar'" in m for m in found)


def test_a_chain_of_different_types_is_no_cycle(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", relate("a", "type: leidt-naar, doel: b"))
    write_sheet("initiatives/b.yaml", relate("b", "type: variant-van, doel: a"))
    assert messages(site_root) == []


def test_routes_are_the_maximal_paths_of_leidt_naar(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", relate("a", "type: leidt-naar, doel: b", "type: leidt-naar, doel: c"))
    write_sheet("initiatives/b.yaml", relate("b", "type: leidt-naar, doel: d"))
    write_sheet("initiatives/c.yaml", relate("c", "type: leidt-naar, doel: d"))
    write_sheet("initiatives/d.yaml", VALID_INITIATIVE.format(id="d"))
    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    g = graph.build_graph(kb)
    assert graph.routes(g) == [("a", "b", "d"), ("a", "c", "d")]
    assert graph.route_stages(g, "a") == [["a"], ["b", "c"], ["d"]]


def test_route_stage_is_the_longest_distance_from_the_start(site_root, write_sheet):
    write_sheet("initiatives/a.yaml", relate("a", "type: leidt-naar, doel: b", "type: leidt-naar, doel: c"))
    write_sheet("initiatives/b.yaml", relate("b", "type: leidt-naar, doel: c"))
    write_sheet("initiatives/c.yaml", VALID_INITIATIVE.format(id="c"))
    kb, _ = read_knowledge_base(site_root)
    assert graph.route_stages(graph.build_graph(kb), "a") == [["a"], ["b"], ["c"]]


def test_shipped_newcomer_route_runs_from_dvz_to_matching(shipped_site):
    from pathlib import Path

    kb, _ = read_knowledge_base(Path(__file__).resolve().parent.parent)
    stages = graph.route_stages(graph.build_graph(kb), "registratie-dvz")
    assert [s[0] for s in stages] == ["registratie-dvz", "registratie-burgerzaken", "leefloon-ocmw",
                                      "prescreening-ocmw", "vdab-bemiddeling-nieuwkomers", "werkplekvrij"]


def test_hubs_and_unconnected_sheets(site_root):
    kb, _ = read_knowledge_base(site_root)
    g = graph.build_graph(kb)
    assert graph.hubs(g) == [("imw", 3), ("sine", 1), ("vop", 1), ("weeraandeslag", 1)]
    assert graph.unconnected(g) == []
    (site_root / "organisations/vdab.yaml").write_text(
        (site_root / "organisations/vdab.yaml").read_text().replace("relaties:\n  - {type: neemt-deel-aan, doel: weeraandeslag}\n", ""))
    kb, _ = read_knowledge_base(site_root)
    assert graph.unconnected(graph.build_graph(kb)) == ["weeraandeslag"]


def test_layout_is_deterministic_and_places_every_node(site_root):
    kb, _ = read_knowledge_base(site_root)
    g = graph.build_graph(kb)
    first, second = graph.force_layout(g), graph.force_layout(g)
    assert first == second
    assert set(first) == set(g.nodes)
    assert len(set(first.values())) == len(first)


def test_export_is_node_link_json_with_an_edges_list(site_root):
    kb, _ = read_knowledge_base(site_root)
    g = graph.build_graph(kb)
    data = json.loads(graph.node_link_json(graph.browser_graph(g, graph.force_layout(g))))
    assert graph.EDGES_KEY == "edges" and "links" not in data
    assert {"source": "imw", "target": "vop", "key": "vervangt"} in data["edges"]
    imw = next(n for n in data["nodes"] if n["id"] == "imw")
    assert imw["url"] == "initiatief/imw/" and imw["kinds"] == ["subsidie"] and "toelichting" not in imw
    assert data["directed"] and data["multigraph"]


def test_repulsion_counts_each_pair_of_nearby_nodes_once():
    """The vectorised repulsion against the definition, node by node: every other node in the same
    or a touching grid cell pushes by (difference / squared distance); nodes on one spot by 0."""
    import math

    import numpy as np

    from kaart.features.graph.model import _repulsion

    rng = np.random.default_rng(7)
    positions = rng.normal(size=(400, 2)) * 4
    positions[10] = positions[11]  # two nodes on the same spot
    cells = [(math.floor(x / 2.0), math.floor(y / 2.0)) for x, y in positions]
    expected = np.zeros_like(positions)
    for i, (cx, cy) in enumerate(cells):
        for j, (ox, oy) in enumerate(cells):
            if i != j and abs(cx - ox) <= 1 and abs(cy - oy) <= 1:
                dx, dy = positions[i] - positions[j]
                dist2 = dx * dx + dy * dy or 1e-4
                expected[i] += (dx / dist2, dy / dist2)
    assert np.allclose(_repulsion(positions), expected, rtol=1e-12, atol=1e-12)
