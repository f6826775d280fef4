"""Static SVG diagrams: deterministic, escaped, linked, grouped by relation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kaart import diagram, graph
from kaart.knowledge import read_knowledge_base

SVG = "{http://www.w3.org/2000/svg}"


def fixture_graph(root):
    kb, problems = read_knowledge_base(root)
    assert problems == []
    return graph.build_graph(kb)


def test_neighbourhood_svg_is_the_same_bytes_twice(site_root):
    first = diagram.neighbourhood_svg(fixture_graph(site_root), "imw", "../../").encode()
    second = diagram.neighbourhood_svg(fixture_graph(site_root), "imw", "../../").encode()
    assert first == second


def test_neighbourhood_links_every_node_to_its_page(site_root):
    svg = ET.fromstring(diagram.neighbourhood_svg(fixture_graph(site_root), "imw", "../../"))
    hrefs = sorted(a.get("href") for a in svg.iter(f"{SVG}a"))
    # imw in the centre; vop, sine, vdab at radius 1; weeraandeslag (via vdab) at radius 2
    assert hrefs == ["../../initiatief/imw/", "../../initiatief/sine/", "../../initiatief/vop/",
                     "../../initiatief/weeraandeslag/", "../../organisatie/vdab/"]
    assert svg.find(f"{SVG}title").text == "Buurt van Individueel maatwerk (IMW) in de graaf"
    assert svg.find(f"{SVG}desc").text


def test_radius_one_groups_neighbours_by_relation_as_read_from_the_centre(site_root):
    groups = diagram.ring_groups(fixture_graph(site_root), "vop")
    assert groups == [("vervangt", "vervangen door", ["imw"])]
    groups = diagram.ring_groups(fixture_graph(site_root), "imw")
    assert [(label, members) for _, label, members in groups] == [
        ("vervangt", ["vop"]), ("zie ook", ["sine"]), ("aangeboden door", ["vdab"])]


def test_text_in_the_svg_is_escaped(site_root, write_sheet):
    path = site_root / "initiatives/sine.yaml"
    path.write_text(path.read_text().replace("titel: Sociale inschakelingseconomie",
                                             'titel: "<script>alert(1)</script> & co"').replace("afkorting: SINE\n", ""))
    svg = diagram.neighbourhood_svg(fixture_graph(site_root), "imw", "../../")
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in svg
    ET.fromstring(svg)  # still well-formed


def test_crowded_second_ring_is_left_out(site_root):
    g = fixture_graph(site_root)
    for i in range(diagram.RING2_LIMIT + 1):
        g.add_node(f"x{i}", label=f"X{i}", short=f"X{i}", type="initiatief", kinds=[], situations=[],
                   status="actief", url=f"initiatief/x{i}/")
        g.add_edge(f"x{i}", "vop", key="zie-ook")
    placed, _ = diagram.radial_layout(g, "imw", radius=2)
    assert {p.ring for p in placed} == {0, 1}


def test_a_second_ring_of_exactly_the_limit_is_drawn(site_root):
    # The second ring stops being collected once it passes the limit; at the limit it is kept.
    g = fixture_graph(site_root)
    already = sum(1 for p in diagram.radial_layout(g, "imw", radius=2)[0] if p.ring == 2)
    for i in range(diagram.RING2_LIMIT - already):
        g.add_node(f"x{i}", label=f"X{i}", short=f"X{i}", type="initiatief", kinds=[], situations=[],
                   status="actief", url=f"initiatief/x{i}/")
        g.add_edge(f"x{i}", "vop", key="zie-ook")
    placed, _ = diagram.radial_layout(g, "imw", radius=2)
    assert sum(1 for p in placed if p.ring == 2) == diagram.RING2_LIMIT
