"""What the search page looks up beside Pagefind: exact names and the corpus's own words.

Pagefind ranks by words, so "IBO" put IBO-T (whose title says IBO twice) above IBO itself, and a
typo such as "loonpermie" fell back to pages that merely say "loon". Written into the bundle after
Pagefind ran (so a bundle taken over from the previous site brings them along), from Pagefind's
own fragments:

- `kaart/namen/<prefix>.json`: normalised names (the page title, the title without its bracketed
  part, the bracketed part, which is the abbreviation where there is one, and the id from the
  address) to the Pagefind page ids that carry them; the search page puts an exact match first.
  Read from what Pagefind stores anyway (no extra metadata, which Pagefind would also index).
  Keywords are left out: several factsheets share one ("jobcoach", "artikel 60").
- `kaart/woorden/<prefix>.json`: the indexed words and how often they occur; the search page
  fetches one only when a query word found nothing of its own, to correct it ("Bedoelde je …?").

Files are split by the first letters of the key, so a query fetches a few hundred bytes, not the
whole vocabulary. `lookup_key` has a twin in theme/static/js/search.js (`lookupKey`).
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from kaart.core.workers import map_shares, worker_count

LOOKUP_DIR = "kaart"
NAME_PREFIX = 3
WORD_PREFIX = 3
# Shorter words are not corrected (the search page leaves them alone), so they need no entry.
MIN_WORD = 5
_SIGNATURE = b"pagefind_dcd"
_NOT_KEY = re.compile(r"[^a-z0-9+]+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def lookup_key(text: str) -> str:
    """Lower case, no accents, letters, digits and "+" only, single spaces: "IBO-T" -> "ibo t"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_KEY.sub(" ", plain).strip()


def shard(key: str, length: int) -> str:
    """The file a key lives in: its first letters without spaces ("ibo t" -> "ibo")."""
    return key.replace(" ", "")[:length] or "_"


def page_names(title: str, url: str) -> list[str]:
    """The names a search matches exactly, from a page's title and address: "Individuele
    beroepsopleiding (IBO)" at /initiatief/ibo/ is also "Individuele beroepsopleiding", "IBO"
    and "ibo"; "Begeleidingspremie (individueel maatwerk)" is also "Begeleidingspremie"."""
    short = re.sub(r"\s*\([^)]*\)", "", title).strip()
    bracketed = re.findall(r"\(([^)]*)\)", title)
    page_id = url.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
    return [name for name in (title, short, *bracketed, page_id) if name]


def write_lookups(bundle: Path, parts: Sequence[Path] = ()) -> None:
    """Read the fragments of the bundle, or of its `parts` (an index in parts, kaart.build.pagefind),
    and write the name and word files into the bundle."""
    paths = [path for part in (parts or [bundle]) for path in sorted((part / "fragment").glob("*.pf_fragment"))]
    names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    written: Counter[str] = Counter()  # every word as the pages write it, lower case
    # The last step of a build, with the other cores idle: the fragments are read in shares.
    for share_names, share_written in map_shares(_read_share, paths, worker_count(len(paths))):
        for part, entries in share_names.items():
            for key, pages in entries.items():
                names[part][key] |= pages
        written.update(share_written)
    # Each distinct word is normalised once (at 5,000 pages: ~50,000 words, not millions).
    words: Counter[str] = Counter()
    shown: dict[str, Counter[str]] = defaultdict(Counter)
    for lower, count in written.items():
        key = lookup_key(lower)
        if len(key) >= MIN_WORD and " " not in key and not key.isdigit():
            words[key] += count
            shown[key][lower] += count
    root = bundle / LOOKUP_DIR
    for part, entries in names.items():
        data = {key: sorted(pages) for key, pages in sorted(entries.items())}
        _write(root / "namen" / f"{part}.json", data)
    by_shard: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, count in words.items():
        # The form most often written ("oekraïne"), so a suggestion reads as the factsheets do.
        form = min(shown[key].items(), key=lambda pair: (-pair[1], pair[0]))[0]
        by_shard[shard(key, WORD_PREFIX)].append((form, count))
    for part, entries in by_shard.items():
        _write(root / "woorden" / f"{part}.json", sorted(entries, key=lambda pair: (-pair[1], pair[0])))


def _read_share(paths: Sequence[Path]) -> tuple[dict[str, dict[str, set[str]]], Counter[str]]:
    """The names (by file) and the lower-cased words, counted, of these fragments."""
    names: dict[str, dict[str, set[str]]] = {}
    tokens: Counter[str] = Counter()  # the texts split at white space, counted
    for path in paths:
        page_id = path.name.removesuffix(".pf_fragment")
        fragment = _read_fragment(path)
        for name in page_names(fragment.get("meta", {}).get("title", ""), fragment.get("url", "")):
            key = lookup_key(name)
            # "IBO-T", "wijk-werken": also as typed without the space or hyphen ("ibot", "wijkwerken").
            joined = {key.replace(" ", "")} if key.count(" ") <= 2 else set()
            for variant in ({key} | joined) - {""}:
                names.setdefault(shard(key, NAME_PREFIX), {}).setdefault(variant, set()).add(page_id)
        tokens.update(fragment.get("content", "").split())
    # A word never holds white space, so the words of each distinct token, counted as often as the
    # token occurs, are exactly the words of the texts (2.4x faster than finding them in each text).
    spellings: Counter[str] = Counter()
    for token, count in tokens.items():
        for spelling in _WORD.findall(token):
            spellings[spelling] += count
    written: Counter[str] = Counter()
    for spelling, count in spellings.items():  # each spelling case-folded once
        written[spelling.casefold()] += count
    return names, written


def _read_fragment(path: Path) -> dict:
    raw = gzip.decompress(path.read_bytes())
    return json.loads(raw[len(_SIGNATURE):] if raw.startswith(_SIGNATURE) else raw)


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
