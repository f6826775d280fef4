"""Synthetic kaart projects for benchmarks: N initiatives with organisations and relations.

Deterministic for a given seed, valid against the schema, Dutch-looking text of ~400 words.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

WORDS = (
    "werk premie stage begeleiding opleiding werkgever werknemer loonpremie coaching traject "
    "arbeidsbeperking re-integratie ziekte terugkeer kans ondersteuning job vacature sollicitatie "
    "werkervaring loopbaan jobcoach werkvloer opleidingsplan doelgroep subsidie tussenkomst "
    "begeleidingspremie werkzoekende uitkering ziekenfonds vakbond gemeente netwerk partner"
).split()
SITUATIONS = ["niet-actief", "actief", "werkgever"]
KINDS = ["subsidie", "begeleiding", "opleiding", "informatie"]
GROUPS = ["werkzoekenden", "werknemers", "werkgevers", "personen-met-arbeidsbeperking", "arbeidsongeschikten"]
RELATIONS = ["zie-ook", "leidt-naar", "combineerbaar-met", "onderdeel-van", "variant-van"]
SOURCE = {"deck": "netwerk-2022", "dia": "Mapping initiatieven"}


def _text(rnd: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        length = min(words, rnd.randint(8, 18))
        sentence = " ".join(rnd.choice(WORDS) for _ in range(length))
        sentences.append(sentence.capitalize() + ".")
        words -= length
    return " ".join(sentences)


def initiative(i: int, n: int, organisations: int, rnd: random.Random) -> dict:
    sheet_id = f"initiatief-{i:05d}"
    # Relations only point forward, so routes cannot loop and no pair is stated from both sides.
    later = range(i + 1, n)
    targets = {f"initiatief-{rnd.choice(later):05d}" for _ in range(rnd.randint(1, 3))} if later else set()
    return {
        "type": "initiatief",
        "id": sheet_id,
        "titel": f"{rnd.choice(WORDS).capitalize()} {rnd.choice(WORDS)} {i}",
        "samenvatting": _text(rnd, 25),
        "beschrijving": "## Wat\n\n" + _text(rnd, 200) + "\n\n## Voor wie\n\n" + _text(rnd, 175),
        "cellen": [{"situatie": rnd.choice(SITUATIONS), "soort": rnd.choice(KINDS)}],
        "doelgroepen": sorted(set(rnd.sample(GROUPS, 2))),
        "aanbieders": [f"organisatie-{rnd.randrange(organisations):04d}"],
        "regio": "gent",
        "status": "actief",
        "kenmerken": {"duur": {"waarde": f"{rnd.randint(1, 12)} maanden", "bron": SOURCE}},
        "trefwoorden": [rnd.choice(WORDS)],
        "relaties": [{"type": rnd.choice(RELATIONS), "doel": t} for t in sorted(targets)],
        "bronnen": [SOURCE],
        "laatst_nagekeken": "2026-01-15",
    }


def organisation(i: int, rnd: random.Random) -> dict:
    return {
        "type": "organisatie",
        "id": f"organisatie-{i:04d}",
        "titel": f"Organisatie {i}",
        "samenvatting": _text(rnd, 20),
        "bronnen": [SOURCE],
        "laatst_nagekeken": "2026-01-15",
    }


def write_project(root: Path, n: int, seed: int = 1) -> list[dict]:
    """Write N initiatives (and N/20 organisations) as factsheets under `root`; returns the initiatives."""
    rnd = random.Random(seed)
    organisations = max(5, n // 20)
    for folder in ("initiatives", "organisations"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for i in range(organisations):
        sheet = organisation(i, rnd)
        (root / "organisations" / f"{sheet['id']}.yaml").write_text(json.dumps(sheet, ensure_ascii=False, indent=1), encoding="utf-8")
    sheets = [initiative(i, n, organisations, rnd) for i in range(n)]
    for sheet in sheets:
        (root / "initiatives" / f"{sheet['id']}.yaml").write_text(json.dumps(sheet, ensure_ascii=False, indent=1), encoding="utf-8")
    return sheets


def write_markdown_equivalent(content: Path, sheets: list[dict]) -> None:
    """The same pages as plain Pelican Markdown articles, for the baseline."""
    content.mkdir(parents=True, exist_ok=True)
    for sheet in sheets:
        body = f"Title: {sheet['titel']}\nDate: 2026-01-15\nSlug: {sheet['id']}\n\n{sheet['samenvatting']}\n\n{sheet['beschrijving']}\n"
        (content / f"{sheet['id']}.md").write_text(body, encoding="utf-8")
