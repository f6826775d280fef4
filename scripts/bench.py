"""Build N synthetic factsheets with kaart and the same pages with plain Pelican; print figures.

    .venv/bin/python scripts/bench.py 1000 5000
    .venv/bin/python scripts/bench.py 5000 --history 1000   # what reading a git history adds

Each build runs in its own process so that its peak memory is its own; the largest process a
build starts (page workers, Pagefind) is printed beside it, and the peak of all of them
together, sampled every 0.1 s as PSS (shared pages counted once). Nothing here asserts a time: the
figures are printed for people to read and to record in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from synthetic import write_markdown_equivalent, write_project  # noqa: E402
from synthetic_history import write_history  # noqa: E402

PLAIN_SETTINGS = """\
SITENAME = "baseline"
PATH = "content"
TIMEZONE = "Europe/Brussels"
DEFAULT_LANG = "nl"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
LOAD_CONTENT_CACHE = {cache}
CACHE_CONTENT = {cache}
# Beside this file (Pelican's default is ./cache in the working directory, which every run and
# size would share: a cache grown by earlier runs made the baseline seconds slower).
CACHE_PATH = "cache"
"""


def kaart_build(root: str, output: str) -> None:
    from kaart.build.site import build

    problems = build(Path(root), Path(output), REPO / "pelicanconf.py")
    if problems:
        raise SystemExit("\n".join(p.format_text() for p in problems[:20]))


def child(kind: str, root: str, output: str) -> None:
    """Run one build in this process and print its wall time and peak memory as JSON."""
    if kind == "kaart-serve":
        # As `kaart serve` rebuilds: in a process that has built the site before.
        kaart_build(root, output)
        touch_one(sorted((Path(root) / "initiatives").glob("*.yaml"))[1])
        settle(Path(output))
    start = time.perf_counter()
    if kind.startswith("kaart"):
        kaart_build(root, output)
    else:
        from pelican import Pelican
        from pelican.settings import read_settings

        Pelican(read_settings(str(Path(root) / "pelicanconf.py"), override={"OUTPUT_PATH": output})).run()
    seconds = time.perf_counter() - start
    from kaart.core import timing

    # The build's own process, and the largest process it started (page workers, Pagefind).
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "children_mb": children_mb,
                      "stages": timing.stages() if kind.startswith("kaart") else {}}))


def settle(output: Path) -> None:
    """Start each build on a quiet disk: the previous build's old copy deleted (it goes in the
    background) and its writes flushed. Builds a person starts are seconds apart; back to back,
    the next build would pay for the last one's disk work."""
    deadline = time.monotonic() + 120
    while list(output.parent.glob(f".{output.name}-old-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.sync()


def measure(kind: str, root: Path, output: Path) -> dict:
    settle(output)
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen([sys.executable, __file__, "--child", kind, str(root), str(output)],
                                   stdout=out, stderr=subprocess.STDOUT, text=True, cwd=REPO)
        total_mb = 0.0
        while process.poll() is None:
            total_mb = max(total_mb, tree_pss_mb(process.pid))
            time.sleep(0.1)
        out.seek(0)
        log = out.read()
        if process.returncode:
            raise SystemExit(f"{kind} build failed ({process.returncode}):\n{log[-3000:]}")
        figures = json.loads(log.strip().splitlines()[-1])
    figures["total_mb"] = total_mb
    return figures


def tree_pss_mb(pid: int) -> float:
    """Memory of a process and all its descendants, shared pages counted once (Linux PSS)."""
    try:
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        total, todo = 0, [pid]
        while todo:
            current = todo.pop()
            todo += children.get(current, [])
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        return total / 1024
    except OSError:  # not Linux, or a process ended while being read
        return 0.0


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def touch_one(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["samenvatting"] += " Gewijzigd."
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def bench(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"kaart-bench-{n}-"))
    try:
        sheets = write_project(work / "kaart", n)
        write_markdown_equivalent(work / "plain" / "content", sheets)
        (work / "plain" / "pelicanconf.py").write_text(PLAIN_SETTINGS.format(cache=True), encoding="utf-8")

        kaart = measure("kaart", work / "kaart", work / "kaart" / "build")
        touch_one(work / "kaart" / "initiatives" / f"{sheets[0]['id']}.yaml")
        kaart_one = measure("kaart", work / "kaart", work / "kaart" / "build")
        kaart_serve = measure("kaart-serve", work / "kaart", work / "kaart" / "build")
        kaart_same = measure("kaart", work / "kaart", work / "kaart" / "build")
        plain = measure("pelican", work / "plain", work / "plain" / "output")
        # Pelican without its content cache: it then skips pickling and gzipping the cache,
        # which is most of a cold build at 1,000 pages; the stricter baseline for a full build.
        (work / "plain-nocache").mkdir()
        (work / "plain-nocache" / "content").symlink_to(work / "plain" / "content")
        (work / "plain-nocache" / "pelicanconf.py").write_text(PLAIN_SETTINGS.format(cache=False), encoding="utf-8")
        plain_bare = measure("pelican", work / "plain-nocache", work / "plain-nocache" / "output")
        md = work / "plain" / "content" / f"{sheets[0]['id']}.md"
        md.write_text(md.read_text(encoding="utf-8") + "\nGewijzigd.\n", encoding="utf-8")
        plain_one = measure("pelican", work / "plain", work / "plain" / "output")

        pages = sum(1 for _ in (work / "kaart" / "build").rglob("*.html"))
        print(f"\n== {n} factsheets ({pages} kaart pages) ==")
        print(f"{'':26}{'kaart':>12}{'plain Pelican':>16}")
        print(f"{'full build (s)':26}{kaart['seconds']:12.2f}{plain['seconds']:16.2f}  (content cache on)")
        print(f"{'':26}{'':12}{plain_bare['seconds']:16.2f}  (content cache off)")
        print(f"{'ratio kaart/plain':26}{kaart['seconds'] / plain['seconds']:12.2f}"
              f"{kaart['seconds'] / plain_bare['seconds']:16.2f}  (against cache on / off)")
        print(f"{'per factsheet (ms)':26}{1000 * kaart['seconds'] / n:12.2f}{1000 * plain['seconds'] / n:16.2f}")
        print(f"{'peak memory (MB)':26}{kaart['peak_mb']:12.0f}{plain['peak_mb']:16.0f}")
        print(f"{'  largest child (MB)':26}{kaart['children_mb']:12.0f}{plain['children_mb']:16.0f}")
        print(f"{'  all processes, PSS (MB)':26}{kaart['total_mb']:12.0f}{plain['total_mb']:16.0f}")
        print(f"{'output size (MB)':26}{size_mb(work / 'kaart' / 'build'):12.1f}{size_mb(work / 'plain' / 'output'):16.1f}")
        print(f"{'one-file rebuild (s)':26}{kaart_one['seconds']:12.2f}{plain_one['seconds']:16.2f}")
        print(f"{'rebuild / full build':26}{kaart_one['seconds'] / kaart['seconds']:12.0%}{plain_one['seconds'] / plain['seconds']:16.0%}")
        print(f"{'  in kaart serve (s)':26}{kaart_serve['seconds']:12.2f}{'':16}  "
              f"({kaart_serve['seconds'] / kaart['seconds']:.0%}; the process has built before)")
        print(f"{'unchanged rebuild (s)':26}{kaart_same['seconds']:12.2f}{'':16}  "
              f"({kaart_same['seconds'] / kaart['seconds']:.0%}; the search index is taken over)")
        for title, run in (("full build", kaart), ("one-file rebuild", kaart_one)):
            print(f"\nkaart {title}, by stage (s; parts in workers add up over processes):")
            for name, seconds in run["stages"].items():
                print(f"  {name:<56}{seconds:7.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_history(n: int, commits: int) -> None:
    """What /wijzigingen/ costs: the same project built cold with and without its git history (the
    .git folder moved aside), then warm (the versions' differences kept in the store)."""
    work = Path(tempfile.mkdtemp(prefix=f"kaart-bench-history-{n}-"))
    root, output, hidden = work / "kaart", work / "kaart" / "build", work / "git-hidden"
    try:
        write_project(root, n)
        sheets = [json.loads(p.read_text(encoding="utf-8")) for folder in ("organisations", "initiatives")
                  for p in sorted((root / folder).glob("*.yaml"))]
        start = time.perf_counter()
        write_history(root, sheets, commits)
        made = time.perf_counter() - start

        def cold(with_history: bool) -> dict:
            shutil.rmtree(root / ".cache", ignore_errors=True)
            shutil.rmtree(output, ignore_errors=True)
            return build(with_history)

        def build(with_history: bool) -> dict:
            if with_history and hidden.exists():
                os.replace(hidden, root / ".git")
            elif not with_history and (root / ".git").exists():
                os.replace(root / ".git", hidden)
            return measure("kaart", root, output)

        without, warm_without = cold(False), build(False)
        with_, warm_with = cold(True), build(True)
        print(f"\n== {n} factsheets, {commits} commits (history written in {made:.1f} s) ==")
        print(f"{'':28}{'no history':>12}{'history':>12}{'added':>9}")
        for title, a, b in (("full build, cold (s)", without, with_), ("rebuild, warm (s)", warm_without, warm_with)):
            print(f"{title:28}{a['seconds']:12.2f}{b['seconds']:12.2f}{b['seconds'] / a['seconds'] - 1:9.1%}")
        for title, run in (("cold", with_), ("warm", warm_with)):
            parts = {name: s for name, s in run["stages"].items() if "geschiedenis" in name or name.endswith("changes")}
            spent = sum(parts.values())
            print(f"  {title}: " + ", ".join(f"{name.strip()} {s:.2f} s" for name, s in parts.items())
                  + f" ({spent / run['seconds']:.1%} of the build)")
        for title, a, b in (("cold", without, with_), ("warm", warm_without, warm_with)):
            grown = sorted(((b["stages"].get(k, 0.0) - a["stages"].get(k, 0.0), k) for k in b["stages"]), reverse=True)
            print(f"  {title}, stages that grew most (s): "
                  + ", ".join(f"{name.strip()} +{seconds:.2f}" for seconds, name in grown[:6]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--history", type=int, metavar="COMMITS",
                        help="measure instead what a git history of COMMITS commits adds to the build")
    args = parser.parse_args()
    for n in args.sizes:
        bench_history(n, args.history) if args.history else bench(n)


if __name__ == "__main__":
    main()
