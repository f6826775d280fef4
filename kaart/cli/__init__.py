"""The `kaart` command: build, validate, serve, start new factsheets, report and format them."""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import sys
from collections.abc import Sequence
from typing import NoReturn
from pathlib import Path

from kaart import __version__
from kaart.core import registry


class UsageError(Exception):
    """A mistake in how kaart was called (a missing folder, a path outside the project): one line."""


def _root(args: argparse.Namespace) -> Path:
    root = Path(args.root).resolve()
    if not root.is_dir():
        raise UsageError(f"de projectmap {args.root} bestaat niet (geef met --root de map met initiatives/)")
    if not any((root / folder).is_dir() for folder in registry.FOLDERS.values()):
        raise UsageError(f"{root} is geen kaart-project: er is geen map initiatives/ of organisations/")
    return root


def _store(args: argparse.Namespace, root: Path):
    """The project's store, under the same fingerprint a build of it uses (so `kaart validate`
    and `kaart build` share their checked documents)."""
    from kaart.core.fingerprint import fingerprint
    from kaart.core.store import Store

    settings = _settings(args) if (getattr(args, "settings", None) or (root / "pelicanconf.py").is_file()) else {}
    theme = [Path(settings["THEME"])] if settings.get("THEME") else []
    return Store(root, fingerprint(theme, settings))


def _settings_file(args: argparse.Namespace, root: Path) -> Path:
    settings = Path(args.settings).resolve() if getattr(args, "settings", None) else root / "pelicanconf.py"
    if not settings.is_file():
        raise UsageError(f"de instellingen {settings} bestaan niet (geef ze met --settings)")
    return settings


def _import_build_modules() -> None:
    """Import what a build runs on (Pelican, kaart's plugin and every feature: about a thousand
    modules) with automatic garbage collection paused: their objects live as long as the process."""
    from kaart.core.workers import collection_paused

    with collection_paused(outside_builds=True):
        import kaart.build.plugin  # noqa: F401  (Pelican loads it by name, from the settings)
        import pelican.settings  # noqa: F401


def cmd_build(args: argparse.Namespace) -> int:
    from kaart.core.store import check_ahead, drop_checks_ahead

    root = _root(args)
    check_ahead(root)  # before the build's modules are imported: their import time is spent checking
    _import_build_modules()
    from kaart.build.site import build

    try:
        problems = build(root, Path(args.output), _settings_file(args, root))
    except OSError as error:  # a full disk, a read-only folder: the previous site is untouched
        raise UsageError(f"kan de site niet schrijven naar {args.output}/: {error.strerror or error}") from error
    finally:
        drop_checks_ahead()
    if problems:  # the errors that stopped it, and the warnings (a build that goes on prints those itself)
        _print_problems(problems, args.output)
        return 1
    if getattr(args, "tijden", False):
        from kaart.core import timing

        print(timing.report(), file=sys.stderr)
    print(f"Site gebouwd in {args.output}/")
    return 0


def _print_problems(problems: list, output: str) -> None:
    from kaart.core.problems import count_text

    for problem in problems:
        print(problem.format_text(), file=sys.stderr)
    print(f"{count_text(problems)}; de vorige site in {output}/ is niet gewijzigd.", file=sys.stderr, flush=True)


def cmd_validate(args: argparse.Namespace) -> int:
    from kaart.content.project import read_knowledge_base
    from kaart.core.problems import count_text, errors_in

    root = _root(args)
    kb, problems = read_knowledge_base(root, _store(args, root))
    if args.paths:
        outside = [p for p in args.paths if not Path(p).resolve().is_relative_to(root)]
        if outside:
            raise UsageError(f"{outside[0]} ligt buiten het project {root}")
        wanted = {Path(p).resolve().relative_to(root).as_posix() for p in args.paths}
        problems = [p for p in problems if p.location.path in wanted]
    for problem in problems:
        print(problem.format_github() if args.format == "github" else problem.format_text())
    if errors_in(problems):
        print(f"{count_text(problems)} gevonden.", file=sys.stderr)
        return 1
    if kb is not None:  # warnings do not make a factsheet invalid
        warned = f", met {count_text(problems)}" if problems else ""
        print(f"OK: {len(kb.initiatives)} initiatieven en {len(kb.organisations)} organisaties{warned}.", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import http.server
    import threading

    from kaart.build import live
    from kaart.build.served import ServedSite
    from kaart.features.search.pages import SEARCH_PAGE
    from kaart.build.watch import snapshot, watch
    from kaart.core import registry

    root = _root(args)
    directory = (root / args.output).resolve()
    settings = Path(args.settings) if args.settings else root / "pelicanconf.py"
    # The package's schemas too: a schema edit rebuilds (state.reset makes the build read it anew).
    schemas = [registry.SCHEMA_DIR / name for name in registry.SCHEMA_NAMES]
    # The theme the settings name, wherever it is (not only the project's theme/).
    try:
        theme = Path(_settings(args).get("THEME") or root / "theme")
    except UsageError:  # the build below says what is wrong; meanwhile the usual theme is watched
        theme = root / "theme"
    watched = {"extra_files": [settings, *schemas], "output": directory, "extra_folders": [theme]}
    before_build = snapshot(root, **watched)
    state = live.LiveState()
    # The port first: a second `kaart serve` says so at once, not after a whole build.
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), live.handler_class(directory, state, root))
    except OSError as error:
        raise UsageError(f"poort {args.port} is niet vrij ({error.strerror or error}); draait kaart serve al? "
                         "Kies een andere poort met --port") from error
    # The first build too brings the folder up to date file by file and indexes it afterwards: the
    # site is served sooner, and Pagefind never runs beside the build's page workers (memory).
    search_page = live.page_url(SEARCH_PAGE)
    served = ServedSite(root, directory, _settings_file(args, root),
                        when_indexed=lambda: state.publish_pages([search_page]))
    try:
        update = served.rebuild()
    except OSError as error:
        server.server_close()
        raise UsageError(f"kan de site niet schrijven naar {args.output}/: {error.strerror or error}") from error
    if update.problems:  # served all the same: the last site, if any, and the errors in every tab
        _print_problems(update.problems, args.output)
        state.publish(problems=[problem.format_text() for problem in update.problems])
        print("Verbeter de fout en bewaar het bestand: dan wordt de site gebouwd.", flush=True)
    else:
        print(f"Site gebouwd in {args.output}/ ({len(update.changed)} bestanden bijgewerkt).")
        if update.warnings:  # a tab opened later shows them too
            state.publish(warnings=[warning.format_text() for warning in update.warnings])
    # The folder is looked up by name on every request; no log line per request, so the rebuild
    # messages stay readable.
    with server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"Bekijk de site op http://127.0.0.1:{args.port}/ (Ctrl+C om te stoppen)")
        print("Bewaar je een fiche, dan wordt de site opnieuw gebouwd en vernieuwen open pagina's vanzelf.", flush=True)
        try:
            # A save is noticed at once (watch.Notices); the scans catch what sends no notice: every
            # 2 s while notices come, every 0.15 s once a change came without one.
            watch(root, lambda changed: _rebuild(args, changed, state, served), interval=0.15, since=before_build,
                  **watched)
        except KeyboardInterrupt:
            pass
        finally:
            served.stop_indexing()
            state.close()
            server.shutdown()
    return 0


def _rebuild(args: argparse.Namespace, changed: list[str], state, served) -> None:
    """Build again; tell the open tabs which pages changed, or what stopped the build."""
    import time

    from kaart.build import quick

    root = _root(args)
    served.stop_indexing()  # its "index ready" must not reach the tabs after this change's messages
    names = [Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else path for path in changed]
    print(f"Gewijzigd: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}; opnieuw bouwen …", flush=True)
    start = time.perf_counter()
    # One edited factsheet: its own page first (or its errors), then the whole site.
    try:
        first = quick.edited_sheet_page(root, changed, served.output)
    except Exception as error:  # the full build below says what is wrong; the preview is a bonus
        print(f"(voorvertoning overgeslagen: {type(error).__name__}: {error})", file=sys.stderr)
        first = quick.QuickResult()
    if first.problems:
        state.publish(problems=[problem.format_text() for problem in first.problems])
    elif first.url:
        served.written([first.url.lstrip("/") + "index.html"])
        state.publish(pages=[first.url])
        print(f"{first.url} getoond na {time.perf_counter() - start:.2f} s; de rest van de site volgt.", flush=True)
    # The last build's model is let go before the next is made: two at once would double the memory.
    quick.forget()
    try:
        update = served.rebuild()
    except Exception as error:  # e.g. a template error: report it and keep serving the last site
        message = f"Bouwen mislukt ({type(error).__name__}: {error}); de vorige site blijft staan."
        print(message, file=sys.stderr)
        state.publish(problems=[message])
        return
    if update.problems:  # what stopped it (and its warnings)
        _print_problems(update.problems, args.output)
        state.publish(problems=[problem.format_text() for problem in update.problems])
        return
    state.publish(pages=update.pages, files=update.files,
                  warnings=[warning.format_text() for warning in update.warnings])
    follows = "; de zoekindex volgt" if served.index is not None else ""
    print(f"Klaar in {time.perf_counter() - start:.1f} s ({len(update.changed)} bestanden bijgewerkt{follows}).",
          flush=True)


def cmd_new(args: argparse.Namespace) -> int:
    from kaart.content.scaffold import NewSheetError, ask_missing, write_new_sheet

    fields = {"titel": args.titel, "soort": args.soort, "situatie": args.situatie, "aanbieder": args.aanbieder,
              "bron_url": args.bron_url, "bron_titel": args.bron_titel}
    if sys.stdin.isatty() and not all(fields.values()):
        try:
            fields = ask_missing(_root(args), fields, organisation=args.organisatie)
        except (EOFError, KeyboardInterrupt):
            print("\nAfgebroken; er is geen fiche gemaakt.", file=sys.stderr)
            return 1
    try:
        path = write_new_sheet(_root(args), args.id, organisation=args.organisatie, **fields)
    except NewSheetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Nieuwe fiche: {path.relative_to(_root(args))}")
    examples = "de samenvatting" + ("" if fields.get("bron_url") else " en de bron (bronnen)")
    print(f"Vervang nog de voorbeeldtekst van {examples} en controleer met: kaart validate")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from kaart.content.project import read_knowledge_base
    from kaart.core.problems import count_text
    from kaart.core.store import CACHE_DIR
    from kaart.features.search.whoosh import SearchIndex

    root = _root(args)
    kb, problems = read_knowledge_base(root)
    if kb is None:
        for problem in problems:
            print(problem.format_text(), file=sys.stderr)
        print(f"{count_text(problems)}: los de fouten eerst op (kaart validate).", file=sys.stderr)
        return 1
    index = SearchIndex.build(kb, root / CACHE_DIR / "whoosh")  # re-indexes only changed factsheets
    hits = index.search(args.query, soort=args.soort, situatie=args.situatie, limit=args.limit)
    if not hits:
        print(f"Geen fiches gevonden voor \u201c{args.query}\u201d.", file=sys.stderr)
        return 1
    width = max(len(hit.path) for hit in hits)
    for rank, hit in enumerate(hits, 1):
        print(f"{rank:>2}. {hit.path:<{width}}  {hit.titel}  ({hit.score:.2f})")
    return 0


def cmd_handout(args: argparse.Namespace) -> int:
    from kaart.content.handouts import handout_paths
    from kaart.features.handouts.pdf import PdfError, find_chromium, print_to_pdf
    from kaart.core.validate import suggest

    root = _root(args)
    slugs = [path.stem for path in handout_paths(root)]
    if args.slug not in slugs:
        hint = suggest(args.slug, slugs) or ("bundels: " + ", ".join(slugs) if slugs else "er zijn nog geen bundels")
        print(f"error: geen handout '{args.slug}' in content/handouts/ ({hint})", file=sys.stderr)
        return 1
    if find_chromium() is None:
        print(f"error: {PdfError.missing_chromium}", file=sys.stderr)
        return 1
    status = cmd_build(args)
    if status:
        return status
    settings = _settings(args)
    if not settings.get("KAART_PUBLIC_URL"):
        print("let op: KAART_PUBLIC_URL is niet ingesteld (in pelicanconf.py of als omgevingsvariabele), dus de PDF "
              "drukt geen webadressen en geen QR-codes af", file=sys.stderr)
    target = Path(args.pdf).resolve()
    try:
        print_to_pdf((root / args.output).resolve(), f"handouts/{args.slug}/", target)
    except PdfError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"PDF geschreven: {args.pdf}")
    return 0


def _settings(args: argparse.Namespace) -> dict:
    from pelican.settings import read_settings

    given = getattr(args, "settings", None)
    settings_file = Path(given) if given else _root(args) / "pelicanconf.py"
    if not settings_file.is_file():
        return {}
    try:
        return read_settings(str(settings_file))
    except Exception as error:
        from kaart.build.mistakes import settings_problem

        if (problem := settings_problem(error, settings_file, _root(args))) is None:
            raise
        raise UsageError(f"{problem.location}: {problem.message}") from error


def cmd_report(args: argparse.Namespace) -> int:
    from kaart.content.project import read_knowledge_base
    from kaart.core.problems import count_text
    from kaart.features.report import care_report

    kb, problems = read_knowledge_base(_root(args))
    if kb is None:
        for problem in problems:
            print(problem.format_text(), file=sys.stderr)
        print(f"{count_text(problems)}: verbeter de fouten eerst (kaart validate).", file=sys.stderr)
        return 1
    sys.stdout.write(care_report(kb, args.today))
    return 0


def _factsheet_files(root: Path, paths: list[str]) -> list[Path]:
    from kaart.core import registry
    from kaart.core.load import factsheet_paths

    if not paths:
        return factsheet_paths(root, tuple(registry.FOLDERS.values()))
    found: list[Path] = []
    for given in map(Path, paths):
        path = given if given.is_absolute() else Path.cwd() / given
        if not path.exists() and not given.is_absolute():  # `--root` given: a path in the project
            path = root / given
        if not path.exists():
            raise UsageError(f"{given} bestaat niet" if given.is_absolute() else
                             f"{given} bestaat niet, niet in de huidige map en niet in het project {root}")
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            found.append(path)
    return found


def cmd_fmt(args: argparse.Namespace) -> int:
    from kaart.content.fmt import format_file
    from kaart.core.problems import errors_in

    root = _root(args)
    results = [format_file(path.resolve(), root) for path in _factsheet_files(root, args.paths)]
    problems = [problem for result in results for problem in result.problems]
    changed = [result for result in results if result.changed]
    for problem in problems:
        print(problem.format_text(), file=sys.stderr)
    # A file left alone for a warning does not fail the run: validate reports the warning too.
    failed = 1 if errors_in(problems) else 0
    if args.check:
        return _fmt_check(args, root, changed) or failed
    for result in changed:
        result.path.write_text(result.formatted or "", encoding="utf-8")
        print(f"opgemaakt: {_relative(result.path, root)}")
    print(f"{len(results)} fiche(s) nagekeken, {len(changed)} herschreven.", file=sys.stderr)
    return failed


def _relative(path: Path, root: Path) -> str:
    return (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()


def _fmt_check(args: argparse.Namespace, root: Path, changed: list) -> int:
    """Show what formatting would change, file by file: in sentences, as a diff, and (for a pull
    request) as annotations and a job summary. Code 1 when anything would change."""
    from kaart.content.fmt import describe, summary_markdown

    changes = [describe(result, _relative(result.path, root)) for result in changed]
    for change in changes:
        if args.format == "github":
            print(change.annotation().format_github())
        print(f"{change.rel_path}: niet opgemaakt")
        print("".join(f"  - {sentence}\n" for sentence in change.sentences) + change.diff)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(summary_markdown(changes))
    if changes:
        print(f"{len(changes)} fiche(s) niet opgemaakt: neem de wijziging hierboven over of voer 'kaart fmt' uit.",
              file=sys.stderr)
        return 1
    return 0


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum; schrijf JJJJ-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kaart", description="Bouw en controleer de kaart van initiatieven.")
    parser.add_argument("--version", action="version", version=f"kaart {__version__}")
    parser.add_argument("--root", default=".", help="projectmap met initiatives/ en organisations/ (standaard: .)")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="valideer de fiches en bouw de site (atomair: bij een fout blijft de oude site staan)")
    build.add_argument("--output", default="build", help="uitvoermap (standaard: build)")
    build.add_argument("--settings", help="Pelican-instellingen (standaard: pelicanconf.py)")
    build.add_argument("--tijden", action="store_true", help="toon hoe lang elke stap van de bouw duurde")
    build.set_defaults(func=cmd_build)

    validate = sub.add_parser("validate", help="controleer alle fiches en toon elke fout als bestand:regel:kolom")
    validate.add_argument("paths", nargs="*", help="toon alleen fouten in deze bestanden (alles wordt gecontroleerd)")
    validate.add_argument("--format", choices=["text", "github"], default="text",
                          help="'github' schrijft annotaties voor GitHub Actions")
    validate.set_defaults(func=cmd_validate)

    serve = sub.add_parser("serve", help="bouw de site, toon ze op http://127.0.0.1:PORT/ en bouw opnieuw na elke wijziging")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--output", default="build")
    serve.add_argument("--settings")
    serve.set_defaults(func=cmd_serve)

    search = sub.add_parser("search", help="zoek in de fiches (Nederlandse stamvormen, samenstellingen) en toon de bestanden")
    search.add_argument("query", help="zoekwoorden, bv. \"loonpremie\" of \"werkgever met werknemer met beperking\"")
    search.add_argument("--soort", action="append", default=[], choices=sorted(registry.kinds()),
                        help="alleen deze soort hulp (herhaalbaar)")
    search.add_argument("--situatie", action="append", default=[], choices=sorted(registry.situations()),
                        help="alleen deze situatie (herhaalbaar)")
    search.add_argument("--limit", type=int, default=10, help="hoeveel resultaten (standaard: 10)")
    search.set_defaults(func=cmd_search)
    handout = sub.add_parser("handout", help="bouw de site en druk de handout-bundel SLUG af als PDF (met Chromium)")
    handout.add_argument("slug", help="naam van de bundel: het bestand content/handouts/SLUG.yaml")
    handout.add_argument("--pdf", required=True, metavar="FILE", help="het PDF-bestand dat geschreven wordt")
    handout.add_argument("--output", default="build", help="uitvoermap van de site (standaard: build)")
    handout.add_argument("--settings", help="Pelican-instellingen (standaard: pelicanconf.py)")
    handout.set_defaults(func=cmd_handout)

    new = sub.add_parser("new", help="maak een nieuwe fiche met alle velden en uitleg")
    new.add_argument("id", help="het id, bv. mijn-initiatief (kleine letters, cijfers, koppeltekens)")
    new.add_argument("--organisatie", action="store_true", help="maak een organisatiefiche in plaats van een initiatief")
    new.add_argument("--titel", help="de naam van het initiatief of de organisatie")
    new.add_argument("--soort", help="subsidie, begeleiding, opleiding of informatie")
    new.add_argument("--situatie", help="niet-actief, actief of werkgever")
    new.add_argument("--aanbieder", help="id van de organisatie die het aanbiedt")
    new.add_argument("--bron-url", help="webadres van een publieke pagina die de feiten staaft")
    new.add_argument("--bron-titel", help="titel van die pagina")
    new.set_defaults(func=cmd_new)

    report = sub.add_parser("report", help="toon in Markdown wat aandacht nodig heeft (verouderd, onvolledig, los)")
    report.add_argument("--today", type=_iso_date, default=dt.date.today(),
                        help="reken vanaf deze datum (JJJJ-MM-DD, standaard: vandaag)")
    report.set_defaults(func=cmd_report)

    fmt = sub.add_parser("fmt", help="zet de velden van fiches in de vaste volgorde en stijl (opmerkingen blijven)")
    fmt.add_argument("paths", nargs="*", help="alleen deze bestanden of mappen (standaard: alle fiches)")
    fmt.add_argument("--check", action="store_true",
                     help="herschrijf niets; toon per fiche wat er zou veranderen en geef dan code 1")
    fmt.add_argument("--format", choices=["text", "github"], default="text",
                     help="'github' schrijft bij --check ook annotaties voor GitHub Actions")
    fmt.add_argument("--summary", metavar="FILE",
                     help="voeg bij --check een samenvatting in Markdown toe aan FILE (bv. $GITHUB_STEP_SUMMARY)")
    fmt.set_defaults(func=cmd_fmt)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def run() -> NoReturn:
    """The `kaart` command. After a build the process holds the whole model and its caches; the
    interpreter would free them object by object before exiting (0.2 s at 1,000 factsheets,
    0.75 s at 5,000). Exit handlers still run and output is flushed, then the process ends."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()  # logging's shutdown among them
    os._exit(code)


if __name__ == "__main__":
    run()
