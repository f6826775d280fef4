"""Warnings for what looks like a person's contact details in a factsheet.

The map lists general contact points of organisations, never people. A person's name cannot be
told from a service's name, but a Belgian mobile number, a free-mail address and an e-mail
address in running text can: they are warnings (valid YAML, most likely not meant for the map),
not errors, because a rule this simple may be wrong about one case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kaart.core.load import Document, PathKey
from kaart.core.problems import WARNING, Problem

# 04xx xx xx xx (045x-049x) in the ways people write it: +32 470 …, 0032 (0)470 …, 0470/12.34.56.
# A Liège landline (04 xxx xx xx) has a digit less.
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)32[ ./-]?(?:\(0\)[ ./-]?)?|0)4[ ./-]?[5-9](?:[ ./-]?\d){7}(?!\d)")
# An enterprise number (0456.789.012) has ten digits too, grouped 4.3.3.
_ENTERPRISE_NUMBER = re.compile(r"[01]\d{3}\.\d{3}\.\d{3}")
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
# Free-mail providers: one name whatever the country (gmail.com, hotmail.be), and Belgian providers'
# own domains (proximus.be is a mailbox, proximus.com the company).
_FREE_MAIL_NAMES = {"gmail", "googlemail", "hotmail", "outlook", "live", "msn", "yahoo", "ymail", "aol", "icloud",
                    "gmx", "protonmail", "proton"}
_FREE_MAIL_DOMAINS = {"telenet.be", "skynet.be", "proximus.be", "pandora.be", "scarlet.be", "belgacom.net",
                      "me.com", "mac.com"}

MAP_LISTS = "de kaart toont alleen algemene contactpunten van organisaties, geen personen"
# The words of each warning, {value} and {domain} filled in; the factsheet form shows the same.
MESSAGES = {
    "gsm": ("'{value}' lijkt een gsm-nummer", f"{MAP_LISTS}: geef het algemene nummer van de dienst, of laat het weg"),
    "gratis-mail": ("'{value}' lijkt een persoonlijk e-mailadres ({domain})",
                    f"{MAP_LISTS}: geef een algemeen adres van de organisatie (zoals info@…), of laat het weg"),
    "mail-buiten-contact": ("een e-mailadres buiten contact: '{value}'",
                            f"{MAP_LISTS}: zet een algemeen adres van de organisatie onder contact (email: …) en haal "
                            "het hier weg"),
}


def browser_rules() -> dict[str, Any]:
    """The same rules for the factsheet form, as patterns a browser's RegExp reads."""
    return {"gsm": _MOBILE.pattern, "ondernemingsnummer": _ENTERPRISE_NUMBER.pattern, "email": _EMAIL.pattern,
            "gratisNamen": sorted(_FREE_MAIL_NAMES), "gratisDomeinen": sorted(_FREE_MAIL_DOMAINS),
            "berichten": {key: list(words) for key, words in MESSAGES.items()}}


def _warning(where: Any, kind: str, value: str, domain: str = "") -> Problem:
    message, hint = MESSAGES[kind]
    return Problem(where, message.format(value=value, domain=domain), hint, WARNING)


def privacy_problems(doc: Document) -> list[Problem]:
    """A warning for each mobile number anywhere in the factsheet, each e-mail address of a free-mail
    provider, and each other e-mail address outside a contact point's `email`."""
    problems = []
    for path, text in _texts(doc.data, ()):
        # Every mobile number has a 4 and every address an @: a text without one is not searched
        # (the patterns try each position of a text: at 5,000 factsheets 1.5 of 5.4 s of reading them).
        for match in _MOBILE.finditer(text) if "4" in text else ():
            if not _ENTERPRISE_NUMBER.fullmatch(match.group()):
                problems.append(_warning(doc.where_in(path, match.group()), "gsm", match.group()))
        for match in _EMAIL.finditer(text) if "@" in text else ():
            problems += _address_problem(doc, path, match.group(), match.group(1).lower())
    return problems


def _address_problem(doc: Document, path: PathKey, address: str, domain: str) -> list[Problem]:
    where = doc.where_in(path, address)
    if domain in _FREE_MAIL_DOMAINS or domain.split(".")[-2] in _FREE_MAIL_NAMES:
        return [_warning(where, "gratis-mail", address, domain)]
    if len(path) == 3 and path[0] == "contact" and path[2] == "email":
        return []
    return [_warning(where, "mail-buiten-contact", address)]


def _texts(value: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))
