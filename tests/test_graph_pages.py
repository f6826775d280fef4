"""The graph on the built site: /graaf/ with its text alternative, the JSON, route and reform pages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from kaart.content.project import read_knowledge_base

REPO = Path(__file__).resolve().parent.parent


class Links(HTMLParser):
    """Collects the links inside elements with a given class, per list item."""

    def __init__(self, list_class: str):
        super().__init__()
        self.list_class, self.depth, self.items = list_class, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and self.list_class in (attrs.get("class") or ""):
            self.depth, self.relation = 1, attrs.get("data-relation")
        elif self.depth and tag == "li":
            self.items.append([self.relation])
        elif self.depth and tag == "a":
            self.items[-1].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "ul" and self.depth:
            self.depth = 0


def relation_items(html: str) -> list[list[str]]:
    parser = Links("relation-list")
    parser.feed(html)
    return parser.items


def test_text_alternative_lists_every_relation_with_both_links(shipped_site):
    kb, _ = read_knowledge_base(REPO)
    items = relation_items((shipped_site / "graaf/index.html").read_text())
    listed = sorted((rel, src.split("/")[-2], dst.split("/")[-2]) for rel, src, dst in items)
    assert listed == sorted((r.type, r.source, r.target) for r in kb.relations)


def test_text_alternative_is_in_the_page_without_javascript(shipped_site):
    html = (shipped_site / "graaf/index.html").read_text()
    text_part = html[html.index('id="als-tekst"'):]
    assert "<script" not in text_part.split("</main>")[0]
    assert re.search(r'<section id="graaf-app"[^>]* hidden>', html)  # the canvas UI only appears with JavaScript


def test_graph_json_matches_the_knowledge_base(shipped_site):
    kb, _ = read_knowledge_base(REPO)
    data = json.loads((shipped_site / "graaf/graaf.json").read_bytes())
    assert {n["id"] for n in data["nodes"]} == set(kb.sheets)
    assert len(data["edges"]) == len(kb.relations)
    assert all({"x", "y", "url", "colour", "type"} <= set(n) for n in data["nodes"])


def test_every_factsheet_with_relations_shows_its_neighbourhood(shipped_site):
    html = (shipped_site / "initiatief/ibo-plus/index.html").read_text()
    assert 'aria-labelledby="in-de-graaf"' in html
    assert '<a href="../../initiatief/ibo/">' in html


def test_work_based_learning_route_page_lists_the_steps_in_order(shipped_site):
    html = (shipped_site / "route/werkplekleren/index.html").read_text()
    steps = re.findall(r'class="route-step" data-id="([^"]+)"', html)
    assert steps[0] == "bvs"
    assert set(steps[1:]) == {"wes", "os", "bis", "ibo"}
    assert '<a href="../../initiatief/ibo-plus/">' in html  # IBO+ shown as a variant of the IBO step


def test_newcomer_route_page_runs_from_dvz_to_werkplekvrij(shipped_site):
    html = (shipped_site / "route/nieuwkomers/index.html").read_text()
    steps = re.findall(r'class="route-step" data-id="([^"]+)"', html)
    assert steps == ["registratie-dvz", "registratie-burgerzaken", "leefloon-ocmw", "stedelijke-werkpunten",
                     "prescreening-ocmw", "artikel-60", "vdab-bemiddeling-nieuwkomers", "werkplekvrij"]
    # The leefloon is a possible step, beside the Werkpunten: the route says so (issue 14, correction 8).
    third = html[html.index("Stap 3"):html.index("Stap 4")]
    assert "een van 2 mogelijkheden" in third and "Werkpunten" in third


def test_reform_page_derives_before_and_after_from_the_relations(shipped_site):
    html = (shipped_site / "hervorming-2023/index.html").read_text()
    before = html[html.index('id="groep-before"'):html.index('id="groep-after"')]
    after = html[html.index('id="groep-after"'):]
    assert set(re.findall(r'class="reform-sheet" data-id="([^"]+)"', before)) == {
        "vop", "lokale-diensteneconomie", "maatwerkafdelingen", "sine", "aanvullende-lokale-diensten"}
    assert re.findall(r'class="reform-sheet" data-id="([^"]+)"', after) == ["individueel-maatwerk", "collectief-maatwerk"]
    assert 'id="groep-proposed"' not in html, "no proposal is open any more"
    # The switch came on 1 July 2023; 1 January 2023 was only the 2022 plan (issue 14, correction 1).
    assert "vanaf 1 juli 2023" in html and '<time datetime="2023-07-01">' in html


def test_graph_pages_are_byte_identical_across_builds(build_site, site_root, tmp_path):
    _, first = build_site(output=tmp_path / "one")
    _, second = build_site(output=tmp_path / "two")
    for rel in ("graaf/index.html", "graaf/graaf.json", "initiatief/imw/index.html"):
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_a_changed_title_lays_out_nothing_again_and_moves_only_the_unconnected_grid(site_root, tmp_path):
    from kaart.core.store import Store
    from kaart.features.graph import model as graph
    from kaart.features.graph.pages import cached_layout, graph_of

    def shipped_map_with_two_loose_sheets(title: str):
        g = graph_of(read_knowledge_base(site_root)[0])
        g.add_node("los-a", label=title)
        g.add_node("los-b", label="Middelste")
        return g

    store, computed = Store(tmp_path, "fingerprint"), []
    original = graph.connected_layout
    try:
        graph.connected_layout = lambda g, *a: computed.append(1) or original(g, *a)
        before = cached_layout(shipped_map_with_two_loose_sheets("Aaa eerst"), store)
        after = cached_layout(renamed := shipped_map_with_two_loose_sheets("Zzz laatst"), store)
    finally:
        graph.connected_layout = original
    assert computed == [1], "the force layout ran once, for the first map only"
    assert after == graph.force_layout(renamed), "cached equals computed from scratch"
    moved = {node for node in before if before[node] != after[node]}
    assert moved == {"los-a", "los-b"}, "only the grid of unconnected sheets follows the new title order"


def test_a_map_laid_out_ahead_in_another_process_is_the_same_map(build_site, site_root, tmp_path, monkeypatch):
    from kaart.core import workers
    from kaart.features.graph import pages

    monkeypatch.setenv("KAART_NO_CACHE", "1")
    monkeypatch.setenv("KAART_WORKERS", "2")
    started = []
    monkeypatch.setattr(pages, "Ahead", lambda compute: started.append(1) or workers.Ahead(compute))
    monkeypatch.setattr(pages, "LAYOUT_AHEAD_FROM", 0)
    problems, ahead = build_site(output=tmp_path / "ahead")
    assert problems == [] and started == [1]
    monkeypatch.setattr(pages, "LAYOUT_AHEAD_FROM", 10**9)
    problems, here = build_site(output=tmp_path / "here")
    assert problems == [] and started == [1]
    assert (ahead / "graaf" / "graaf.json").read_bytes() == (here / "graaf" / "graaf.json").read_bytes()
