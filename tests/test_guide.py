"""The task path "Voor wie zoek je iets?": situation, then kind of help, then the initiatives."""

from __future__ import annotations

from kaart.features import guide
from kaart.content.project import read_knowledge_base

from .conftest import REPO


def test_every_choice_leads_to_as_many_initiatives_as_it_says():
    kb, _ = read_knowledge_base(REPO)
    pages = {page.save_as: page for page in guide.emit(kb)}
    situations, groups = guide.first_step(kb)
    assert [c.url for c in situations] == ["hulp/niet-actief/", "hulp/actief/", "hulp/werkgever/"]
    for choice in situations:
        step = pages[f"{choice.url}index.html"]
        for kind in step.context["choices"]:
            listed = pages[f"{kind.url}index.html"].context["sheets"]
            assert len(listed) == kind.count > 0
    assert all(c.count == len(kb.for_target_group(c.url.split("/")[1])) > 0 for c in groups)


def test_running_initiatives_come_first():
    kb, _ = read_knowledge_base(REPO)
    for page in guide.emit(kb):
        if "sheets" in page.context:
            ended = [s.status in guide.ENDED for s in page.context["sheets"]]
            assert ended == sorted(ended), page.save_as


def test_no_step_offers_an_empty_choice(site_root):
    kb, _ = read_knowledge_base(site_root)  # four initiatives: most cells are empty
    pages = list(guide.emit(kb))
    assert pages and all(page.context.get("sheets", True) for page in pages)
    kinds_offered = {c.url for page in pages for c in page.context.get("choices", ())}
    assert kinds_offered == {p.url for p in pages if "sheets" in p.context}
