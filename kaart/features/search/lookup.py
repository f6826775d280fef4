"""What the search page looks up beside Pagefind: exact names and the corpus's own words.

Pagefind ranks by words, so "IBO" put IBO-T (whose title says IBO twice) above IBO itself, and a
typo such as "loonpermie" fell back to pages that merely say "loon". Written into the bundle after
Pagefind ran (so a bundle taken over from the previous site brings them along), from Pagefind's
own fragments, most of them read while Pagefind still writes the rest of its bundle:

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
import os
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from kaart.core.workers import map_shares, worker_count

LOOKUP_DIR = "kaart"
NAME_PREFIX = 3
# Two letters for the words: by three, 5,000 realistic factsheets gave 719 files, half of them
# under 40 bytes (less than a request's headers); by two, 180 files, half under 170 bytes, the
# largest 3.8 KB: a correction still fetches a few hundred bytes, and the build makes a quarter
# of the files (each file made costs the build's tail time).
WORD_PREFIX = 2
# Shorter words are not corrected (the search page leaves them alone), so they need no entry.
MIN_WORD = 5
_SIGNATURE = b"pagefind_dcd"
FRAGMENT_SUFFIX = ".pf_fragment"
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


def ranked_names(title: str, url: str) -> list[tuple[str, int]]:
    """The names a search matches exactly, from a page's title and address, each with its rank:
    "Individuele beroepsopleiding (IBO)" at /initiatief/ibo/ is also "Individuele
    beroepsopleiding", "IBO" and "ibo"; "Begeleidingspremie (individueel maatwerk)" is also
    "Begeleidingspremie". Rank 0 for the title with or without its brackets, 1 for what the
    brackets hold and for the address: where one name belongs to several pages, the page whose own
    title it is comes first ("OCMW Gent" before "Tijdelijke werkervaring via artikel 60 (OCMW
    Gent)", "Individueel maatwerk (IMW)" before "Collega-coach (individueel maatwerk)")."""
    short = re.sub(r"\s*\([^)]*\)", "", title).strip()
    bracketed = re.findall(r"\(([^)]*)\)", title)
    page_id = url.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
    return [(name, rank) for name, rank in ((title, 0), (short, 0), *((b, 1) for b in bracketed), (page_id, 1)) if name]


Fragment = tuple[str, str]  # a fragment file's path and the page id the search page knows it by
Names = dict[str, dict[str, dict[str, int]]]  # by file, by name: the pages with the name's rank on each


def bundle_fragments(bundle: Path, mark: Callable[[str], str] | None = None) -> list[Fragment]:
    """The fragments in a bundle (or one of its parts) now, each under the id its file is named
    after, or `mark(id)` (a later part's ids as they will be renamed, kaart.build.pagefind).
    Plain strings and one directory listing: read every 0.05 s while Pagefind runs."""
    folder = str(bundle / "fragment")
    try:
        names = sorted(os.listdir(folder))
    except OSError:  # not written yet
        return []
    found = []
    for name in names:
        if name.endswith(FRAGMENT_SUFFIX):
            page_id = name.removesuffix(FRAGMENT_SUFFIX)
            found.append((f"{folder}/{name}", mark(page_id) if mark else page_id))
    return found


def write_lookups(bundle: Path, fragments: Sequence[Fragment] | None = None) -> None:
    """Read the fragments (by default the bundle's own) and write the name and word files into the bundle."""
    lookups = Lookups()
    lookups.read_rest(bundle_fragments(bundle) if fragments is None else fragments)
    lookups.write(bundle)


class Lookups:
    """The names and words of the fragments read so far. Read while Pagefind still writes its
    bundle (`read_ready`), then the rest (`read_rest`): the build waits only for those."""

    def __init__(self) -> None:
        self.names: Names = defaultdict(lambda: defaultdict(dict))
        self.written: Counter[str] = Counter()  # every word as the pages write it, lower case
        self.done: set[str] = set()  # the paths of the fragments read

    def read_ready(self, fragments: Sequence[Fragment], most: int) -> None:
        """Read up to `most` fragments not read yet that Pagefind has finished writing. A fragment
        still being written is left for later: its gzip stream ends early (or is not there yet),
        and a complete stream carries the checksum of all its content."""
        ready = []
        for path, page_id in fragments:
            if len(ready) == most:
                break
            if path in self.done:
                continue
            try:
                ready.append((page_id, _read_fragment(path)))
            except (OSError, EOFError, zlib.error, ValueError):
                continue
            self.done.add(path)
        if ready:  # together: their texts share most of their words
            self._add(*_lookups_of(ready))

    def read_rest(self, fragments: Sequence[Fragment]) -> None:
        """Read every fragment not read yet, in shares on every core (nothing else runs then)."""
        rest = [(path, page_id) for path, page_id in fragments if path not in self.done]
        for share_names, share_written in map_shares(_read_share, rest, worker_count(len(rest))):
            self._add(share_names, share_written)
        self.done.update(path for path, _ in rest)

    def _add(self, names: Names, written: Counter[str]) -> None:
        for part, entries in names.items():
            for key, pages in entries.items():
                known = self.names[part][key]
                for page_id, rank in pages.items():
                    known[page_id] = min(rank, known.get(page_id, rank))
        self.written.update(written)

    def write(self, bundle: Path) -> None:
        """The name and word files, the same whatever order the fragments were read in."""
        # Each distinct word is normalised once (at 5,000 pages: ~50,000 words, not millions).
        words: Counter[str] = Counter()
        shown: dict[str, Counter[str]] = defaultdict(Counter)
        for lower, count in self.written.items():
            key = lookup_key(lower)
            if len(key) >= MIN_WORD and " " not in key and not key.isdigit():
                words[key] += count
                shown[key][lower] += count
        root = bundle / LOOKUP_DIR
        for part, entries in self.names.items():
            # A name's pages, the ones it is the title of first.
            data = {key: sorted(pages, key=lambda page_id, pages=pages: (pages[page_id], page_id))
                    for key, pages in sorted(entries.items())}
            _write(root / "namen" / f"{part}.json", data)
        by_shard: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for key, count in words.items():
            # The form most often written ("oekraïne"), so a suggestion reads as the factsheets do.
            form = min(shown[key].items(), key=lambda pair: (-pair[1], pair[0]))[0]
            by_shard[shard(key, WORD_PREFIX)].append((form, count))
        for part, entries in by_shard.items():
            _write(root / "woorden" / f"{part}.json", sorted(entries, key=lambda pair: (-pair[1], pair[0])))


def _read_share(fragments: Sequence[Fragment]) -> tuple[Names, Counter[str]]:
    return _lookups_of([(page_id, _read_fragment(path)) for path, page_id in fragments])


def _lookups_of(fragments: Sequence[tuple[str, dict]]) -> tuple[Names, Counter[str]]:
    """The names (by file; each name's pages with their rank) and the lower-cased words, counted,
    of these fragments (by page id)."""
    names: Names = {}
    tokens: Counter[str] = Counter()  # the texts split at white space, counted
    for page_id, fragment in fragments:
        for name, rank in ranked_names(fragment.get("meta", {}).get("title", ""), fragment.get("url", "")):
            key = lookup_key(name)
            # "IBO-T", "wijk-werken": also as typed without the space or hyphen ("ibot", "wijkwerken").
            joined = {key.replace(" ", "")} if key.count(" ") <= 2 else set()
            for variant in ({key} | joined) - {""}:
                pages = names.setdefault(shard(key, NAME_PREFIX), {}).setdefault(variant, {})
                pages[page_id] = min(rank, pages.get(page_id, rank))
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


def _read_fragment(path: Path | str) -> dict:
    with open(path, "rb") as file:
        raw = gzip.decompress(file.read())
    return json.loads(raw[len(_SIGNATURE):] if raw.startswith(_SIGNATURE) else raw)


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
