"""Anything a contributor pushes gives a located error or is rendered inert."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaart.content.project import read_knowledge_base
from kaart.core.load import MAX_BYTES, load_document
from kaart.core.problems import Problem

from ..conftest import VALID_INITIATIVE as TEMPLATE

VALID_INITIATIVE = TEMPLATE.format(id="x")

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>[klik](javascript:alert(1))"\'><svg onload=alert(1)>'

HOSTILE_FILES = [
    ("invalid-yaml", "titel: [niet gesloten\nid: x\n", "initiatives/x.yaml:1:8: error: ongeldige YAML: de lijst die hier met '[' begint, gaat niet dicht"),
    ("duplicate-key", VALID_INITIATIVE.replace("    status: actief\n", "    status: actief\n    status: afgeschaft\n"),
     "initiatives/x.yaml:6:1: error: de sleutel 'status' staat er twee keer"),
    ("wrong-type", VALID_INITIATIVE.replace("titel: Een initiatief", "titel: [een, lijst]"),
     "initiatives/x.yaml:3:8: error: verwacht tekst, gevonden een lijst"),
    ("dangling", VALID_INITIATIVE + "    aanbieders: [bestaat-niet]\n", "initiatives/x.yaml:9:14: error: onbekende organisatie 'bestaat-niet'"),
    ("control-char", VALID_INITIATIVE.replace("Een korte", "Een\x1bkorte"), "initiatives/x.yaml:4:18: error: onzichtbaar stuurteken U+001B"),
    ("line-separator", VALID_INITIATIVE.replace("Een korte", "Een\u2028korte"), "initiatives/x.yaml:4:18: error: onzichtbaar stuurteken U+2028"),
    ("path-traversal-id", VALID_INITIATIVE.replace("id: x", "id: ../../etc/passwd"), "initiatives/x.yaml:2:5: error: '../../etc/passwd' is ongeldig"),
    ("python-tag", VALID_INITIATIVE.replace("titel: Een initiatief", "titel: !!python/object/apply:os.system [ls]"),
     "initiatives/x.yaml:3:8: error: de tag"),
    ("alias-bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n", "initiatives/x.yaml:2:8: error: ankers (&) en aliassen (*)"),
    ("huge", "titel: " + "x" * (MAX_BYTES + 1) + "\n", "initiatives/x.yaml:1:1: error: het bestand is te groot"),
    ("not-a-mapping", "- een\n- lijst\n", "initiatives/x.yaml:1:1: error: een fiche moet uit velden bestaan"),
    ("number-key", VALID_INITIATIVE + "    12: twaalf\n", "initiatives/x.yaml:9:1: error: onbekend veld '12'"),
    ("javascript-url", VALID_INITIATIVE + "    links:\n      - {titel: x, url: 'javascript:alert(1)'}\n",
     "initiatives/x.yaml:10:21: error: 'javascript:alert(1)' is ongeldig"),
]


@pytest.mark.parametrize(("case", "text", "expected"), HOSTILE_FILES, ids=[c[0] for c in HOSTILE_FILES])
def test_hostile_file_gives_a_located_error(site_root, write_sheet, case, text, expected):
    write_sheet("initiatives/x.yaml", text)
    kb, problems = read_knowledge_base(site_root)
    assert kb is None
    messages = [p.format_text() for p in problems]
    assert any(m.startswith(expected) for m in messages), messages


class _ActiveContent(HTMLParser):
    """Collects everything in a page that could run: scripts, handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            src = dict(attrs).get("src") or ""
            # A JSON-LD block is data, not code; a payload breaking out of it would start a tag of its own.
            data = tag == "script" and dict(attrs).get("type") == "application/ld+json"
            if not (tag == "script" and src and "alert" not in src) and not data:
                self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src") and value and value.strip().lower().startswith(("javascript:", "data:")):
                self.found.append(f"{tag}[{name}={value}]")


def test_script_payloads_in_every_text_field_are_rendered_inert(site_root, write_sheet, build_site):
    source = {"url": "https://example.org", "titel": PAYLOAD, "geraadpleegd": "2026-11-01"}
    sheet = {
        "type": "initiatief", "id": "x", "titel": PAYLOAD, "afkorting": "<b>X</b>", "samenvatting": PAYLOAD,
        "beschrijving": PAYLOAD, "status": "actief", "trefwoorden": ["<script>alert(1)</script>"],
        "links": [{"titel": PAYLOAD, "url": 'https://example.org/"onmouseover=alert(1)'}],
        "kenmerken": {"duur": {"waarde": PAYLOAD, "bron": source}},
        # A slide title must be one the deck has (validate refuses any other), so no payload there.
        "praktijk": [{"titel": PAYLOAD, "tekst": PAYLOAD, "bron": {"deck": "netwerk-2022", "dia": "Mapping initiatieven"}}],
        "cijfers": [{"omschrijving": PAYLOAD, "waarde": 1, "eenheid": "<i>u</i>", "bron": source}],
        "mijlpalen": [{"datum": "2023", "omschrijving": PAYLOAD, "bron": source}],
        "relaties": [{"type": "zie-ook", "doel": "imw", "toelichting": PAYLOAD}],
        "contact": [{"naam": PAYLOAD, "adres": PAYLOAD, "toelichting": PAYLOAD, "telefoon": "09 123 45 67",
                     "email": "x@example.org", "url": 'https://example.org/"onclick=alert(1)', "bron": source}],
        "bronnen": [source],
        "laatst_nagekeken": "2026-11-01",
    }
    write_sheet("initiatives/x.yaml", json.dumps(sheet, ensure_ascii=False, indent=1))
    problems, output = build_site()
    assert problems == [], [p.format_text() for p in problems]
    for page in output.rglob("*.html"):
        parser = _ActiveContent()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], f"{page.relative_to(output)}: {parser.found}"
    html = (output / "initiatief" / "x" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html, "the payload is shown as text, not dropped silently"


yaml_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
yaml_like = st.lists(
    st.sampled_from(["type: ", "initiatief", "id: ", "x", "\n", "  ", "- ", ": ", "{", "}", "[", "]", ",", "&a ", "*a",
                     "!!python/object ", "'", '"', "#", "---\n", "titel", "relaties", "\t", "?", "|", ">", "%YAML 1.2\n",
                     "<<: ", "~", "2023-01-01", "0x1F"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(yaml_text, yaml_like))
def test_loader_returns_a_document_or_located_errors_never_a_crash(tmp_path, text):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    doc, problems = load_document(path, tmp_path)
    assert (doc is None) == bool(problems)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.location.path == "x.yaml"
        assert problem.location.line >= 1 and problem.location.col >= 1
    if doc is not None:
        assert isinstance(doc.data, dict)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=yaml_like)
def test_whole_validation_never_crashes_on_generated_input(site_root, text):
    (site_root / "initiatives" / "gen.yaml").write_text(text, encoding="utf-8")
    kb, problems = read_knowledge_base(site_root)
    assert (kb is None) == bool(problems)
    assert all(p.location.line >= 1 for p in problems)
