"""The searchable text of a factsheet, shared by the browser index (Pagefind) and Whoosh.

A derived view: it reads the model only. Both indexes get the same words, plus the word
forms of `kaart.compounds` (compound parts, plural pairs), so the site and `kaart search`
find the same factsheets.
"""

from __future__ import annotations

from collections.abc import Mapping
from . import registry
from .compounds import Splitter, build_vocabulary, extra_terms
from .model import Initiative, KnowledgeBase, Sheet


def sheet_text(sheet: Sheet) -> str:
    """The words a factsheet is about: title, abbreviation, summary, description, facts, synonyms."""
    parts = [sheet.titel, sheet.afkorting or "", sheet.samenvatting, sheet.beschrijving or "",
             " ".join(sheet.trefwoorden)]
    if isinstance(sheet, Initiative):
        parts += [a.waarde for a in sheet.kenmerken]
        parts += [f"{e.titel} {e.tekst}" for e in sheet.praktijk]
        parts += [m.omschrijving for m in sheet.mijlpalen]
    parts += [f.omschrijving for f in sheet.cijfers]
    return "\n".join(p for p in parts if p)


def vocabulary_texts(kb: KnowledgeBase) -> list[str]:
    """Everything the corpus says, including the labels of the facets, in a stable order."""
    labels = [" ".join(registry.kinds().values()), " ".join(registry.situations().values()),
              " ".join(registry.target_groups().values())]
    return labels + [sheet_text(kb.sheets[key]) for key in sorted(kb.sheets)]


# The model is not hashable (it holds mappings); keep the terms of the last model asked about.
_last: tuple[KnowledgeBase, Mapping[str, tuple[str, ...]]] | None = None


def all_extra_terms(kb: KnowledgeBase) -> Mapping[str, tuple[str, ...]]:
    """Compound parts and plural forms to index with each factsheet, computed once per model."""
    global _last
    if _last is None or _last[0] is not kb:
        splitter = Splitter(build_vocabulary(vocabulary_texts(kb)))
        _last = (kb, {key: extra_terms(sheet_text(sheet), splitter) for key, sheet in kb.sheets.items()})
    return _last[1]
