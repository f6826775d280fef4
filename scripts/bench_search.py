"""Benchmark search on synthetic sites: index time, size on disk, bytes of a first query.

    .venv/bin/python scripts/bench_search.py            # 1,000 and 5,000 factsheets
    .venv/bin/python scripts/bench_search.py 1000       # one size

For each size it builds the site (kaart build, which runs Pagefind through the plugin) and
prints, beside the stock baseline (Pagefind over whole pages with its stock UI):
- build time, and the part Pagefind and Whoosh take of it;
- Pagefind's peak memory (the indexing process alone) and its bundle size on disk;
- the compressed bytes a browser fetches for a first query until its results show (real
  Chromium, requests counted), and what it fetches after that (kaart: the facet counts);
- Whoosh: full index time and the time to update one changed factsheet; the similar
  factsheets (kaart.features.search.similar, tf-idf on Whoosh's Dutch analysis) for all factsheets.
Figures are printed, never asserted.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_realistic_project  # noqa: E402

QUERY = "loonpremie"
STOCK_PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>stock</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script>
</head><body><div id="search"></div>
<script>window.addEventListener('DOMContentLoaded', () => { new PagefindUI({ element: '#search' }); });</script>
</body></html>"""


def kib(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def compressed_size(path: Path) -> int:
    """What the file costs over the wire: Pagefind's .pf_* files are gzip already."""
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else min(len(data), len(gzip.compress(data, 9)))


def pagefind_in_subprocess(site: Path, stock: bool) -> tuple[float, int]:
    """Index `site` in a fresh process; return (seconds, peak memory in MB of the indexer)."""
    code = (
        "import resource, sys, time\n"
        "from pathlib import Path\n"
        "from kaart.build import pagefind as p\n"
        "site = Path(sys.argv[1])\n"
        "stock = sys.argv[2] == 'stock'\n"
        "if stock:\n"
        "    p.PAGES_GLOB = '**/*.html'; p.EXCLUDE_SELECTORS = ()\n"
        "# Stock Pagefind writes one index, whatever its size: its UI would load only a first part.\n"
        "per_part = 10**9 if stock else p.PAGES_PER_PART\n"
        "start = time.perf_counter(); p.index_site(site, keep_stock_ui=stock, per_part=per_part)\n"
        "took = time.perf_counter() - start\n"
        "print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
    )
    run = subprocess.run([sys.executable, "-c", code, str(site), "stock" if stock else "kaart"],
                         capture_output=True, text=True, cwd=REPO)
    if run.returncode:
        raise RuntimeError(f"Pagefind indexing failed:\n{run.stderr[-2000:]}")
    out = run.stdout.split()
    return float(out[-2]), int(out[-1])


def first_query_bytes(site: Path, url_path: str, fill: bool) -> tuple[int, int, dict[str, int], int]:
    """Serve `site`, open `url_path` in Chromium, run QUERY. Returns the compressed bytes fetched
    until the first results show, their request count and kinds, and the bytes fetched after
    that within 1.5 s (kaart's UI fetches the facet counts' filter index once results show)."""
    from playwright.sync_api import sync_playwright

    from kaart.features.handouts.pdf import CHROMIUM_FLAGS, find_chromium, serve

    fetched: list[str] = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.on("requestfinished", lambda request: fetched.append(request.url))
        page.goto(base + url_path)
        if fill:
            page.fill(".pagefind-ui__search-input", QUERY)
            page.wait_for_selector(".pagefind-ui__result", timeout=60_000)
        else:
            page.wait_for_function("document.getElementById('zoekstatus').textContent.includes('gevonden')",
                                   timeout=60_000)
        until_results = list(fetched)
        page.wait_for_timeout(1500)
        browser.close()
    total, kinds = _bytes_by_kind(site, until_results)
    later, _ = _bytes_by_kind(site, [url for url in dict.fromkeys(fetched) if url not in set(until_results)])
    return total, len(until_results), kinds, later


def _bytes_by_kind(site: Path, urls: list[str]) -> tuple[int, dict[str, int]]:
    kinds: dict[str, int] = {}
    total = 0
    for url in dict.fromkeys(urls):
        path = site / re.sub(r"^https?://[^/]+/", "", url).split("?")[0]
        if not path.is_file() or "/pagefind/" not in url and not url.endswith(".js"):
            continue
        size = compressed_size(path)
        kind = next((k for k in ("fragment", "index", "filter", "wasm", "pf_meta", "ui", "js") if k in path.name
                     or k in path.parent.name), "other")
        kinds[kind] = kinds.get(kind, 0) + size
        total += size
    return total, kinds


def whoosh_figures(root: Path) -> tuple[float, float, float, int]:
    import dataclasses

    from kaart.content.project import read_knowledge_base
    from kaart.core.model import KnowledgeBase
    from kaart.features.search.whoosh import SearchIndex
    from kaart.features.search.similar import similar_sheets

    kb, _ = read_knowledge_base(root)
    assert kb is not None
    start = time.perf_counter()
    SearchIndex.build(kb)
    indexed = time.perf_counter() - start
    start = time.perf_counter()
    similar_sheets(kb)  # analysis of every text (no cache configured) plus the tf-idf scoring
    similar = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as cache:
        SearchIndex.build(kb, Path(cache))
        first = kb.initiatives[0]
        changed = dataclasses.replace(first, samenvatting=first.samenvatting + " Gewijzigd.")
        kb2 = KnowledgeBase.from_sheets([changed if s.id == first.id else s for s in kb.sheets.values()])
        start = time.perf_counter()
        SearchIndex.build(kb2, Path(cache))
        update = time.perf_counter() - start
        size = tree_size(Path(cache))
    return indexed, similar, update, size


def bench(count: int, workdir: Path) -> None:
    from kaart.build.site import build

    root = workdir / f"site-{count}"
    root.mkdir(parents=True, exist_ok=True)
    for name in ("pelicanconf.py", "theme", "schema"):
        target = root / name
        if not target.exists():
            target.symlink_to(REPO / name)
    (root / "content" / "pages").mkdir(parents=True, exist_ok=True)  # no pages that cite real sheets
    write_realistic_project(root, count)
    output = root / "build"
    print(f"\n== {count:,} factsheets ==")
    start = time.perf_counter()
    problems = build(root, output)
    build_time = time.perf_counter() - start
    assert not problems, problems[:3]

    ours_time, ours_mem = pagefind_in_subprocess(output, stock=False)
    ours_bundle = tree_size(output / "pagefind")
    ours_bytes, ours_requests, ours_kinds, ours_later = first_query_bytes(output, f"/zoeken/?q={QUERY}", fill=False)

    stock_site = root / "build-stock"
    shutil.rmtree(stock_site, ignore_errors=True)
    shutil.copytree(output, stock_site)
    for page in stock_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(" data-pagefind-body", ""), encoding="utf-8")
    (stock_site / "stock.html").write_text(STOCK_PAGE, encoding="utf-8")
    stock_time, stock_mem = pagefind_in_subprocess(stock_site, stock=True)
    stock_bundle = tree_size(stock_site / "pagefind")
    stock_bytes, stock_requests, stock_kinds, stock_later = first_query_bytes(stock_site, "/stock.html", fill=True)

    w_index, w_similar, w_update, w_size = whoosh_figures(root)

    rows = [
        ("kaart build, whole site", f"{build_time:.1f} s", ""),
        ("Pagefind indexing", f"{ours_time:.1f} s ({ours_time / build_time:.0%} of build)", f"{stock_time:.1f} s"),
        ("Pagefind peak memory", f"{ours_mem} MB", f"{stock_mem} MB"),
        ("Pagefind bundle on disk", kib(ours_bundle), kib(stock_bundle)),
        (f"first query '{QUERY}', compressed", f"{kib(ours_bytes)} in {ours_requests} requests",
         f"{kib(stock_bytes)} in {stock_requests} requests"),
        ("  of which", ", ".join(f"{k} {kib(v)}" for k, v in sorted(ours_kinds.items())),
         ", ".join(f"{k} {kib(v)}" for k, v in sorted(stock_kinds.items()))),
        ("  fetched after the results show", kib(ours_later), kib(stock_later)),
        ("Whoosh index (in memory)", f"{w_index:.1f} s", ""),
        ("similar factsheets (tf-idf), all", f"{w_similar:.1f} s ({w_similar / count * 1000:.1f} ms each)", ""),
        ("Whoosh cached index: one change", f"{w_update:.1f} s (cache {kib(w_size)})", ""),
    ]
    print(f"{'':34} {'kaart':44} stock baseline")
    for name, ours, stock in rows:
        print(f"{name:34} {ours:44} {stock}")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1000, 5000]
    with tempfile.TemporaryDirectory(prefix="kaart-bench-") as tmp:
        for count in sizes:
            bench(count, Path(tmp))


if __name__ == "__main__":
    main(sys.argv[1:])
