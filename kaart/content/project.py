"""Read every factsheet (and comparison definition) of a project into one validated knowledge base, or into problems."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from kaart.core import registry
from kaart.core.store import Store
from kaart.content.comparisons import check_definitions, comparisons_from_documents
from kaart.content.figures import read_topics
from kaart.content.relations import graph_problems
from kaart.content.handouts import read_handouts
from kaart.content import comparisons as comparison_files, figures as figure_files, handouts as handout_files
from kaart.core.load import Document, content_files, factsheet_paths
from kaart.core.model import KnowledgeBase, sheet_from_document
from kaart.core.problems import Problem, errors_in
from kaart.core.validate import cross_problems, schema_self_problems


def read_documents(root: Path, store: Store | None = None) -> tuple[list[Document], list[Document], list[Problem], set[str]]:
    """All documents that parsed, those of them that passed the per-file checks (warnings allowed),
    the problems, and the ids (file names) of the factsheet files that could not be read."""
    cache = (store or Store.off()).documents()
    parsed: list[Document] = []
    valid: list[Document] = []
    problems: list[Problem] = []
    unreadable: set[str] = set()
    paths = factsheet_paths(root, tuple(registry.FOLDERS.values()))
    for path, (doc, found) in zip(paths, cache.check_all(list(paths), root), strict=True):
        problems += found
        if doc is None:
            unreadable.add(path.stem)
        else:
            parsed.append(doc)
            if not errors_in(found):
                valid.append(doc)
    cache.save({p.relative_to(root).as_posix() for p in paths})
    return parsed, valid, problems, unreadable


def read_knowledge_base(root: Path, store: Store | None = None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """All files are read and checked before anything is reported, so one run shows every error.
    The problems are errors and warnings; the knowledge base is None when there is an error."""
    if problems := schema_self_problems(root):
        return None, problems
    parsed, valid, problems, unreadable = read_documents(root, store)
    # Files no reader takes (a .YAML name, a link to nothing or to outside the project) are errors.
    problems += content_files(root, (*registry.FOLDERS.values(), comparison_files.FOLDER, figure_files.FOLDER,
                                     handout_files.FOLDER))[1]
    # A file that did not parse has its error; references to it (by its file name) are not reported again.
    problems += cross_problems(valid, parsed, unreadable)
    definitions, found = check_definitions(root, parsed, unreadable)
    problems += found
    known_ids = {d.data["id"] for d in parsed if isinstance(d.data.get("id"), str)} | unreadable
    topics, found = read_topics(root, known_ids)
    problems += found
    # Contradictions between relations (cycles, a relation stated twice) need the whole graph.
    sheets = [sheet_from_document(doc) for doc in valid]
    kb = KnowledgeBase.from_sheets(sheets)
    problems += graph_problems(kb.relations, {s.id for s in sheets})
    handouts, found = read_handouts(root, sheets, known_ids)
    problems += found
    if errors_in(problems):
        return None, sorted(set(problems))
    kb = replace(kb, comparisons=comparisons_from_documents(definitions, kb), figure_topics=topics, handouts=handouts,
                 source_data=MappingProxyType({doc.data["id"]: doc.data for doc in valid}),
                 source_files=MappingProxyType({doc.data["id"]: doc.path for doc in valid}),
                 source_digests=MappingProxyType({doc.data["id"]: doc.digest for doc in valid}))
    return kb, sorted(set(problems))
