"""Read every factsheet of a project into one validated knowledge base, or into problems."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from . import registry
from .figures import read_topics
from .load import Document, factsheet_paths, load_document
from .model import KnowledgeBase, sheet_from_document
from .problems import Problem
from .validate import cross_problems, file_problems, schema_problems


def read_documents(root: Path) -> tuple[list[Document], list[Problem]]:
    docs: list[Document] = []
    problems: list[Problem] = []
    for path in factsheet_paths(root, tuple(registry.FOLDERS.values())):
        doc, found = load_document(path, root)
        problems += found
        if doc is not None:
            docs.append(doc)
    return docs, problems


def read_knowledge_base(root: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """All files are read and checked before anything is reported, so one run shows every error."""
    docs, problems = read_documents(root)
    valid = []
    for doc in docs:
        found = schema_problems(doc) + file_problems(doc)
        problems += found
        if not found:
            valid.append(doc)
    problems += cross_problems(valid, docs)
    topics, found = read_topics(root, (d.data["id"] for d in docs if isinstance(d.data.get("id"), str)))
    problems += found
    if problems:
        return None, sorted(set(problems))
    kb = KnowledgeBase.from_sheets([sheet_from_document(doc) for doc in valid])
    return dataclasses.replace(kb, figure_topics=topics), []
