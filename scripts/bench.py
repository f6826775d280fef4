"""Build N synthetic factsheets with kaart and the same pages with plain Pelican; print figures.

    .venv/bin/python scripts/bench.py 1000 5000
    .venv/bin/python scripts/bench.py 5000 --history 1000   # what reading a git history adds
    .venv/bin/python scripts/bench.py 1000 --realistic      # text with a real vocabulary

Each build runs in its own process so that its peak memory is its own; the largest process a
build starts (page workers, Pagefind) is printed beside it, and the peak of all of them
together, sampled every 0.1 s as PSS (shared pages counted once), plus the pages kept in memory for
Pagefind to read. Beside kaart's full build stands
the pipeline a user would otherwise assemble: plain Pelican over the same pages, then stock
Pagefind (default options) over its output, once beside the other figures and then in turns
(--rounds, 5 by default) for a median that does not drift with the disk. `kaart serve` is measured from the outside, as a
contributor sees it: a factsheet's title saved, then the time until the served page (fetched over
HTTP) shows it and until the server prints "Klaar". Nothing here asserts a time: the figures are
printed for people to read and to record in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from synthetic import write_markdown_equivalent, write_project, write_realistic_as_json  # noqa: E402
from synthetic_history import write_history  # noqa: E402

SERVE_EDITS = 5  # titles changed one after another in `kaart serve`; the median is printed
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
    """`kaart build` as the command runs it (its files checked ahead when nothing is cached)."""
    from kaart.cli import main

    if main(["--root", root, "build", "--output", output, "--settings", str(REPO / "pelicanconf.py")]):
        raise SystemExit("kaart build failed")


def child(kind: str, root: str, output: str) -> None:
    """Run one build in this process and print its wall time and peak memory as JSON."""
    start, indexed = time.perf_counter(), 0
    if kind == "kaart":
        kaart_build(root, output)
    elif kind == "pagefind":
        indexed = stock_pagefind(output)
    else:
        from pelican import Pelican
        from pelican.settings import read_settings

        Pelican(read_settings(str(Path(root) / "pelicanconf.py"), override={"OUTPUT_PATH": output})).run()
    seconds = time.perf_counter() - start
    from kaart.core import timing

    # The build's own process, and the largest process it started (page workers, Pagefind).
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "children_mb": children_mb, "indexed": indexed,
                      "stages": timing.stages() if kind == "kaart" else {}}))


def stock_pagefind(site: str) -> int:
    """Pagefind as a user would add it to a plain Pelican site: the binary kaart runs
    (`pagefind[bin]`), default options, the whole site indexed into its pagefind/ folder.
    Returns how many pages it indexed."""
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", site],
                            capture_output=True, text=True)
    indexed = re.search(r"Indexed (\d+) pages?", result.stdout)
    if result.returncode or not indexed:
        raise SystemExit(f"Pagefind failed ({result.returncode}):\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return int(indexed.group(1))


# --drop-caches: the kernel's caches emptied before each build (needs root).
DROP_CACHES = Path("/proc/sys/vm/drop_caches")
drop_caches = False


def settle(output: Path) -> None:
    """Start each build on a quiet disk: the previous build's old copy deleted (it goes in the
    background) and its writes flushed. Builds a person starts are seconds apart; back to back,
    the next build would pay for the last one's disk work."""
    deadline = time.monotonic() + 120
    while list(output.parent.glob(f".{output.name}-old-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.sync()
    if drop_caches:
        # On this project's VM a build's system time grows from about 4 to 13 s as earlier runs
        # fill the kernel's caches, and sooner for a build that forks and creates many files
        # (kaart) than for one process (Pelican); emptied, every build starts alike.
        DROP_CACHES.write_text("3\n")


def measure(kind: str, root: Path, output: Path) -> dict:
    settle(output)
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen([sys.executable, __file__, "--child", kind, str(root), str(output)],
                                   stdout=out, stderr=subprocess.STDOUT, text=True, cwd=REPO)
        total_mb, memory_files = 0.0, memory_files_mb()
        while process.poll() is None:
            total_mb = max(total_mb, tree_pss_mb(process.pid) + memory_files_mb() - memory_files)
            time.sleep(0.1)
        out.seek(0)
        log = out.read()
        if process.returncode:
            raise SystemExit(f"{kind} build failed ({process.returncode}):\n{log[-3000:]}")
        figures = json.loads(log.strip().splitlines()[-1])
    figures["total_mb"] = total_mb
    return figures


def tree_pss_mb(pid: int) -> float:
    """Memory of a process and all its descendants, shared pages counted once (Linux PSS). A process
    that ends while being read counts for nothing in this sample (the others still count: a build
    starts short-lived processes, and a sample given up whole missed Pagefind's peak at 1,000)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # not Linux, or the process ended
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return total / 1024


def memory_files_mb() -> float:
    """What the memory file system (/dev/shm) holds now: a build and serve keep the pages Pagefind
    reads there (kaart.build.site.new_scratch_folder), memory no process maps, so PSS leaves it out.
    One system call, cheap enough to sample beside a build; taken relative to its value before."""
    from kaart.build.site import MEMORY

    try:
        return shutil.disk_usage(MEMORY).used / 2**20
    except OSError:
        return 0.0


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def touch_one(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["samenvatting"] += " Gewijzigd."
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


class Serve:
    """`kaart serve` in its own process, its printed lines kept with the time each arrived, and
    the memory of it and all its processes sampled together (PSS) until it stops."""

    def __init__(self, root: Path, output: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from kaart.cli import main; raise SystemExit(main())", "--root", str(root),
             "serve", "--port", str(self.port), "--output", str(output), "--settings", str(REPO / "pelicanconf.py")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
        self.lines: list[tuple[float, str]] = []
        self.arrived: queue.Queue[tuple[float, str]] = queue.Queue()
        self.peak_mb = 0.0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        threading.Thread(target=self._sample, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.arrived.put((time.perf_counter(), line.rstrip("\n")))

    def _sample(self) -> None:
        memory_files = memory_files_mb()
        while self.process.poll() is None:
            self.peak_mb = max(self.peak_mb, tree_pss_mb(self.process.pid) + memory_files_mb() - memory_files)
            time.sleep(0.1)

    def wait_for_line(self, text: str, after: int, seconds: float) -> float:
        """The time the first line containing `text` arrived, among lines after the first `after`."""
        deadline = time.monotonic() + seconds
        while True:
            ended = not self.reader.is_alive()  # then every line it printed is in the queue
            self.drain()
            found = [at for at, line in self.lines[after:] if text in line]
            if found:
                return found[0]
            if ended or time.monotonic() > deadline:
                self.fail(f"kaart serve printed no {text!r}")
            time.sleep(0.02)

    def fail(self, what: str) -> None:
        self.reader.join(timeout=5)
        self.drain()
        status = self.process.poll()
        raise SystemExit(f"{what} ({'still running' if status is None else f'exit status {status}'}):\n"
                         + self.log()[-3000:])

    def drain(self) -> int:
        """Take in the lines printed so far; return how many there are."""
        while not self.arrived.empty():
            self.lines.append(self.arrived.get())
        return len(self.lines)

    def page(self, path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError):  # not serving yet, or the site being swapped
            return ""

    def log(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def search_index_digest(site: Path) -> str:
    """What the served search bundle was made from (kaart.build.pagefind.INPUT_DIGEST_FILE)."""
    try:
        return (site / "pagefind" / "kaart-invoer.sha256").read_text(encoding="utf-8")
    except OSError:  # being swapped in
        return ""


def serve_edits(root: Path, output: Path, sheets: list[dict], edits: int, patience: float) -> dict:
    """Start `kaart serve`, then change the title of `edits` factsheets one after another; for each,
    the seconds from the file written until the served page shows the new title, until serve
    noticed the change ("Gewijzigd"), until it finished the whole rebuild ("Klaar") and until the
    search index, refreshed in the background after that, is swapped in."""
    serve = Serve(root, output)
    try:
        started = time.perf_counter()
        serve.wait_for_line("Bekijk de site", 0, patience)
        startup = time.perf_counter() - started
        times: dict[str, list[float]] = {"served": [], "noticed": [], "done": [], "indexed": []}
        startup_mb = serve.peak_mb
        for k in range(edits):
            sheet = sheets[len(sheets) * (k + 1) // (edits + 1)]
            path, title = root / "initiatives" / f"{sheet['id']}.yaml", f"Bewerkt nummer {k + 1}"
            settle(output)
            seen = serve.drain()
            index_before = search_index_digest(output)
            data = json.loads(path.read_text(encoding="utf-8"))
            data["titel"] = title
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            written = time.perf_counter()
            deadline = time.monotonic() + patience
            while title not in serve.page(f"/initiatief/{sheet['id']}/"):
                if time.monotonic() > deadline or serve.process.poll() is not None:
                    serve.fail(f"the served page never showed {title!r}")
                time.sleep(0.02)
            times["served"].append(time.perf_counter() - written)
            times["noticed"].append(serve.wait_for_line("Gewijzigd", seen, patience) - written)
            times["done"].append(serve.wait_for_line("Klaar", seen, patience) - written)
            while search_index_digest(output) == index_before:
                if time.monotonic() > deadline or serve.process.poll() is not None:
                    serve.fail("the search index was never refreshed")
                time.sleep(0.02)
            times["indexed"].append(time.perf_counter() - written)
        return {**times, "startup": startup, "startup_mb": startup_mb, "peak_mb": serve.peak_mb}
    finally:
        serve.stop()


def bench(n: int, rounds: int = 5, only_rounds: bool = False, realistic: bool = False) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"kaart-bench-{n}-"))
    try:
        sheets = (write_realistic_as_json if realistic else write_project)(work / "kaart", n)
        label = " (realistic text)" if realistic else ""
        write_markdown_equivalent(work / "plain" / "content", sheets)
        (work / "plain" / "pelicanconf.py").write_text(PLAIN_SETTINGS.format(cache=True), encoding="utf-8")
        if only_rounds:
            write_plain_nocache(work)
            print(f"\n== {n} factsheets{label} ==")
            print_rounds(alternating_cold_builds(work, rounds))
            return

        kaart = measure("kaart", work / "kaart", work / "kaart" / "build")
        touch_one(work / "kaart" / "initiatives" / f"{sheets[0]['id']}.yaml")
        kaart_one = measure("kaart", work / "kaart", work / "kaart" / "build")
        kaart_same = measure("kaart", work / "kaart", work / "kaart" / "build")
        plain = measure("pelican", work / "plain", work / "plain" / "output")
        pagefind = measure("pagefind", work / "plain", work / "plain" / "output")
        # Pelican without its content cache: it then skips pickling and gzipping the cache,
        # which is most of a cold build at 1,000 pages; the stricter baseline for a full build.
        write_plain_nocache(work)
        plain_bare = measure("pelican", work / "plain-nocache", work / "plain-nocache" / "output")
        md = work / "plain" / "content" / f"{sheets[0]['id']}.md"
        md.write_text(md.read_text(encoding="utf-8") + "\nGewijzigd.\n", encoding="utf-8")
        plain_one = measure("pelican", work / "plain", work / "plain" / "output")

        pages = sum(1 for _ in (work / "kaart" / "build").rglob("*.html"))
        print(f"\n== {n} factsheets{label} ({pages} kaart pages) ==")
        print(f"{'':26}{'kaart':>12}{'plain Pelican':>16}")
        print(f"{'full build (s)':26}{kaart['seconds']:12.2f}{plain['seconds']:16.2f}  (content cache on)")
        print(f"{'':26}{'':12}{plain_bare['seconds']:16.2f}  (content cache off)")
        print(f"{'ratio kaart/plain':26}{kaart['seconds'] / plain['seconds']:12.2f}"
              f"{kaart['seconds'] / plain_bare['seconds']:16.2f}  (against cache on / off)")
        print(f"{'per factsheet (ms)':26}{1000 * kaart['seconds'] / n:12.2f}{1000 * plain['seconds'] / n:16.2f}")
        print(f"{'peak memory (MB)':26}{kaart['peak_mb']:12.0f}{plain['peak_mb']:16.0f}")
        print(f"{'  largest child (MB)':26}{kaart['children_mb']:12.0f}{plain['children_mb']:16.0f}")
        print(f"{'  all processes, PSS (MB)':26}{kaart['total_mb']:12.0f}{plain['total_mb']:16.0f}")
        print(f"{'  stock Pagefind, PSS (MB)':26}{'':12}{pagefind['total_mb']:16.0f}  (after Pelican, on its own)")
        print(f"{'output size (MB)':26}{size_mb(work / 'kaart' / 'build'):12.1f}{size_mb(work / 'plain' / 'output'):16.1f}")
        print(f"{'one-file rebuild (s)':26}{kaart_one['seconds']:12.2f}{plain_one['seconds']:16.2f}")
        print(f"{'rebuild / full build':26}{kaart_one['seconds'] / kaart['seconds']:12.0%}{plain_one['seconds'] / plain['seconds']:16.0%}")
        print(f"{'unchanged rebuild (s)':26}{kaart_same['seconds']:12.2f}{'':16}  "
              f"({kaart_same['seconds'] / kaart['seconds']:.0%}; the search index is taken over)")
        print_pipeline(kaart, plain, plain_bare, pagefind)
        sys.stdout.flush()
        print_rounds(alternating_cold_builds(work, rounds))
        sys.stdout.flush()  # the figures so far stay, should serve fail
        serve = serve_edits(work / "kaart", work / "kaart" / "build", sheets, edits=SERVE_EDITS,
                            patience=max(120.0, 5 * kaart["seconds"]))
        print_serve(serve, kaart["seconds"])
        for title, run in (("full build", kaart), ("one-file rebuild", kaart_one)):
            print(f"\nkaart {title}, by stage (s; parts in workers add up over processes):")
            for name, seconds in run["stages"].items():
                print(f"  {name:<56}{seconds:7.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_plain_nocache(work: Path) -> None:
    (work / "plain-nocache").mkdir()
    (work / "plain-nocache" / "content").symlink_to(work / "plain" / "content")
    (work / "plain-nocache" / "pelicanconf.py").write_text(PLAIN_SETTINGS.format(cache=False), encoding="utf-8")


def print_pipeline(kaart: dict, plain: dict, plain_bare: dict, pagefind: dict) -> None:
    """kaart's full build against plain Pelican followed by stock Pagefind over its output."""
    print("\nkaart's full build against plain Pelican + stock Pagefind (default options, over Pelican's site):")
    print(f"  {'stock Pagefind alone (s)':30}{pagefind['seconds']:8.2f}  ({pagefind['indexed']} pages indexed)")
    for note, baseline in (("content cache on", plain), ("content cache off", plain_bare)):
        pipeline = baseline["seconds"] + pagefind["seconds"]
        print(f"  {'ratio kaart/(Pelican+Pagefind)':30}{kaart['seconds'] / pipeline:8.2f}  ({kaart['seconds']:.2f} s / "
              f"{baseline['seconds']:.2f} s + {pagefind['seconds']:.2f} s = {pipeline:.2f} s; {note})")
    print(f"  {'all processes, PSS (MB)':30}{kaart['total_mb']:8.0f}  (Pelican + Pagefind: "
          f"{max(plain['total_mb'], pagefind['total_mb']):.0f}, the larger of the two steps)")


def timed_command(command: list[str], output: Path) -> float:
    """Seconds from starting a command to its end, as the person who typed it waits: the
    interpreter's start and exit included, on either side."""
    settle(output)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"{command[2:4]} failed ({result.returncode}):\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return seconds


def alternating_cold_builds(work: Path, rounds: int) -> list[dict]:
    """kaart's cold full build and the plain pipeline (Pelican with and without its content cache,
    stock Pagefind), built from nothing in turn, `rounds` times, each step the command a person
    would type, timed from its start to its exit. On the project's machine the disk
    slows down as a run creates and deletes tens of thousands of files (the same build took 24 s,
    then 31 s an hour later), so builds measured one after the other drift apart; taking turns
    gives both sides the same conditions; which side goes first alternates too (A B, B A, …)."""
    def kaart() -> float:
        return timed_command([sys.executable, "-m", "kaart.cli", "--root", str(work / "kaart"), "build", "--output",
                              str(work / "kaart" / "build"), "--settings", str(REPO / "pelicanconf.py")],
                             work / "kaart" / "build")

    def pelican(folder: Path) -> float:
        return timed_command([sys.executable, "-m", "pelican", str(folder / "content"), "--settings",
                              str(folder / "pelicanconf.py"), "--output", str(folder / "output"), "--quiet"],
                             folder / "output")

    def pagefind() -> float:
        return timed_command([sys.executable, "-m", "pagefind", "--site", str(work / "plain" / "output")],
                             work / "plain" / "output")

    results = []
    for n in range(rounds):
        for folder in (work / "kaart" / ".cache", work / "kaart" / "build", work / "plain" / "output",
                       work / "plain" / "cache", work / "plain-nocache" / "output"):
            shutil.rmtree(folder, ignore_errors=True)
        if n % 2 == 0:
            kaart_seconds = kaart()
        plain, stock = pelican(work / "plain"), pagefind()
        plain_bare = pelican(work / "plain-nocache")
        if n % 2 == 1:
            kaart_seconds = kaart()
        results.append({"kaart": kaart_seconds, "pagefind": stock,
                        "cache on": plain + stock, "cache off": plain_bare + stock})
    return results


def print_rounds(results: list[dict]) -> None:
    print(f"\nCold builds in turn, {len(results)} rounds (s): kaart | Pelican + Pagefind, cache on | cache off")
    for n, run in enumerate(results, 1):
        print(f"  round {n}: {run['kaart']:7.2f} | {run['cache on']:7.2f} | {run['cache off']:7.2f}"
              f"   ratios {run['kaart'] / run['cache on']:.2f} / {run['kaart'] / run['cache off']:.2f}")
    for note in ("cache on", "cache off"):
        ratios = [run["kaart"] / run[note] for run in results]
        print(f"  {'median ratio, ' + note:30}{statistics.median(ratios):8.2f}  (from {min(ratios):.2f} to {max(ratios):.2f})")


def print_serve(serve: dict, full: float) -> None:
    edits = len(serve["served"])
    print(f"\nkaart serve, a factsheet's title saved (median of {edits} edits; the page fetched over HTTP):")
    for name, key in (("edit to served page (s)", "served"), ("change noticed (s)", "noticed"),
                      ("edit to 'Klaar' (s)", "done"), ("edit to search index (s)", "indexed")):
        median = statistics.median(serve[key])
        print(f"  {name:30}{median:8.2f}  ({median / full:.0%} of the cold full build; each: "
              + " ".join(f"{seconds:.2f}" for seconds in serve[key]) + ")")
    print(f"  {'started, site served (s)':30}{serve['startup']:8.2f}  (its first build: nothing changed since the last)")
    print(f"  {'all processes, PSS (MB)':30}{serve['peak_mb']:8.0f}  (peak while starting and rebuilding; "
          f"{serve['startup_mb']:.0f} until served)")


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


def compile_kaart() -> None:
    """Write the bytecode of kaart's modules first, as pip does for an installed package and as
    Python does on a checkout's first run, so that no build here compiles them from source (this
    project's machine sets PYTHONDONTWRITEBYTECODE: every kaart process compiled its ~100 modules,
    0.17 s of each build; Pelican, installed by pip, had its bytecode all along)."""
    import compileall

    compileall.compile_dir(str(REPO / "kaart"), quiet=1)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--rounds", type=int, default=5,
                        help="cold builds of kaart and of the plain pipeline in turn, for the median ratio")
    parser.add_argument("--only-rounds", action="store_true",
                        help="only the cold builds in turn (the median ratio), nothing else")
    parser.add_argument("--drop-caches", action="store_true",
                        help=f"empty the kernel's caches before each build (root: {DROP_CACHES})")
    parser.add_argument("--realistic", action="store_true",
                        help="factsheets with the shipped factsheets' words at Zipf-like frequencies "
                             "(the default project draws its text from about 40 words)")
    parser.add_argument("--history", type=int, metavar="COMMITS",
                        help="measure instead what a git history of COMMITS commits adds to the build")
    args = parser.parse_args()
    global drop_caches
    drop_caches = args.drop_caches
    compile_kaart()
    for n in args.sizes:
        bench_history(n, args.history) if args.history else bench(n, args.rounds, args.only_rounds, args.realistic)


if __name__ == "__main__":
    main()
