"""Full-text search in Python with Dutch stemming, for `kaart search`.

Whoosh stays behind this module and `kaart.features.search.similar` (whoosh-reloaded is unmaintained since 2025):
the rest of kaart sees `SearchIndex`, `Hit` and plain ids, so another engine can replace it there alone.
The index can live in a cache folder (`cache_dir`), where a new search re-analyses only changed
factsheets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import fields, index, qparser
from whoosh.analysis import LanguageAnalyzer
from whoosh.filedb.filestore import RamStorage

from kaart.features.search.compounds import plural_forms, words
from kaart.features.search.corpus import all_extra_terms, sheet_text
from kaart.core.model import Initiative, KnowledgeBase, Sheet

SCHEMA_VERSION = "1"


def _schema() -> fields.Schema:
    dutch = LanguageAnalyzer("nl")
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        type=fields.ID(stored=True),
        path=fields.STORED(),
        digest=fields.STORED(),
        titel=fields.TEXT(analyzer=dutch, stored=True, field_boost=3.0),
        trefwoorden=fields.TEXT(analyzer=dutch, field_boost=2.0),
        inhoud=fields.TEXT(analyzer=dutch, vector=True),
        soort=fields.KEYWORD(stored=True, commas=True),
        situatie=fields.KEYWORD(stored=True, commas=True),
    )


@dataclass(frozen=True)
class Hit:
    id: str
    titel: str
    path: str
    score: float


def _document(sheet: Sheet, extra_terms: Sequence[str]) -> dict[str, str]:
    cells = sheet.cellen if isinstance(sheet, Initiative) else ()
    doc = {
        "id": sheet.id,
        "type": sheet.type,
        "path": sheet.path,
        "titel": sheet.display_title,
        "trefwoorden": " ".join([sheet.afkorting or "", *sheet.trefwoorden]),
        "inhoud": sheet_text(sheet) + "\n" + " ".join(extra_terms),
        "soort": ",".join(sorted({c.soort for c in cells})),
        "situatie": ",".join(sorted({c.situatie for c in cells})),
    }
    doc["digest"] = hashlib.sha256(repr(sorted(doc.items())).encode()).hexdigest()
    return doc


def _documents(kb: KnowledgeBase) -> dict[str, dict[str, str]]:
    extra = all_extra_terms(kb)
    return {key: _document(sheet, extra[key]) for key, sheet in sorted(kb.sheets.items())}


class SearchIndex:
    """A Whoosh index of every factsheet, in memory or kept up to date in a cache folder."""

    def __init__(self, ix: index.Index, updated: int) -> None:
        self._ix = ix
        self.updated = updated  # documents (re)indexed when this index was opened

    @classmethod
    def build(cls, kb: KnowledgeBase, cache_dir: Path | None = None) -> SearchIndex:
        docs = _documents(kb)
        if cache_dir is None:
            ix = RamStorage().create_index(_schema())
            return cls(ix, _sync(ix, docs))
        folder = cache_dir / f"whoosh-v{SCHEMA_VERSION}"
        folder.mkdir(parents=True, exist_ok=True)
        ix = index.open_dir(str(folder)) if index.exists_in(str(folder)) else index.create_in(str(folder), _schema())
        return cls(ix, _sync(ix, docs))

    def search(self, text: str, soort: Iterable[str] = (), situatie: Iterable[str] = (),
               limit: int = 20) -> list[Hit]:
        """Ranked factsheets for a query; any word may match, more matches rank higher."""
        parser = qparser.MultifieldParser(["titel", "trefwoorden", "inhoud"], self._ix.schema,
                                          group=qparser.OrGroup)
        # The other number of each word too: the Dutch stemmer keeps "stages" apart from "stage".
        forms = [form for word in words(text) for form in plural_forms(word)]
        parsed = parser.parse(" ".join([text, *forms]))
        wanted = {"soort": set(soort), "situatie": set(situatie)}
        with self._ix.searcher() as searcher:
            # Facets are checked on the stored values: Whoosh's `filter=` zeroes the scores.
            hits = [Hit(r["id"], r["titel"], r["path"], round(r.score, 6))
                    for r in searcher.search(parsed, limit=None)
                    if all(not values or values & set(r[name].split(",")) for name, values in wanted.items())]
        return sorted(hits, key=lambda h: (-h.score, h.id))[:limit]


def _sync(ix: index.Index, docs: Mapping[str, dict[str, str]]) -> int:
    """Bring the index in line with `docs`: add new and changed documents, drop removed ones."""
    with ix.searcher() as searcher:
        stored = {fields_["id"]: fields_["digest"] for fields_ in searcher.all_stored_fields()}
    changed = [key for key, doc in docs.items() if stored.get(key) != doc["digest"]]
    removed = sorted(set(stored) - set(docs))
    if not changed and not removed:
        return 0
    writer = ix.writer()
    for key in removed:
        writer.delete_by_term("id", key)
    for key in changed:
        writer.update_document(**docs[key])
    # Whoosh's default policy merges only small segments: one change writes one small segment
    # instead of rewriting the whole index (13.7 s at 5,000 factsheets with optimize=True).
    # Until a merge, a replaced document's old terms still count in the statistics, so scores
    # can differ a little from those of a fresh index; the same factsheets are found.
    writer.commit()
    return len(changed) + len(removed)
