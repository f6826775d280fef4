"""Contradictions between relations that no single file shows: a chain of "vervangt", "leidt naar",
"onderdeel van" or "variant van" that returns to its start, and a symmetric relation stated on
both sheets. Part of reading a project: a contradiction stops the build like any other problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import networkx as nx

from kaart.core import registry
from kaart.core.model import Relation
from kaart.core.problems import Problem


def graph_problems(relations: Iterable[Relation], known_ids: set[str]) -> list[Problem]:
    """Contradictions a single file cannot show: chains that return to their start, relations stated twice.

    Relations to unknown sheets or to the sheet itself are reported by `validate.py` and ignored here.
    """
    usable = [r for r in relations if r.target in known_ids and r.source in known_ids and r.source != r.target]
    return sorted(set(_cycle_problems(usable)) | set(_duplicate_problems(usable)))


def _cycle_problems(relations: list[Relation]) -> Iterator[Problem]:
    for rtype in registry.RELATION_TYPES.values():
        if not rtype.acyclic:
            continue
        typed = nx.DiGraph()
        for rel in relations:
            if rel.type == rtype.key:
                typed.add_edge(rel.source, rel.target, relation=rel)
        for component in sorted(sorted(c) for c in nx.strongly_connected_components(typed) if len(c) > 1):
            cycle = nx.find_cycle(typed.subgraph(component), source=component[0])
            yield from _describe_cycle(rtype, [typed.edges[u, v]["relation"] for u, v in cycle])


def _describe_cycle(rtype: registry.RelationType, cycle: list[Relation]) -> Iterator[Problem]:
    """Every relation of the cycle is reported where it stands, so each file involved gets marked."""
    if len(cycle) == 2 and rtype.key == "vervangt":
        a, b = cycle
        yield Problem(a.origin, f"tegenspraak: '{a.source}' en '{a.target}' vervangen elkaar", "houd één richting")
        yield Problem(b.origin, f"tegenspraak: '{b.source}' en '{b.target}' vervangen elkaar", "houd één richting")
        return
    path = " → ".join([cycle[0].source, *(r.target for r in cycle)])
    others = ", ".join(str(r.origin) for r in cycle)
    for rel in cycle:
        yield Problem(rel.origin, f"kringloop in '{rtype.label}': {path}",
                      f"een keten van '{rtype.label}' mag niet terugkeren; schrap één van deze relaties ({others})")


def _duplicate_problems(relations: list[Relation]) -> Iterator[Problem]:
    """A symmetric relation stated on both sheets: one is enough, the other page shows it by itself."""
    first: dict[tuple[str, str, str], Relation] = {}
    for rel in sorted(relations, key=lambda r: r.origin):
        if not rel.kind.symmetric:
            continue
        pair = (rel.type, *sorted((rel.source, rel.target)))
        if pair in first:
            yield Problem(rel.origin, f"de relatie '{rel.kind.label}' tussen '{rel.source}' en '{rel.target}' "
                                      f"staat al op de andere fiche",
                          f"schrap ze hier; ze staat al in {first[pair].origin} en verschijnt vanzelf op beide pagina's")
        else:
            first[pair] = rel


# --- analyses ---------------------------------------------------------------------------------
