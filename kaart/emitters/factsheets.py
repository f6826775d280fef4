"""A page per initiative and per organisation."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Initiative, KnowledgeBase
from . import Page, sheet_context_providers


def emit(kb: KnowledgeBase) -> Iterator[Page]:
    providers = [prepare(kb) for prepare in sheet_context_providers()]
    for sheet in kb.sheets.values():
        template = "initiative" if isinstance(sheet, Initiative) else "organisation"
        context = {"sheet": sheet, "related": kb.related(sheet.id), "page_title": sheet.display_title}
        if not isinstance(sheet, Initiative):
            context["offers"] = kb.offered_by(sheet.id)
            context["takes_part_in"] = kb.taking_part_in(sheet.id)
        for provide in providers:
            context.update(provide(sheet))
        yield Page(f"{sheet.url}index.html", template, context)
