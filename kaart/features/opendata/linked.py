"""The map as linked data: schema.org JSON-LD in every factsheet page, and /data/kaart.jsonld in
CPSV-AP 3.2.0, the EU's Core Public Service Vocabulary Application Profile that Flemish services use
for their catalogues (https://semiceu.github.io/CPSV-AP/releases/3.2.0/).

Both name a factsheet's subject the same way (`Site.thing`: the page's address with #dienst or
#organisatie), so the two descriptions join. Nothing is said that the factsheet does not say:
a service is public (schema.org `GovernmentService`, a CPSV-AP `PublicService`) only when one of
its providers is a government or local authority by its own factsheet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from kaart.core import registry
from kaart.core.model import ContactPoint, Initiative, KnowledgeBase, Organisation
from kaart.features.opendata.site import Site

# The kinds of organisation (`soort_organisatie`) that are public authorities.
PUBLIC_KINDS = frozenset({"overheid", "lokaal-bestuur"})
CPSV_AP = "https://semiceu.github.io/CPSV-AP/releases/3.2.0/"


def is_public(org: Organisation) -> bool:
    return org.soort_organisatie in PUBLIC_KINDS


def present(**values: Any) -> dict[str, Any]:
    """The values that say something (no None, no empty list), under their names."""
    return {name: value for name, value in values.items() if value not in (None, "", [], ())}


def script_json(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json">: "<", ">" and "&" escaped, so contributor text
    can never close the script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# -- schema.org, in every factsheet page ---------------------------------------------------------

@dataclass(frozen=True)
class SheetDescription:
    """What a factsheet page says about its subject in schema.org terms. The page writes
    `text(KAART_PUBLIC_URL, SITEURL)`; it is made of the sheet and its providers alone, so the
    render cache, which keys on the page's context, sees every change."""

    sheet: Initiative | Organisation
    providers: tuple[Organisation, ...] = ()

    def text(self, public_url: str | None, site_url: str | None) -> Markup:
        return script_json(schema_org(self.sheet, self.providers, Site.of(public_url, site_url)))


def schema_org(sheet: Initiative | Organisation, providers: tuple[Organisation, ...], site: Site) -> dict[str, Any]:
    node = {"@context": "https://schema.org", "@type": _schema_type(sheet, providers), "@id": site.thing(sheet),
            **present(name=sheet.titel, alternateName=sheet.afkorting if sheet.afkorting != sheet.titel else None,
                     description=sheet.samenvatting),
            "url": site.page(sheet)}
    if sheet.regio:
        node["areaServed"] = {"@type": "AdministrativeArea", "name": registry.regions()[sheet.regio]}
    if isinstance(sheet, Initiative):
        return node | _service(sheet, providers, site)
    return node | _organisation(sheet)


def _schema_type(sheet: Initiative | Organisation, providers: tuple[Organisation, ...]) -> str:
    if isinstance(sheet, Initiative):
        return "GovernmentService" if any(map(is_public, providers)) else "Service"
    return "GovernmentOrganization" if is_public(sheet) else "Organization"


def _service(sheet: Initiative, providers: tuple[Organisation, ...], site: Site) -> dict[str, Any]:
    kinds, groups = registry.kinds(), registry.target_groups()
    return present(
        serviceType=[kinds[kind] for kind in dict.fromkeys(cell.soort for cell in sheet.cellen)],
        provider=[{"@type": _schema_type(org, ()), "@id": site.thing(org), "name": org.titel, "url": site.page(org)}
                  for org in providers],
        audience=[{"@type": "Audience", "audienceType": groups[group]} for group in sheet.doelgroepen],
    )


def _organisation(org: Organisation) -> dict[str, Any]:
    return present(
        sameAs=org.website,
        contactPoint=[{"@type": "ContactPoint", **present(name=point.naam, telephone=point.telefoon,
                                                            email=point.email, url=point.url)}
                      for point in org.contact],
        address=[point.adres for point in org.contact if point.adres],
    )


# -- CPSV-AP, /data/kaart.jsonld -----------------------------------------------------------------

# Values of these properties are addresses; of these, plain text that is not Dutch prose.
_LINKS = ("cv:hasCompetentAuthority", "adms:status", "dct:audience", "cv:isClassifiedBy", "dct:spatial",
          "cv:relatedService", "skos:inScheme", "foaf:homepage")
_CODES = ("dct:identifier", "skos:notation", "cv:email", "cv:telephone")
CONTEXT: dict[str, Any] = {
    "adms": "http://www.w3.org/ns/adms#",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "@language": "nl",
    **{term: {"@type": "@id"} for term in _LINKS},
    **{term: {"@language": None} for term in _CODES},
}
# Own code lists for the map's vocabularies (CPSV-AP advises one where no common list fits).
SCHEMES = tuple(facet for facet in registry.FACETS if facet.key in ("soort", "situatie", "doelgroep", "status"))


def competent_authorities(kb: KnowledgeBase, sheet: Initiative) -> tuple[Organisation, ...]:
    """The public providers, with the region CPSV-AP requires of a public organisation."""
    return tuple(org for org_id in sheet.aanbieders if is_public(org := kb.sheets[org_id]) and org.regio)


def public_services(kb: KnowledgeBase) -> tuple[Initiative, ...]:
    """The initiatives CPSV-AP can describe: a public service needs a competent authority."""
    return tuple(sheet for sheet in kb.sheets.values()
                 if isinstance(sheet, Initiative) and competent_authorities(kb, sheet))


def cpsv_document(kb: KnowledgeBase, site: Site) -> str:
    graph = [*_services(kb, site), *_authorities(kb, site), *_code_lists(site), *_regions(site)]
    return json.dumps({"@context": CONTEXT, "@graph": graph}, ensure_ascii=False, indent=1) + "\n"


def _code(site: Site, scheme: str, key: str = "") -> str:
    return site.data(f"kaart.jsonld#{scheme}-{key}" if key else f"kaart.jsonld#{scheme}")


def _related(kb: KnowledgeBase, sheet: Initiative, among: set[str]) -> list[str]:
    """The sheets `among` that a relation in either direction ties to this one, by id."""
    ends = {end for rel in kb.relations_of.get(sheet.id, ()) for end in (rel.source, rel.target)}
    return sorted(ends & among - {sheet.id})


def _services(kb: KnowledgeBase, site: Site) -> Iterator[dict[str, Any]]:
    services = public_services(kb)
    exported = {sheet.id for sheet in services}
    for sheet in services:
        related = _related(kb, sheet, exported)
        yield {"@id": site.thing(sheet), "@type": "cpsv:PublicService", "dct:identifier": sheet.id,
               **present(**{
                   "dct:title": sheet.titel, "dct:description": sheet.samenvatting,
                   "cv:hasCompetentAuthority": [site.thing(org) for org in competent_authorities(kb, sheet)],
                   "adms:status": _code(site, "status", sheet.status),
                   "cv:isClassifiedBy": [_code(site, scheme, key) for scheme in ("soort", "situatie")
                                         for key in dict.fromkeys(getattr(cell, scheme) for cell in sheet.cellen)],
                   "dct:audience": [_code(site, "doelgroep", group) for group in sheet.doelgroepen],
                   "dct:spatial": _code(site, "regio", sheet.regio) if sheet.regio else None,
                   "dcat:keyword": [word for word in (sheet.afkorting, *sheet.trefwoorden) if word],
                   "cv:contactPoint": [node for point in sheet.contact if (node := _contact_point(point))],
                   "cv:relatedService": [site.thing(kb.sheets[other]) for other in related],
               })}


def _contact_point(point: ContactPoint) -> dict[str, Any] | None:
    ways = present(**{"cv:email": point.email, "cv:telephone": point.telefoon})
    if point.url:
        ways["cv:contactPage"] = {"@id": point.url, "@type": "foaf:Document"}
    return {"@type": "cv:ContactPoint", **ways} if ways else None


def _authorities(kb: KnowledgeBase, site: Site) -> Iterator[dict[str, Any]]:
    named = {org.id for sheet in public_services(kb) for org in competent_authorities(kb, sheet)}
    for org_id in sorted(named):
        org = kb.sheets[org_id]
        yield {"@id": site.thing(org), "@type": "cv:PublicOrganisation", "dct:identifier": org.id,
               "skos:prefLabel": org.titel, "dct:spatial": _code(site, "regio", org.regio),
               **present(**{"foaf:homepage": org.website})}


def _code_lists(site: Site) -> Iterator[dict[str, Any]]:
    for facet in SCHEMES:
        assert facet.labels is not None
        yield {"@id": _code(site, facet.key), "@type": "skos:ConceptScheme", "skos:prefLabel": facet.legend}
        for key, label in facet.labels().items():
            yield {"@id": _code(site, facet.key, key), "@type": "skos:Concept", "skos:prefLabel": label,
                   "skos:notation": key, "skos:inScheme": _code(site, facet.key)}


def _regions(site: Site) -> Iterator[dict[str, Any]]:
    for key, label in registry.regions().items():
        yield {"@id": _code(site, "regio", key), "@type": "dct:Location", "locn:geographicName": label}
