"""Static SVG diagrams: deterministic, escaped, linked, grouped by relation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kaart.features.graph import diagram, model as graph
from kaart.content.project import read_knowledge_base

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
    hrefs = [a.get("href") for a in svg.iter(f"{SVG}a")]
    # imw on top (the page itself, no link); its neighbours in the order of their groups
    assert hrefs == ["../../initiatief/vop/", "../../initiatief/sine/", "../../organisatie/vdab/"]
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


def _add_offers(g, count):
    for i in range(count):
        g.add_node(f"x{i:02}", label=f"Aanbod {i:02}", short=f"Aanbod {i:02}", type="initiatief", kinds=["opleiding"],
                   situations=[], status="actief", url=f"initiatief/x{i:02}/")
        g.add_edge("vdab", f"x{i:02}", key="biedt-aan")


def test_a_large_group_shows_a_few_and_one_link_to_the_full_list(site_root):
    g = fixture_graph(site_root)
    _add_offers(g, diagram.GROUP_LIMIT + 4)
    svg = ET.fromstring(diagram.neighbourhood_svg(g, "vdab", "../../"))
    hrefs = [a.get("href") for a in svg.iter(f"{SVG}a")]
    offers = [h for h in hrefs if "/x" in h]
    assert len(offers) == diagram.GROUP_SHOWN
    assert "#relaties" in hrefs
    rest = diagram.GROUP_LIMIT + 4 + 1 - diagram.GROUP_SHOWN  # imw is offered by vdab too
    assert f"en nog {rest} andere: zie de lijst" in "".join(svg.itertext())


def test_a_group_of_exactly_the_limit_is_drawn_whole(site_root):
    g = fixture_graph(site_root)
    _add_offers(g, diagram.GROUP_LIMIT - 1)  # plus imw: exactly the limit
    svg = ET.fromstring(diagram.neighbourhood_svg(g, "vdab", "../../"))
    hrefs = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert "#relaties" not in hrefs and len([h for h in hrefs if "/x" in h]) == diagram.GROUP_LIMIT - 1


def test_long_labels_wrap_between_words_onto_two_lines_at_most(site_root):
    assert diagram._wrapped("Registratie bij DVZ (tijdelijke bescherming)") == [
        "Registratie bij DVZ", "(tijdelijke bescherming)"]
    lines = diagram._wrapped("een " * 30)
    assert len(lines) == 2 and lines[1].endswith("\u2026")


def test_the_legend_names_the_colours_that_are_drawn(site_root):
    g = fixture_graph(site_root)
    text = "".join(ET.fromstring(diagram.neighbourhood_svg(g, "imw", "../../")).itertext())
    assert "Subsidie / tussenkomst" in text and "Organisatie (vierkant)" in text
    assert "Opleiding / methodiek" not in text, "only kinds that appear"
