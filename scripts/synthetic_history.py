"""A synthetic git history for a synthetic project (scripts/synthetic.py), for the benchmark of
/wijzigingen/: the first commit holds every factsheet, each later one changes a few (a status, a
summary, a new source), adds one, removes or renames one that was added before (nothing refers to
those, so the project stays valid). Written with one `git fast-import`, deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
from pathlib import Path

START = dt.datetime(2024, 1, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
STEP = dt.timedelta(hours=21)  # about one commit a day, some days two


def _dump(sheet: dict) -> bytes:
    return json.dumps(sheet, ensure_ascii=False, indent=1).encode("utf-8")


def _path(sheet: dict) -> str:
    return f"{'organisations' if sheet['type'] == 'organisatie' else 'initiatives'}/{sheet['id']}.yaml"


def _change(sheet: dict, rnd: random.Random, when: dt.datetime) -> dict:
    sheet = json.loads(json.dumps(sheet))
    what = rnd.randrange(4)
    if what == 0 and sheet["type"] == "initiatief":
        sheet["status"] = "uitdovend" if sheet["status"] == "actief" else "actief"
    elif what == 1:
        sheet["samenvatting"] = sheet["samenvatting"].rstrip(".") + f", bijgewerkt op {when:%d-%m-%Y}."
    elif what == 2:
        sheet["bronnen"] = [*sheet["bronnen"], {"url": f"https://example.org/bron/{rnd.randrange(10**6)}",
                                                "titel": "Een bijgewerkte pagina", "geraadpleegd": f"{when:%Y-%m-%d}"}]
    sheet["laatst_nagekeken"] = f"{when:%Y-%m-%d}"
    return sheet


def _new_sheet(number: int, template: dict, when: dt.datetime) -> dict:
    sheet = {**json.loads(json.dumps(template)), "id": f"nieuw-{number:05d}", "titel": f"Nieuw initiatief {number}",
             "relaties": [], "laatst_nagekeken": f"{when:%Y-%m-%d}"}
    return sheet


def write_history(root: Path, sheets: list[dict], commits: int, seed: int = 7) -> None:
    """Make `root` a git repository with `commits` commits; its work tree ends as the last one.

    `sheets` are every factsheet written under `root` (initiatives and organisations)."""
    rnd = random.Random(seed)
    current = {_path(s): s for s in sheets}
    added: list[str] = []
    stream = bytearray()

    def commit(number: int, when: dt.datetime, changes: dict[str, dict | None]) -> None:
        message = f"Commit {number}".encode()
        stream.extend(b"commit refs/heads/main\n")
        stream.extend(f"mark :{number}\ncommitter Bench <bench@example.org> {int(when.timestamp())} +0100\n".encode())
        stream.extend(b"data %d\n%s\n" % (len(message), message))
        if number > 1:
            stream.extend(f"from :{number - 1}\n".encode())
        for path, sheet in sorted(changes.items()):
            if sheet is None:
                stream.extend(f"D {path}\n".encode())
            else:
                data = _dump(sheet)
                stream.extend(f"M 100644 inline {path}\n".encode() + b"data %d\n" % len(data) + data + b"\n")

    commit(1, START, dict(current))
    initiatives = sorted(p for p in current if p.startswith("initiatives/"))
    organisations = sorted(p for p in current if p.startswith("organisations/"))
    for number in range(2, commits + 1):
        when = START + STEP * (number - 1)
        changes: dict[str, dict | None] = {}
        for path in rnd.sample(initiatives, rnd.randint(1, 4)) + ([rnd.choice(organisations)] if rnd.random() < 0.1 else []):
            changes[path] = current[path] = _change(current[path], rnd, when)
        roll = rnd.random()
        if roll < 0.15:
            sheet = _new_sheet(number, current[initiatives[0]], when)
            changes[_path(sheet)] = current[_path(sheet)] = sheet
            added.append(_path(sheet))
        elif roll < 0.22 and added:
            path = added.pop(rnd.randrange(len(added)))
            changes[path] = None
            del current[path]
        elif roll < 0.30 and added:
            old = added.pop(rnd.randrange(len(added)))
            sheet = {**current.pop(old), "id": f"hernoemd-{number:05d}"}
            changes[old], changes[_path(sheet)] = None, sheet
            current[_path(sheet)] = sheet
            added.append(_path(sheet))
        commit(number, when, changes)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run(["git", "-C", str(root), "reset", "-q"], check=True)
    for folder in ("initiatives", "organisations"):
        for path in (root / folder).glob("*.yaml"):
            path.unlink()
    for path, sheet in current.items():
        (root / path).write_bytes(_dump(sheet))
