"""Read every factsheet of a project into one validated knowledge base, or into problems."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from . import registry
from .handouts import read_handouts
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
    sheets = [sheet_from_document(doc) for doc in valid]
    handouts, found = read_handouts(root, sheets, (doc.data.get("id") for doc in docs))
    problems += found
    if problems:
        return None, sorted(set(problems))
    return dataclasses.replace(KnowledgeBase.from_sheets(sheets), handouts=handouts), []
