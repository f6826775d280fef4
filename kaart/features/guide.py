"""The task path from the home page, "Voor wie zoek je iets?": who the help is for, then what kind
of help, then the initiatives that give it. Plain links between static pages, so it works without
JavaScript and on paper; every choice says how many initiatives it leads to, and a choice that
leads to none is not offered.

Pages: /hulp/<situatie>/ (which kind of help) and /hulp/<situatie>/<soort>/ (the initiatives,
running ones first). The first step is on the home page, with shortcuts to target groups.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kaart.core.store import Store
from kaart.core import registry
from kaart.core.model import Initiative, KnowledgeBase
from kaart.features.output import Page

# How the first question names each situation to someone who asks for a person or an employer.
SITUATION_QUESTIONS = {
    "niet-actief": "Iemand die niet aan het werk is (ziek, werkloos, nieuwkomer)",
    "actief": "Iemand die aan het werk is",
    "werkgever": "Een werkgever",
}
# Target groups coaches ask about often, offered beside the three situations.
SHORTCUT_GROUPS = ("personen-met-arbeidsbeperking", "arbeidsongeschikten", "nieuwkomers", "leefloongerechtigden")
ENDED = ("uitdovend", "afgeschaft")


@dataclass(frozen=True)
class Choice:
    url: str
    label: str
    count: int


def _running_first(sheets: tuple[Initiative, ...]) -> tuple[Initiative, ...]:
    return tuple(sorted(sheets, key=lambda s: s.status in ENDED))  # stable: alphabetical within each


def first_step(kb: KnowledgeBase) -> tuple[tuple[Choice, ...], tuple[Choice, ...]]:
    """(the situations, the target-group shortcuts) that lead somewhere."""
    situations = tuple(Choice(f"hulp/{key}/", question, len(kb.in_situation(key)))
                       for key, question in SITUATION_QUESTIONS.items() if kb.in_situation(key))
    groups = tuple(Choice(f"doelgroep/{key}/", registry.target_groups()[key], len(kb.for_target_group(key)))
                   for key in SHORTCUT_GROUPS if kb.for_target_group(key))
    return situations, groups


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Page]:
    kinds = registry.kinds()
    for situation, question in SITUATION_QUESTIONS.items():
        choices = tuple(Choice(f"hulp/{situation}/{kind}/", label, len(kb.in_cell(situation, kind)))
                        for kind, label in kinds.items() if kb.in_cell(situation, kind))
        if not choices:
            continue
        yield Page(f"hulp/{situation}/index.html", "guide", {
            "page_title": f"Wegwijzer: {question.lower() if situation != 'werkgever' else 'een werkgever'}",
            "question": question, "situation": situation, "choices": choices,
        })
        for kind, label in kinds.items():
            sheets = kb.in_cell(situation, kind)
            if sheets:
                yield Page(f"hulp/{situation}/{kind}/index.html", "guide_list", {
                    "page_title": f"{label} voor {registry.situations()[situation].lower()}",
                    "question": question, "situation": situation, "kind": kind, "sheets": _running_first(sheets),
                    "other_kinds": tuple(c for c in choices if not c.url.endswith(f"/{kind}/")),
                })
