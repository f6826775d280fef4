"""Synthetic Dutch factsheets for benchmarks: a project folder of N valid initiatives.

`write_synthetic_project(root, n)` writes `initiatives/` and `organisations/` that pass
`kaart validate`. Text is drawn with a fixed seed from a Dutch labour-market vocabulary (with
compounds), ~400 words per factsheet, so the same call always writes the same files.
"""

from __future__ import annotations

import random
import shutil
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
FILLER = "de het een en van voor met bij op in naar die dat als wordt kan zijn is ook".split()
ORGANISATIONS = 40


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) if rng.random() < 0.55 else rng.choice(FILLER) for _ in range(length)]
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
