"""The map as open data: /data/ (the page), the CSV files, kaart.json, the schema.org JSON-LD in
every factsheet page and the CPSV-AP export. Every JSON-LD document is read with a JSON-LD
processor (pyld) that never goes online: a document loader serves the vendored schema.org context
(tests/fixtures/linked-data/README.md says where the copies come from)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import rdflib
from pyld import jsonld
from pyshacl import validate
from rdflib.compare import isomorphic

from kaart.build.site import build
from kaart.core import registry
from kaart.features.opendata.linked import SheetDescription, cpsv_document
from kaart.features.opendata.site import Site
from kaart.features.opendata.tables import INITIATIVE_COLUMNS, ORGANISATION_COLUMNS

from .conftest import FIXTURE_SITE, REPO, SCHEMA_LINE

LINKED_DATA = Path(__file__).parent / "fixtures" / "linked-data"
SCHEMA_ORG_CONTEXT = json.loads((LINKED_DATA / "schemaorg-context.jsonld").read_text(encoding="utf-8"))
SCHEMA = "http://schema.org/"  # the vocabulary the published context maps every term to
CV, CPSV = rdflib.Namespace("http://data.europa.eu/m8g/"), rdflib.Namespace("http://purl.org/vocab/cpsv#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
PUBLIC = "https://kaart.example"

# VDAB as a government body with a region and a phone number (the fixture's VDAB names neither).
PUBLIC_VDAB = SCHEMA_LINE + """\
type: organisatie
id: vdab
titel: VDAB
samenvatting: De Vlaamse dienst voor arbeidsbemiddeling en beroepsopleiding.
soort_organisatie: overheid
website: https://www.vdab.be
contact:
  - naam: VDAB-klantendienst
    telefoon: "+32 800 30 700"
    bron: {deck: netwerk-2022, dia: Doorverwijzing naar VDAB}
regio: vlaanderen
relaties:
  - {type: neemt-deel-aan, doel: weeraandeslag}
bronnen:
  - {deck: netwerk-2022, dia: Doorverwijzing naar VDAB}
laatst_nagekeken: "2026-11-01"
"""

# Contributor text a spreadsheet would run, or that would close a <script>; keys out of order.
HOSTILE = SCHEMA_LINE + """\
laatst_nagekeken: "2026-11-02"
trefwoorden: ["-2+3", "gewoon"]
type: initiatief
id: formule
titel: '=HYPERLINK("https://evil.example","klik")'
samenvatting: "@SUM(1+1) en </script><script>alert(1)</script> in een samenvatting."
status: gepland
bronnen:
  - {deck: netwerk-2022, dia: Mapping initiatieven}
"""


def offline_loader(url: str, options: dict | None = None) -> dict:
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}
    raise AssertionError(f"a JSON-LD document wanted {url} from the network")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("opendata") / "project"
    shutil.copytree(FIXTURE_SITE, root)
    (root / "organisations" / "vdab.yaml").write_text(PUBLIC_VDAB, encoding="utf-8")
    (root / "initiatives" / "formule.yaml").write_text(HOSTILE, encoding="utf-8")
    output = root.parent / "build"
    assert build(root, output, REPO / "pelicanconf.py") == []
    return output


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode("utf-8")) and b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8")[1:], newline=""), delimiter=";"))


def json_ld_blocks(page: Path) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)


def expand(block: str, url: str) -> dict:
    """The block as a JSON-LD processor reads it on the page at `url`: one node, full IRIs."""
    [node] = jsonld.expand(json.loads(block), {"base": url, "documentLoader": offline_loader})
    return node


def values(node: dict, term: str) -> list:
    return [v.get("@value", v.get("@id")) for v in node.get(SCHEMA + term, [])]


# -- the tables ------------------------------------------------------------------------------------

def test_the_csv_files_open_with_their_columns_one_row_per_factsheet(site):
    initiatives = read_csv(site / "data" / "initiatieven.csv")
    organisations = read_csv(site / "data" / "organisaties.csv")
    assert list(initiatives[0]) == [column.name for column in INITIATIVE_COLUMNS]
    assert list(organisations[0]) == [column.name for column in ORGANISATION_COLUMNS]
    assert [row["id"] for row in initiatives] == ["formule", "imw", "sine", "vop", "weeraandeslag"]
    imw = next(row for row in initiatives if row["id"] == "imw")
    assert imw["doelgroepen"] == "personen-met-arbeidsbeperking | werkgevers"
    assert (imw["aanbieders"], imw["aanbieders_namen"], imw["cellen"]) == ("vdab", "VDAB", "werkgever/subsidie")
    assert (imw["start"], imw["laatst_nagekeken"], imw["pagina"]) == ("2023-01-01", "2026-11-20", "../initiatief/imw/")
    [vdab] = organisations
    assert (vdab["soort_organisatie"], vdab["biedt_aan"], vdab["contactpunten"]) == ("overheid", "imw", "VDAB-klantendienst")


def test_text_a_spreadsheet_would_run_as_a_formula_is_neutralised(site):
    formule = next(row for row in read_csv(site / "data" / "initiatieven.csv") if row["id"] == "formule")
    assert formule["titel"] == "'=HYPERLINK(\"https://evil.example\",\"klik\")"
    assert formule["samenvatting"].startswith("'@SUM(1+1)")
    assert formule["trefwoorden"] == "'-2+3 | gewoon"
    [vdab] = read_csv(site / "data" / "organisaties.csv")
    assert vdab["telefoon"] == "'+32 800 30 700"


def test_kaart_json_holds_every_factsheet_as_its_file_states_it_in_schema_order(site):
    document = json.loads((site / "data" / "kaart.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "data" / document["schema"]).read_text(encoding="utf-8"))
    assert (site / "data" / document["schema"]).read_bytes() == registry.SCHEMA_PATH.read_bytes()
    validator = jsonschema.Draft202012Validator(schema)
    sheets = document["initiatieven"] + document["organisaties"]
    assert [sheet["id"] for sheet in sheets] == ["formule", "imw", "sine", "vop", "weeraandeslag", "vdab"]
    for sheet in sheets:
        assert list(validator.iter_errors(sheet)) == [], sheet["id"]
    formule = sheets[0]
    assert list(formule) == [key for key in registry.field_names("initiatief") if key in formule]
    assert formule["trefwoorden"] == ["-2+3", "gewoon"]  # the data itself is not neutralised
    imw = sheets[1]
    assert imw["kenmerken"]["duur"] == {"waarde": "Maximaal vijf jaar, verlengbaar.",
                                        "bron": {"deck": "netwerk-2022", "dia": "doelgroep"}}
    assert document["gegevens_van"] == "2026-11-20"


# -- schema.org in every factsheet page --------------------------------------------------------------

def test_every_factsheet_page_carries_one_json_ld_block_that_parses(site):
    pages = sorted(site.glob("initiatief/*/index.html")) + sorted(site.glob("organisatie/*/index.html"))
    assert len(pages) == 6
    for page in pages:
        [block] = json_ld_blocks(page)
        url = f"{PUBLIC}/{page.parent.relative_to(site).as_posix()}/"
        node = expand(block, url)
        assert values(node, "url") == [url]
        assert node["@id"] == url + ("#dienst" if "/initiatief/" in url else "#organisatie")


def test_a_service_of_a_public_provider_is_a_government_service_with_its_provider(site):
    node = expand(json_ld_blocks(site / "initiatief" / "imw" / "index.html")[0], f"{PUBLIC}/initiatief/imw/")
    assert node["@type"] == [SCHEMA + "GovernmentService"]
    assert (values(node, "name"), values(node, "alternateName")) == (["Individueel maatwerk"], ["IMW"])
    [provider] = node[SCHEMA + "provider"]
    assert provider["@id"] == f"{PUBLIC}/organisatie/vdab/#organisatie"
    assert provider["@type"] == [SCHEMA + "GovernmentOrganization"]
    assert [values(a, "audienceType")[0] for a in node[SCHEMA + "audience"]] == [
        "Personen met een arbeidsbeperking", "Werkgevers"]
    [area] = node[SCHEMA + "areaServed"]
    assert values(area, "name") == ["Vlaanderen"] and area["@type"] == [SCHEMA + "AdministrativeArea"]
    assert values(node, "serviceType") == ["Subsidie / tussenkomst"]


def test_a_service_without_a_public_provider_is_a_plain_service(site):
    node = expand(json_ld_blocks(site / "initiatief" / "formule" / "index.html")[0], f"{PUBLIC}/initiatief/formule/")
    assert node["@type"] == [SCHEMA + "Service"]
    assert SCHEMA + "provider" not in node


def test_an_organisation_has_its_contact_points_and_website(site):
    node = expand(json_ld_blocks(site / "organisatie" / "vdab" / "index.html")[0], f"{PUBLIC}/organisatie/vdab/")
    assert node["@type"] == [SCHEMA + "GovernmentOrganization"]
    assert values(node, "sameAs") == ["https://www.vdab.be"]
    [point] = node[SCHEMA + "contactPoint"]
    assert point["@type"] == [SCHEMA + "ContactPoint"]
    assert (values(point, "name"), values(point, "telephone")) == (["VDAB-klantendienst"], ["+32 800 30 700"])


def test_contributor_text_cannot_close_the_script_element(site):
    [block] = json_ld_blocks(site / "initiatief" / "formule" / "index.html")
    assert "</" not in block and "<script" not in block
    node = expand(block, f"{PUBLIC}/initiatief/formule/")
    assert values(node, "description") == ["@SUM(1+1) en </script><script>alert(1)</script> in een samenvatting."]


def test_with_a_public_address_the_json_ld_names_absolute_addresses(site_root):
    from kaart.content.project import read_knowledge_base

    kb, problems = read_knowledge_base(site_root)
    assert problems == []
    description = SheetDescription(kb.sheets["imw"], (kb.sheets["vdab"],))
    relative = json.loads(str(description.text("", "../..")))
    absolute = json.loads(str(description.text(PUBLIC + "/", "../..")))
    assert (relative["url"], relative["provider"][0]["url"]) == ("../../initiatief/imw/", "../../organisatie/vdab/")
    assert (absolute["url"], absolute["@id"]) == (f"{PUBLIC}/initiatief/imw/", f"{PUBLIC}/initiatief/imw/#dienst")


# -- CPSV-AP -----------------------------------------------------------------------------------------

def cpsv_graph(text: str, url: str = f"{PUBLIC}/data/kaart.jsonld") -> rdflib.Graph:
    """The export as RDF, read by the same JSON-LD processor (its context is inline: nothing to fetch)."""
    quads = jsonld.to_rdf(json.loads(text), {"base": url, "format": "application/n-quads",
                                             "documentLoader": offline_loader})
    return rdflib.Graph().parse(data=quads, format="nt")


def conforms(graph: rdflib.Graph) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(LINKED_DATA / "cpsv-ap-SHACL.ttl")
    result, _, report = validate(graph, shacl_graph=shapes, inference="none")
    return result, report


def test_the_cpsv_ap_export_conforms_to_the_cpsv_ap_shapes(site):
    graph = cpsv_graph((site / "data" / "kaart.jsonld").read_text(encoding="utf-8"))
    result, report = conforms(graph)
    assert result, report
    services = set(graph.subjects(rdflib.RDF.type, CPSV.PublicService))
    imw = rdflib.URIRef(f"{PUBLIC}/initiatief/imw/#dienst")
    assert services == {imw}  # the only initiative whose provider is a public body
    assert graph.value(imw, CV.hasCompetentAuthority) == rdflib.URIRef(f"{PUBLIC}/organisatie/vdab/#organisatie")
    assert graph.value(imw, DCT.title) == rdflib.Literal("Individueel maatwerk", lang="nl")
    assert graph.value(imw, DCT.identifier) == rdflib.Literal("imw")


def test_the_shapes_catch_a_public_service_without_a_competent_authority(site):
    document = json.loads((site / "data" / "kaart.jsonld").read_text(encoding="utf-8"))
    for node in document["@graph"]:
        node.pop("cv:hasCompetentAuthority", None)
    result, report = conforms(cpsv_graph(json.dumps(document)))
    assert not result and "hasCompetentAuthority" in report


def test_the_shipped_export_conforms_and_names_every_page_absolutely_with_a_public_address(shipped_site):
    from kaart.content.project import read_knowledge_base

    kb, problems = read_knowledge_base(REPO)
    assert kb is not None
    graph = cpsv_graph(cpsv_document(kb, Site.of(PUBLIC, "..")))
    result, report = conforms(graph)
    assert result, report
    assert len(set(graph.subjects(rdflib.RDF.type, CPSV.PublicService))) > 10
    assert all(str(s).startswith(PUBLIC + "/initiatief/") for s in graph.subjects(rdflib.RDF.type, CPSV.PublicService))
    assert any(graph.objects(None, CV.relatedService))  # the shapes require each to be a PublicService
    built = cpsv_graph((shipped_site / "data" / "kaart.jsonld").read_text(encoding="utf-8"))
    assert isomorphic(graph, built)  # the built file, read at its public address, says the same


def test_the_shipped_kaart_json_has_every_factsheet_and_each_validates(shipped_site):
    document = json.loads((shipped_site / "data" / "kaart.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(registry.schema())
    for kind, folder in (("initiatieven", "initiatives"), ("organisaties", "organisations")):
        assert [sheet["id"] for sheet in document[kind]] == sorted(path.stem for path in (REPO / folder).glob("*.yaml"))
        assert [sheet["id"] for sheet in document[kind] if list(validator.iter_errors(sheet))] == []


# -- the page --------------------------------------------------------------------------------------

def test_the_data_page_explains_every_column_and_is_linked_from_every_page(site):
    html = (site / "data" / "index.html").read_text(encoding="utf-8")
    for column in {*INITIATIVE_COLUMNS, *ORGANISATION_COLUMNS}:
        assert f"<dt><code>{column.name}</code></dt>" in html
    for name in ("initiatieven.csv", "organisaties.csv", "kaart.json", "kaart.jsonld", "factsheet.schema.json"):
        assert f'href="../data/{name}"' in html
    assert "nog geen licentie" in html and "Creative Commons" not in html
    assert 'href="../../data/"' in (site / "initiatief" / "imw" / "index.html").read_text(encoding="utf-8")


def test_data_files_are_written_without_a_trace_of_their_template(site):
    assert (site / "data" / "kaart.jsonld").read_text(encoding="utf-8").startswith('{\n "@context"')
    assert (site / "data" / "organisaties.csv").read_bytes().startswith("\ufeffid;titel".encode("utf-8"))
