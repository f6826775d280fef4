"""Benchmark the relationship graph on synthetic knowledge bases (figures are printed, never asserted).

    .venv/bin/python scripts/bench_graph.py                 # 500 and 2,000 nodes
    .venv/bin/python scripts/bench_graph.py --sizes 5000
    .venv/bin/python scripts/bench_graph.py --browser 2000  # also: /graaf/ in Chromium at 2,000 nodes

Synthetic graphs look like the real one: about 3 relations per sheet, one organisation per six
initiatives, a few hubs, some "leidt naar" chains. The browser check swaps a synthetic graaf.json
into a built site and measures frame times while panning and zooming.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kaart.core import registry  # noqa: E402
from kaart.content import relations  # noqa: E402
from kaart.features.graph import diagram, model as graph  # noqa: E402
from kaart.features.graph.pages import browser_graph_with_styles  # noqa: E402
from kaart.core.model import Cell, Initiative, KnowledgeBase, Organisation, Relation  # noqa: E402
from kaart.core.problems import Location  # noqa: E402

INITIATIVE_RELATIONS = [t for t in registry.RELATION_TYPES if t not in registry.ORGANISATION_RELATIONS]


def synthetic_kb(nodes: int, seed: int = 1) -> KnowledgeBase:
    rng = random.Random(seed)
    n_orgs = nodes // 7
    init_ids = [f"i{i:05d}" for i in range(nodes - n_orgs)]
    org_ids = [f"o{i:05d}" for i in range(n_orgs)]
    kinds, situations = list(registry.kinds()), list(registry.situations())
    sheets: list[Initiative | Organisation] = []
    common = {"samenvatting": "x", "bronnen": (), "laatst_nagekeken": dt.date(2026, 1, 1)}
    for i, sid in enumerate(init_ids):
        relations = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            # preferential attachment to earlier sheets makes a few hubs, as in the real map
            target = init_ids[int(rng.random() ** 2 * i)] if i else None
            kind = rng.choice(INITIATIVE_RELATIONS)
            if target and target != sid and not (kind in ("leidt-naar", "vervangt", "onderdeel-van", "variant-van")
                                                  and target > sid):
                relations.append(Relation(kind, sid, target, None, Location(f"initiatives/{sid}.yaml", 9, 5)))
        sheets.append(Initiative(id=sid, titel=f"Initiatief {i}", path=f"initiatives/{sid}.yaml", status="actief",
                                 cellen=(Cell(rng.choice(situations), rng.choice(kinds)),),
                                 aanbieders=(rng.choice(org_ids),) if org_ids else (), relaties=tuple(relations),
                                 **common))
    for i, oid in enumerate(org_ids):
        takes_part = tuple(Relation("neemt-deel-aan", oid, rng.choice(init_ids[:20]), None,
                                    Location(f"organisations/{oid}.yaml", 9, 5)) for _ in range(rng.choice((0, 1))))
        sheets.append(Organisation(id=oid, titel=f"Organisatie {i}", path=f"organisations/{oid}.yaml",
                                   relaties=takes_part, **common))
    return KnowledgeBase.from_sheets(sheets)


def timed(fn, *args, repeat: int = 1):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return result, best


def bench(nodes: int) -> dict[str, str]:
    kb = synthetic_kb(nodes)
    g, t_build = timed(graph.build_graph, kb)
    problems, t_check = timed(relations.graph_problems, kb.relations, set(kb.sheets))
    positions, t_layout = timed(graph.force_layout, g)
    payload, t_json = timed(lambda: graph.node_link_json(browser_graph_with_styles(g, positions)))
    sample = sorted(g.nodes)[:: max(1, len(g) // 200)]
    start = time.perf_counter()
    svg_sizes = [len(diagram.neighbourhood_svg(g, n, "../../").encode()) for n in sample]
    per_svg = (time.perf_counter() - start) / len(sample)
    _, t_hubs = timed(graph.hubs, g)
    _, t_routes = timed(graph.routes, g)
    return {
        "nodes": f"{g.number_of_nodes():,}",
        "edges": f"{g.number_of_edges():,}",
        "build graph": f"{t_build * 1000:.0f} ms",
        "checks (cycles, duplicates)": f"{t_check * 1000:.0f} ms ({len(problems)} problems)",
        "layout (force, pure Python)": f"{t_layout:.2f} s",
        "slim JSON": f"{len(payload) / 1024:.0f} KB ({len(gzip.compress(payload, 9)) / 1024:.0f} KB gzip), "
                     f"written in {t_json * 1000:.0f} ms",
        "neighbourhood SVG": f"{per_svg * 1000:.2f} ms per page, median {statistics.median(svg_sizes) / 1024:.1f} KB "
                             f"(≈ {per_svg * nodes:.1f} s for all {nodes:,} pages)",
        "hubs / routes": f"{t_hubs * 1000:.0f} ms / {t_routes * 1000:.0f} ms",
    }


def browser_check(nodes: int) -> None:
    """Build the shipped site, swap in a synthetic graaf.json, and time frames while panning and zooming."""
    import functools
    import http.server
    import tempfile
    import threading

    from playwright.sync_api import sync_playwright

    from kaart.build.site import build

    repo = Path(__file__).resolve().parent.parent
    out = Path(tempfile.mkdtemp()) / "build"
    assert build(repo, out) == []
    kb = synthetic_kb(nodes)
    g = graph.build_graph(kb)
    (out / "graaf/graaf.json").write_bytes(graph.node_link_json(browser_graph_with_styles(g, graph.force_layout(g))))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        start = time.perf_counter()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/graaf/")
        page.wait_for_selector("#graaf-app[data-ready='true']", timeout=60_000)
        print(f"  browser: {nodes:,} nodes ready in {time.perf_counter() - start:.2f} s (load, parse, draw)")
        page.locator("#graaf-canvas").scroll_into_view_if_needed()
        box = page.locator("#graaf-canvas").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.evaluate("""() => { window.__frames = []; let last = performance.now();
            const tick = now => { window.__frames.push(now - last); last = now; requestAnimationFrame(tick); };
            requestAnimationFrame(tick); }""")
        page.mouse.move(cx, cy)
        page.mouse.down()
        for i in range(60):
            page.mouse.move(cx + 4 * i, cy + 2 * i)
        page.mouse.up()
        for _ in range(20):
            page.mouse.wheel(0, -120)
            page.wait_for_timeout(30)
        frames = sorted(page.evaluate("() => window.__frames.slice(1)"))
        p95 = frames[int(len(frames) * 0.95)]
        print(f"  browser: pan + zoom, {len(frames)} frames, median {statistics.median(frames):.1f} ms, "
              f"95th percentile {p95:.1f} ms, longest {frames[-1]:.1f} ms")
        browser.close()
    server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--browser", type=int, metavar="NODES", help="also time /graaf/ in Chromium at this size")
    args = parser.parse_args()
    for size in args.sizes:
        print(f"synthetic graph, {size:,} sheets")
        for name, value in bench(size).items():
            print(f"  {name:<30} {value}")
    if args.browser:
        browser_check(args.browser)


if __name__ == "__main__":
    main()
