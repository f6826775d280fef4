"""Synthetic kaart projects for benchmarks: N initiatives with organisations and relations.

Deterministic for a given seed, valid against the schema, Dutch-looking text of ~400 words.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import yaml

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
        "mapping_2022": True,  # a map whose matrix holds every initiative, as a large mapping would
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


# Realistic text for search benchmarks (scripts/bench_search.py).

from kaart.core import registry  # noqa: E402

ZIPF_EXTRA_WORDS = (
    "werkgever werknemer werkzoekende begeleiding opleiding stage premie loonpremie subsidie "
    "loonkostensubsidie jobcoach coaching arbeidsbeperking re-integratie terugkeer werkvloer "
    "werkervaringsstage beroepsopleiding loopbaanbegeleiding traject ondersteuning aanvraag "
    "evaluatie doelgroep inschakeling competenties taalcoaching mentor collega tewerkstelling "
    "arbeidsmarkt ziekte arbeidsongeschiktheid werkhervatting attest vergoeding kosten duur "
    "maanden contract sector regio gemeente partner organisatie netwerk aanpak methodiek "
    "opvolging advies informatie welzijn inclusie diversiteit vaardigheden functie taken"
).split()
ZIPF_ORGANISATIONS = 40


REPO = Path(__file__).resolve().parent.parent


@cache
def _zipf_vocabulary() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Words of the shipped factsheets (plus WORDS), with cumulative Zipf weights by rank."""
    counts = Counter(w.casefold() for path in sorted((REPO / "initiatives").glob("*.yaml"))
                     for w in re.findall(r"[^\W\d_]{3,}", path.read_text(encoding="utf-8")))
    counts.update({w: 1 for w in ZIPF_EXTRA_WORDS})
    ranked = tuple(w for w, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))
    return ranked, tuple(itertools.accumulate(1 / rank for rank in range(1, len(ranked) + 1)))


def _zipf_sentence(rng: random.Random, length: int) -> str:
    vocabulary, weights = _zipf_vocabulary()
    words = rng.choices(vocabulary, cum_weights=weights, k=length)
    return " ".join(words).capitalize() + "."


def _zipf_paragraphs(rng: random.Random, words: int) -> str:
    sentences, total = [], 0
    while total < words:
        length = rng.randint(8, 18)
        sentences.append(_zipf_sentence(rng, length))
        total += length
    return "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def _zipf_initiative(rng: random.Random, index: int) -> str:
    situatie = rng.choice(sorted(registry.situations()))
    soort = rng.choice(sorted(registry.kinds()))
    groups = rng.sample(sorted(registry.target_groups()), 2)
    body = _zipf_paragraphs(rng, 380).replace("\n", "\n  ")
    return (
        "type: initiatief\n"
        f"id: synthetisch-{index:05d}\n"
        f"titel: Initiatief {index} {rng.choice(ZIPF_EXTRA_WORDS)} {rng.choice(ZIPF_EXTRA_WORDS)}\n"
        f"samenvatting: {_zipf_sentence(rng, 16)}\n"
        f"beschrijving: |\n  {body}\n"
        f"cellen:\n  - {{situatie: {situatie}, soort: {soort}}}\n"
        "mapping_2022: true\n"
        f"doelgroepen: [{', '.join(groups)}]\n"
        f"aanbieders: [org-{rng.randrange(ZIPF_ORGANISATIONS):03d}]\n"
        f"regio: {rng.choice(sorted(registry.regions()))}\n"
        f"status: {rng.choice(['actief', 'actief', 'actief', 'uitdovend', 'afgeschaft'])}\n"
        "bronnen:\n  - {deck: netwerk-2022, dia: Mapping initiatieven}\n"
        'laatst_nagekeken: "2026-11-01"\n'
    )


def _zipf_organisation(index: int) -> str:
    return (
        "type: organisatie\n"
        f"id: org-{index:03d}\n"
        f"titel: Organisatie {index}\n"
        "samenvatting: Een organisatie uit het Gentse netwerk.\n"
        "bronnen:\n  - {deck: netwerk-2022, dia: Mapping initiatieven}\n"
        'laatst_nagekeken: "2026-11-01"\n'
    )


def write_realistic_project(root: Path, count: int, seed: int = 20221) -> Path:
    """Write `count` initiatives (and 40 organisations) whose text has realistic word frequencies.

    `write_project` draws from ~40 words, so every word is in every page: fine for build
    times, the worst case for search (each more-like-this query scores every page). Search
    benchmarks use this: the shipped factsheets' vocabulary with Zipf-like frequencies.
    """
    rng = random.Random(seed)
    for folder in ("initiatives", "organisations"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir(parents=True)
    for index in range(ZIPF_ORGANISATIONS):
        (root / "organisations" / f"org-{index:03d}.yaml").write_text(_zipf_organisation(index), encoding="utf-8")
    for index in range(count):
        path = root / "initiatives" / f"synthetisch-{index:05d}.yaml"
        path.write_text(_zipf_initiative(rng, index), encoding="utf-8")
    return root


def write_realistic_as_json(root: Path, count: int) -> list[dict]:
    """`write_realistic_project` in the shape `write_project` writes (JSON, which YAML reads too),
    returning the initiatives: the benchmark's `--realistic` project."""
    write_realistic_project(root, count)
    initiatives = []
    for path in sorted((root / "organisations").glob("*.yaml")) + sorted((root / "initiatives").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        if data["type"] == "initiatief":
            initiatives.append(data)
    return initiatives
