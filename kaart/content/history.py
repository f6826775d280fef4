"""What changed in the factsheets, read from the project's git history once per build.

One `git log` lists every commit that touched `initiatives/` or `organisations/` with the files it
added, removed, renamed or changed (and their blob ids); one `git cat-file --batch` reads the
versions that are not in the store yet. Per calendar day and per factsheet the versions before the
first and after the last commit of that day are compared as parsed data (`core/load`), never as
text: a change of layout or comments is no change, and a change reads as plain Dutch ("status:
actief → afgeschaft", "nieuwe bron", "contact gewijzigd"). A factsheet keeps its history through a
rename. A project without history (a source archive, a shallow clone, no git) gets an empty
`History` with a `note` saying why, and builds as before.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from kaart.core import registry
from kaart.core.dutch import format_date
from kaart.core.load import YAML_SUFFIXES, load_text
from kaart.core.model import Initiative, KnowledgeBase, Sheet, sort_key
from kaart.core.store import Store
from kaart.core.workers import map_shares, worker_count

# The kinds of change, in the order a day lists them, with how a page names them.
KINDS: dict[str, str] = {"nieuw": "Nieuw", "hernoemd": "Hernoemd", "gewijzigd": "Gewijzigd", "verwijderd": "Verwijderd"}

NOTE_NO_GIT = "geen wijzigingen getoond: git is niet geïnstalleerd"
NOTE_NOT_A_REPOSITORY = "geen wijzigingen getoond: het project is geen git-repository (bv. een bronarchief)"
NOTE_UNTRACKED = "geen wijzigingen getoond: de fiches staan nog niet in de git-geschiedenis (geen commit)"
NOTE_SHALLOW = ("geen wijzigingen getoond: de git-geschiedenis is onvolledig (een ondiepe kloon); haal ze op met "
                "'git fetch --unshallow' (in GitHub Actions: 'fetch-depth: 0' bij actions/checkout)")

_STORE_NAMESPACE = "geschiedenis"
# Between commits: \x01 starts a commit, \x02 separates its fields (hash, parents, date, decorations).
_LOG_FORMAT = "%x01%H%x02%P%x02%cI%x02%D"


@dataclass(frozen=True)
class Ref:
    """A factsheet named inside a change ("nieuwe aanbieder: VDAB"): its title is filled in per
    build, so a cached change never shows an old title."""

    id: str


Part = str | Ref


@dataclass(frozen=True)
class SheetChange:
    """What happened to one factsheet on one day."""

    date: dt.date
    kind: str  # a key of KINDS
    sheet_id: str  # the id it has now, or had last (a removed sheet)
    titel: str
    type: str  # initiatief | organisatie
    soorten: tuple[str, ...] = ()
    situaties: tuple[str, ...] = ()
    details: tuple[str, ...] = ()  # what changed, in plain Dutch
    previous_id: str | None = None  # a renamed sheet's id before
    on_map: bool = True  # the sheet has a page now (a removed one has none)
    updated: str = ""  # the time of the day's last commit (ISO 8601, with its offset)
    at_start: bool = False  # added by the first commit of the history (the map as it began)

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def url(self) -> str | None:
        if not self.on_map:
            return None
        return f"{'initiatief' if self.type == 'initiatief' else 'organisatie'}/{self.sheet_id}/"

    @property
    def anchor(self) -> str:
        return f"w-{self.date.isoformat()}-{self.kind}-{self.sheet_id}"

    @property
    def month(self) -> str:
        return self.date.isoformat()[:7]


@dataclass(frozen=True)
class History:
    """Every change, newest day first; `note` says why there is none to show (no history)."""

    changes: tuple[SheetChange, ...] = ()
    note: str | None = None
    _by_sheet: dict[str, tuple[SheetChange, ...]] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def available(self) -> bool:
        return self.note is None

    def of_sheet(self, sheet_id: str) -> tuple[SheetChange, ...]:
        """The changes of the sheet that has this id now, newest first."""
        if not self._by_sheet and self.changes:
            grouped: dict[str, list[SheetChange]] = {}
            for change in self.changes:
                if change.on_map:
                    grouped.setdefault(change.sheet_id, []).append(change)
            self._by_sheet.update((key, tuple(value)) for key, value in grouped.items())
        return self._by_sheet.get(sheet_id, ())

    def since(self, day: dt.date) -> tuple[SheetChange, ...]:
        """The changes on `day` and after it."""
        return tuple(change for change in self.changes if change.date >= day)


# -- reading git -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    status: str  # A, D, M, T or R
    old: tuple[str, str] | None  # (path, blob) before
    new: tuple[str, str] | None  # (path, blob) after


@dataclass(frozen=True)
class _Commit:
    time: str
    grafted: bool  # the edge of a shallow clone: its parents are missing
    first: bool  # the first commit of the history (no parents)
    entries: tuple[_Entry, ...]

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.time[:10])


def _git(root: Path, args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # A hook (pre-commit) may set these for its own repository; the project's is found from `root`.
    env = {key: value for key, value in os.environ.items() if key not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, env=env, check=False)


def _read_log(root: Path) -> tuple[bytes | None, str | None]:
    """The log of the factsheet folders (first parents only: a merged pull request counts on the
    day it was merged), or the note that says why there is none."""
    folders = [folder for folder in registry.FOLDERS.values()]
    try:
        result = _git(root, ["log", "--first-parent", "-M", "--raw", "--no-abbrev", "-z", "--no-color",
                             "--no-show-signature", "--no-ext-diff", "--relative", f"--format={_LOG_FORMAT}",
                             "--", *folders])
    except FileNotFoundError:
        return None, NOTE_NO_GIT
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        if "not a git repository" in message:
            return None, NOTE_NOT_A_REPOSITORY
        first = message.splitlines()[0] if message else f"git log gaf foutcode {result.returncode}"
        return None, f"geen wijzigingen getoond: git log mislukte ({first.removeprefix('fatal: ')})"
    return result.stdout, None


def _is_factsheet(path: str) -> bool:
    folder, _, name = path.partition("/")
    return folder in registry.FOLDERS.values() and "/" not in name and name.endswith(YAML_SUFFIXES)


def _parse_log(raw: bytes) -> list[_Commit]:
    """Commits newest first, each with its factsheet entries."""
    commits = []
    for chunk in raw.split(b"\x01")[1:]:
        header, _, rest = chunk.partition(b"\0")
        _sha, parents, time, decorations = header.decode("utf-8", "replace").split("\x02")
        tokens = rest.lstrip(b"\n").split(b"\0")
        entries = []
        i = 0
        while i < len(tokens) and tokens[i].startswith(b":"):
            meta = tokens[i].decode("ascii").split()
            old_blob, new_blob, status = meta[2], meta[3], meta[4][0]
            if status in "RC":
                paths, i = (tokens[i + 1].decode("utf-8", "replace"), tokens[i + 2].decode("utf-8", "replace")), i + 3
            else:
                path = tokens[i + 1].decode("utf-8", "replace")
                paths, i = (path, path), i + 2
            entries += _entries(status, paths, old_blob, new_blob)
        grafted = "grafted" in [d.strip() for d in decorations.split(",")]
        commits.append(_Commit(time, grafted, not parents.strip(), tuple(entries)))
    return commits


def _entries(status: str, paths: tuple[str, str], old_blob: str, new_blob: str) -> list[_Entry]:
    """A raw diff line as entries about factsheet files only (a rename out of the folders removes)."""
    old = (paths[0], old_blob) if _is_factsheet(paths[0]) else None
    new = (paths[1], new_blob) if _is_factsheet(paths[1]) else None
    if status == "A":
        return [_Entry("A", None, new)] if new else []
    if status == "D":
        return [_Entry("D", old, None)] if old else []
    if status == "C":
        return [_Entry("A", None, new)] if new else []
    if old and new:
        return [_Entry("R" if old[0] != new[0] else "M", old, new)]
    if old:
        return [_Entry("D", old, None)]
    return [_Entry("A", None, new)] if new else []


def _read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The contents of many blobs from one `git cat-file --batch`."""
    wanted = sorted(set(blobs))
    if not wanted:
        return {}
    result = _git(root, ["cat-file", "--batch"], ("\n".join(wanted) + "\n").encode("ascii"))
    found: dict[str, bytes] = {}
    out = result.stdout
    at = 0
    while at < len(out):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3:
            size = int(header[2])
            found[header[0].decode("ascii")] = out[at:at + size]
            at += size + 1
    return found


# -- one day's change of one factsheet -----------------------------------------------------------


@dataclass
class _Day:
    """The first version before and the last version after a day's commits (None: no file)."""

    before: tuple[str, str] | None
    after: tuple[str, str] | None
    updated: str
    at_start: bool = False


def _days(commits: list[_Commit]) -> tuple[dict[tuple[dt.date, int], _Day], dict[int, str]]:
    """Each factsheet's net change per day, and the path each one has at the end (if any).

    A factsheet is followed by a number that travels with its renames, oldest commit first."""
    identity: dict[str, int] = {}
    counter = 0
    days: dict[tuple[dt.date, int], _Day] = {}
    for commit in reversed(commits):
        for entry in commit.entries:
            key = identity.pop(entry.old[0], None) if entry.old else None
            if key is None:
                counter += 1
                key = counter
            if entry.new:
                identity[entry.new[0]] = key
            day = days.get((commit.date, key))
            if day is None:
                days[(commit.date, key)] = _Day(entry.old, entry.new, commit.time, commit.first and entry.old is None)
            else:
                day.after, day.updated = entry.new, commit.time
    return days, {key: path for path, key in identity.items()}


@dataclass(frozen=True)
class _Summary:
    """What a version of a factsheet says about itself, for a sheet no longer on the map."""

    id: str
    titel: str
    type: str
    soorten: tuple[str, ...]
    situaties: tuple[str, ...]


def _data(raw: bytes | None, path: str) -> dict[str, Any] | None:
    if raw is None:
        return None
    doc, _ = load_text(raw, path)
    return doc.data if doc is not None and isinstance(doc.data, dict) else None


def _summary(data: dict[str, Any] | None, path: str) -> _Summary:
    data = data or {}
    stem = PurePosixPath(path).stem
    cells = [c for c in data.get("cellen", ()) if isinstance(c, dict)] if isinstance(data.get("cellen"), list) else []
    kind = "organisatie" if PurePosixPath(path).parts[0] == registry.FOLDERS["organisatie"] else "initiatief"
    return _Summary(_text(data.get("id")) or stem, _text(data.get("titel")) or stem, kind,
                    tuple(dict.fromkeys(_text(c.get("soort")) for c in cells if _text(c.get("soort")))),
                    tuple(dict.fromkeys(_text(c.get("situatie")) for c in cells if _text(c.get("situatie")))))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


# -- what changed, in words ----------------------------------------------------------------------

# Lists whose items come and go: (one, several, neuter, "changed" phrase).
_LISTS: dict[str, tuple[str, str, bool, str]] = {
    "bronnen": ("bron", "bronnen", False, "bronnen gewijzigd"),
    "contact": ("contactpunt", "contactpunten", True, "contact gewijzigd"),
    "links": ("link", "links", False, "links gewijzigd"),
    "mijlpalen": ("mijlpaal", "mijlpalen", False, "mijlpalen gewijzigd"),
    "praktijk": ("praktijkvoorbeeld", "praktijkvoorbeelden", True, "praktijkvoorbeelden gewijzigd"),
    "cijfers": ("cijfer", "cijfers", True, "cijfers gewijzigd"),
    "trefwoorden": ("trefwoord", "trefwoorden", True, "trefwoorden gewijzigd"),
    "relaties": ("relatie", "relaties", False, "relaties gewijzigd"),
}
# Values shown before and after, through their labels: (how the field is named, labels).
_VALUES = {
    "status": ("status", registry.statuses),
    "regio": ("regio", registry.regions),
    "soort_organisatie": ("soort organisatie", registry.organisation_kinds),
    "type": ("type", None),
    "afkorting": ("afkorting", None),
}
_DATES = {"start": "start", "einde": "einde"}
_TEXTS = {"samenvatting": "samenvatting", "beschrijving": "beschrijving", "website": "website"}


def describe(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[tuple[Part, ...], ...]:
    """The differences between two versions of a factsheet, field by field in schema order."""
    order = registry.field_names("organisatie" if after.get("type") == "organisatie" else "initiatief")
    fields = [*order, *sorted((set(before) | set(after)) - set(order), key=str)]
    details: list[tuple[Part, ...]] = []
    for name in fields:
        old, new = before.get(name), after.get(name)
        if old != new and name != "id":
            details += _field_change(name, old, new)
    return tuple(details)


def _field_change(name: str, old: Any, new: Any) -> list[tuple[Part, ...]]:
    if name == "titel":
        return [(f"titel: \u201c{_shown(old)}\u201d \u2192 \u201c{_shown(new)}\u201d",)]
    if name in _VALUES:
        label, labels = _VALUES[name]
        return [(f"{label}: {_value_label(old, labels)} \u2192 {_value_label(new, labels)}",)]
    if name in _DATES:
        return [(f"{_DATES[name]}: {_date(old)} \u2192 {_date(new)}",)]
    if name in _TEXTS:
        return [(f"{_TEXTS[name]} {'toegevoegd' if not old else 'geschrapt' if not new else 'gewijzigd'}",)]
    if name == "laatst_nagekeken":
        return [(f"opnieuw nagekeken ({format_date(new)})",)] if isinstance(new, str) else []
    if name == "mapping_2022":
        return [("nu in de matrix van 2022" if new else "niet meer in de matrix van 2022",)]
    if name == "cellen":
        return _cells_change(old, new)
    if name == "kenmerken":
        return _attributes_change(old, new)
    if name in ("doelgroepen", "aanbieders"):
        return _members_change(name, old, new)
    if name in _LISTS:
        return _list_change(name, old, new)
    return [(f"\u2018{name}\u2019 gewijzigd",)]


def _date(value: Any) -> str:
    return format_date(value) if isinstance(value, str) else "\u2014"


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else "\u2014"


def _value_label(value: Any, labels: Any) -> str:
    if not isinstance(value, str):
        return "\u2014"
    return labels().get(value, value).lower() if labels else value


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _list_change(name: str, old: Any, new: Any) -> list[tuple[Part, ...]]:
    one, several, neuter, changed = _LISTS[name]
    before, after = _items(old), _items(new)
    added = [item for item in after if item not in before]
    removed = [item for item in before if item not in after]
    if added and not removed:
        if name == "relaties" and len(added) == 1 and isinstance(added[0], dict) and isinstance(added[0].get("doel"), str):
            kind = registry.RELATION_TYPES.get(added[0].get("type"))
            return [(f"nieuwe relatie: {kind.label if kind else 'verwant met'} ", Ref(added[0]["doel"]))]
        return [(f"{'nieuw' if neuter else 'nieuwe'} {one}" if len(added) == 1 else f"{len(added)} nieuwe {several}",)]
    if removed and not added:
        return [(f"{one} geschrapt" if len(removed) == 1 else f"{len(removed)} {several} geschrapt",)]
    return [(changed,)]


def _members_change(name: str, old: Any, new: Any) -> list[tuple[Part, ...]]:
    """Target groups and providers, named one by one."""
    before, after = [v for v in _items(old) if isinstance(v, str)], [v for v in _items(new) if isinstance(v, str)]
    noun = "doelgroep" if name == "doelgroepen" else "aanbieder"

    def named(value: str) -> Part:
        return registry.target_groups().get(value, value) if name == "doelgroepen" else Ref(value)

    found: list[tuple[Part, ...]] = [(f"nieuwe {noun}: ", named(v)) for v in after if v not in before]
    found += [(f"{noun} geschrapt: ", named(v)) for v in before if v not in after]
    return found or [(f"volgorde van de {name} gewijzigd",)]


def _cell_labels(value: Any) -> list[str]:
    kinds, situations = registry.kinds(), registry.situations()
    return [f"{kinds.get(c.get('soort'), c.get('soort'))} \u00b7 {situations.get(c.get('situatie'), c.get('situatie'))}"
            for c in _items(value) if isinstance(c, dict)]


def _cells_change(old: Any, new: Any) -> list[tuple[Part, ...]]:
    before, after = _cell_labels(old), _cell_labels(new)
    found: list[tuple[Part, ...]] = [(f"nu ook bij {label}",) for label in after if label not in before]
    found += [(f"niet meer bij {label}",) for label in before if label not in after]
    return found or [("volgorde van soort hulp en situatie gewijzigd",)]


def _attributes_change(old: Any, new: Any) -> list[tuple[Part, ...]]:
    before = old if isinstance(old, dict) else {}
    after = new if isinstance(new, dict) else {}
    found: list[tuple[Part, ...]] = []
    for key in [*registry.ATTRIBUTE_LABELS, *sorted((set(before) | set(after)) - set(registry.ATTRIBUTE_LABELS))]:
        if before.get(key) == after.get(key):
            continue
        label = registry.ATTRIBUTE_LABELS.get(key, key).lower()
        if key not in before:
            found.append((f"\u2018{label}\u2019 toegevoegd",))
        elif key not in after:
            found.append((f"\u2018{label}\u2019 geschrapt",))
        elif _waarde(before[key]) == _waarde(after[key]):
            found.append((f"bron van \u2018{label}\u2019 gewijzigd",))
        else:
            found.append((f"\u2018{label}\u2019 gewijzigd",))
    return found


def _waarde(value: Any) -> Any:
    return value.get("waarde") if isinstance(value, dict) else value


# -- the whole history ---------------------------------------------------------------------------


def read_history(root: Path, kb: KnowledgeBase, store: Store | None = None) -> History:
    """The changes of the project's factsheets, or an empty history with the reason."""
    raw, note = _read_log(root)
    if raw is None:
        return History(note=note)
    commits = _parse_log(raw)
    if not commits:
        return History(note=NOTE_UNTRACKED)
    if any(commit.grafted for commit in commits):
        return History(note=NOTE_SHALLOW)
    days, final_paths = _days(commits)
    on_map = {sheet.path: sheet for sheet in kb.sheets.values()}
    current = {key: on_map[path] for key, path in final_paths.items() if path in on_map}
    described = _Described(root, store, days, current)
    changes = [change for (date, key), day in days.items()
               if (change := described.change(date, key, day)) is not None]
    described.save()
    titles = {sheet.id: sheet.display_title for sheet in kb.sheets.values()}
    changes = [_with_titles(change, titles) for change in changes]
    changes.sort(key=lambda c: (-c.date.toordinal(), list(KINDS).index(c.kind), sort_key(c.titel), c.sheet_id))
    return History(tuple(changes))


def _with_titles(change: _Pending, titles: Mapping[str, str]) -> SheetChange:
    """Fill in the names of the factsheets a change mentions, as they are called now."""
    details = tuple("".join(titles.get(part.id, part.id) if isinstance(part, Ref) else part for part in detail)
                    for detail in change.details)
    return SheetChange(change.date, change.kind, change.sheet_id, change.titel, change.type, change.soorten,
                       change.situaties, details, change.previous_id, change.on_map, change.updated, change.at_start)


@dataclass(frozen=True)
class _Pending:
    """A change whose details may still name factsheets by id."""

    date: dt.date
    kind: str
    sheet_id: str
    titel: str
    type: str
    soorten: tuple[str, ...]
    situaties: tuple[str, ...]
    details: tuple[tuple[Part, ...], ...]
    previous_id: str | None
    on_map: bool
    updated: str
    at_start: bool


class _Described:
    """The versions' summaries and differences, from the store when known (a version never changes:
    its blob id names its content), else from one `git cat-file --batch` for all of them."""

    def __init__(self, root: Path, store: Store | None, days: Mapping[tuple[dt.date, int], _Day],
                 current: Mapping[int, Sheet]) -> None:
        self.store = store or Store.off()
        self.current = current
        self.stored: dict[tuple[str, ...], Any] = self.store.get_pickled(_STORE_NAMESPACE, {},
                                                                          lambda v: isinstance(v, dict))
        self.used: dict[tuple[str, ...], Any] = {}
        wanted = sorted({key for (_, k), day in days.items() for key in self._keys(day, k)} - set(self.stored))
        blobs = _read_blobs(root, (blob for key in wanted for blob in key[2:])) if wanted else {}

        def compute(share: Sequence[tuple[str, ...]]) -> list[tuple[tuple[str, ...], Any]]:
            return [(key, self._compute(key, blobs)) for key in share]

        # Parsing the versions is the costly part of a first build: on every core, as the documents are.
        self.known = dict(self.stored)
        for share in map_shares(compute, wanted, worker_count(len(wanted))):
            self.known.update(share)

    def _keys(self, day: _Day, key: int) -> list[tuple[str, ...]]:
        """What a day's change needs: the difference of two versions, and for a sheet that is no
        longer on the map what its last version says about itself."""
        keys = []
        if day.before and day.after and day.before[1] != day.after[1]:
            keys.append(("diff", day.after[0], day.before[1], day.after[1]))
        version = day.after or day.before
        if version and key not in self.current:
            keys.append(("summary", *version))
        return keys

    @staticmethod
    def _compute(key: tuple[str, ...], blobs: Mapping[str, bytes]) -> Any:
        if key[0] == "summary":
            return _summary(_data(blobs.get(key[2]), key[1]), key[1])
        before, after = _data(blobs.get(key[2]), key[1]), _data(blobs.get(key[3]), key[1])
        if before is None or after is None:
            return (("inhoud gewijzigd",),)  # one of the versions is no valid YAML
        return describe(before, after)

    def _get(self, key: tuple[str, ...]) -> Any:
        self.used[key] = self.known[key]
        return self.known[key]

    def change(self, date: dt.date, key: int, day: _Day) -> _Pending | None:
        if day.before is None and day.after is None:
            return None  # added and removed on one day
        details: tuple[tuple[Part, ...], ...] = ()
        previous = None
        if day.before is None:
            kind = "nieuw"
        elif day.after is None:
            kind = "verwijderd"
        else:
            if day.before[1] != day.after[1]:
                details = self._get(("diff", day.after[0], day.before[1], day.after[1]))
            renamed = day.before[0] != day.after[0]
            if not renamed and not details:
                return None  # only the layout or the comments changed
            kind, previous = ("hernoemd", PurePosixPath(day.before[0]).stem) if renamed else ("gewijzigd", None)
        sheet = self.current.get(key)
        if sheet is not None:
            cells = sheet.cellen if isinstance(sheet, Initiative) else ()
            return _Pending(date, kind, sheet.id, sheet.display_title, sheet.type,
                            tuple(dict.fromkeys(c.soort for c in cells)), tuple(dict.fromkeys(c.situatie for c in cells)),
                            details, previous, True, day.updated, day.at_start and kind == "nieuw")
        version = day.after or day.before
        assert version is not None
        summary: _Summary = self._get(("summary", *version))
        return _Pending(date, kind, summary.id, summary.titel, summary.type, summary.soorten, summary.situaties,
                        details, previous, False, day.updated, day.at_start and kind == "nieuw")

    def save(self) -> None:
        """Keep exactly what this build used, so the store never outgrows the history."""
        if self.used != self.stored:
            self.store.put_pickled(_STORE_NAMESPACE, self.used)
