"""Synthetic Dutch factsheets for benchmarks: a project folder of N valid initiatives.

`write_synthetic_project(root, n)` writes `initiatives/` and `organisations/` that pass
`kaart validate`. Text is drawn with a fixed seed from the shipped factsheets' own Dutch
vocabulary (compounds included) with Zipf-like word frequencies, as real text has: a few
words in every page, most in few. ~400 words per factsheet; the same call writes the same files.
"""

from __future__ import annotations

import itertools
import random
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

from kaart import registry

WORDS = (
    "werkgever werknemer werkzoekende begeleiding opleiding stage premie loonpremie subsidie "
    "loonkostensubsidie jobcoach coaching arbeidsbeperking re-integratie terugkeer werkvloer "
    "werkervaringsstage beroepsopleiding loopbaanbegeleiding traject ondersteuning aanvraag "
    "evaluatie doelgroep inschakeling competenties taalcoaching mentor collega tewerkstelling "
    "arbeidsmarkt ziekte arbeidsongeschiktheid werkhervatting attest vergoeding kosten duur "
    "maanden contract sector regio gemeente partner organisatie netwerk aanpak methodiek "
    "opvolging advies informatie welzijn inclusie diversiteit vaardigheden functie taken"
).split()
ORGANISATIONS = 40


REPO = Path(__file__).resolve().parent.parent


@cache
def _vocabulary() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Words of the shipped factsheets (plus WORDS), with cumulative Zipf weights by rank."""
    counts = Counter(w.casefold() for path in sorted((REPO / "initiatives").glob("*.yaml"))
                     for w in re.findall(r"[^\W\d_]{3,}", path.read_text(encoding="utf-8")))
    counts.update({w: 1 for w in WORDS})
    ranked = tuple(w for w, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))
    return ranked, tuple(itertools.accumulate(1 / rank for rank in range(1, len(ranked) + 1)))


def _sentence(rng: random.Random, length: int) -> str:
    vocabulary, weights = _vocabulary()
    words = rng.choices(vocabulary, cum_weights=weights, k=length)
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, words: int) -> str:
    sentences, total = [], 0
    while total < words:
        length = rng.randint(8, 18)
        sentences.append(_sentence(rng, length))
        total += length
    return "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def _initiative(rng: random.Random, index: int) -> str:
    situatie = rng.choice(sorted(registry.situations()))
    soort = rng.choice(sorted(registry.kinds()))
    groups = rng.sample(sorted(registry.target_groups()), 2)
    body = _paragraphs(rng, 380).replace("\n", "\n  ")
    return (
        "type: initiatief\n"
        f"id: synthetisch-{index:05d}\n"
        f"titel: Initiatief {index} {rng.choice(WORDS)} {rng.choice(WORDS)}\n"
        f"samenvatting: {_sentence(rng, 16)}\n"
        f"beschrijving: |\n  {body}\n"
        f"cellen:\n  - {{situatie: {situatie}, soort: {soort}}}\n"
        f"doelgroepen: [{', '.join(groups)}]\n"
        f"aanbieders: [org-{rng.randrange(ORGANISATIONS):03d}]\n"
        f"regio: {rng.choice(sorted(registry.regions()))}\n"
        f"status: {rng.choice(['actief', 'actief', 'actief', 'uitdovend', 'afgeschaft'])}\n"
        "bronnen:\n  - {deck: netwerk-2022, dia: Mapping initiatieven}\n"
        'laatst_nagekeken: "2026-11-01"\n'
    )


def _organisation(index: int) -> str:
    return (
        "type: organisatie\n"
        f"id: org-{index:03d}\n"
        f"titel: Organisatie {index}\n"
        "samenvatting: Een organisatie uit het Gentse netwerk.\n"
        "bronnen:\n  - {deck: netwerk-2022, dia: Mapping initiatieven}\n"
        'laatst_nagekeken: "2026-11-01"\n'
    )


def write_synthetic_project(root: Path, count: int, seed: int = 20221) -> Path:
    """Write a project with `count` synthetic initiatives (and 40 organisations) into `root`."""
    rng = random.Random(seed)
    for folder in ("initiatives", "organisations"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir(parents=True)
    for index in range(ORGANISATIONS):
        (root / "organisations" / f"org-{index:03d}.yaml").write_text(_organisation(index), encoding="utf-8")
    for index in range(count):
        path = root / "initiatives" / f"synthetisch-{index:05d}.yaml"
        path.write_text(_initiative(rng, index), encoding="utf-8")
    return root
