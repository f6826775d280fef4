"""`kaart serve`'s live reload: an open tab refreshes itself when its page changes (or a file it
loaded; a stylesheet is swapped in place), and shows the errors of a build that failed (the last
good site stays served) or the warnings of one that went on.

Only the server adds the script, to the HTML it sends; `kaart build` never writes it. The tabs
listen with Server-Sent Events (the standard library's HTTP server, no dependency): after every
build the server says which pages and other files changed, or which problems stopped it. A page
that is not there answers with serve's own Dutch page, which carries the script too: a tab on the
page of a factsheet still being written shows that page once a build makes it.
"""

from __future__ import annotations

import html
import json
import re
import threading
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from kaart.core import registry
from kaart.features.handouts.pdf import QuietHandler

EVENTS_PATH = "/__kaart/gebeurtenissen"
SCRIPT_PATH = "/__kaart/live.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()
SCRIPT_FILE = Path(__file__).with_name("live.js")
KEEPALIVE_SECONDS = 10.0


class LiveState:
    """What the open tabs are told after each build: its number and either the pages it changed or
    the problems that stopped it."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.version = 0
        self.message: dict[str, Any] = {"versie": 0, "paginas": [], "bestanden": [], "fouten": [],
                                        "waarschuwingen": []}
        self.closed = False

    def publish(self, pages: list[str] | None = None, problems: list[str] | None = None,
                files: list[str] | None = None, warnings: list[str] | None = None) -> None:
        """`pages`: the addresses of changed pages; `files`: of the other changed files (a
        stylesheet, a page's data), which a tab that uses them follows too; `problems`: what stopped
        a build; `warnings`: what a build that went on found."""
        with self._condition:
            self.version += 1
            self.message = {"versie": self.version, "paginas": pages or [], "bestanden": files or [],
                            "fouten": problems or [], "waarschuwingen": warnings or []}
            self._condition.notify_all()

    def publish_pages(self, pages: list[str]) -> None:
        """Pages changed after the build (the search page, once its index is in place): the
        build's warnings still stand."""
        with self._condition:
            warnings = self.message["waarschuwingen"]
        self.publish(pages=pages, warnings=warnings)

    def wait(self, after: int, timeout: float) -> dict[str, Any] | None:
        """The newest message if there is one newer than `after`, waiting up to `timeout` seconds."""
        with self._condition:
            self._condition.wait_for(lambda: self.version > after or self.closed, timeout)
            return self.message if self.version > after else None

    def close(self) -> None:
        with self._condition:
            self.closed = True
            self._condition.notify_all()


def page_url(rel_path: str) -> str:
    """The address a browser shows for a written page: /initiatief/ibo/ for initiatief/ibo/index.html."""
    return "/" + rel_path.removesuffix("index.html")


def with_script(html: bytes) -> bytes:
    """The page with the live-reload script before its closing body tag (or at the end)."""
    at = html.rfind(b"</body>")
    return html[:at] + SCRIPT_TAG + html[at:] if at >= 0 else html + SCRIPT_TAG


# /initiatief/ibo/, /vergelijken/stages/: a page made from one file, by its folder and the file's name.
SOURCE_ADDRESS = re.compile(r"^/(?P<kind>[a-z]+)/(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)/?$")


def _source_folders() -> dict[str, str]:
    """The first part of a page's address → the folder whose file of that name makes the page."""
    from kaart.content import comparisons, figures, handouts

    return {**registry.FOLDERS, "vergelijken": comparisons.FOLDER, "cijfers": figures.FOLDER,
            "handouts": handouts.FOLDER}


def is_page_address(path: str) -> bool:
    """An address a tab would show a page at: /x/, /x.html, or /x without a file suffix."""
    last = path.rsplit("/", 1)[-1]
    return not last or last.endswith(".html") or "." not in last


def not_found_page(path: str, root: Path, site_exists: bool = True) -> bytes:
    """What serve answers for a page that is not there (yet), in Dutch and with the live script:
    a contributor who opens the page of a factsheet they are still writing sees why it is missing,
    the errors of the last build (the script shows them), and then the page itself, once a build
    makes it. Never part of a built site: the published site's host has its own answer."""
    shown = html.escape(path)
    about = "Controleer het adres, of zoek de pagina via de startpagina of het zoekvak."
    if not site_exists:
        about = ("Er is nog geen site: de eerste bouw liep op een fout (die staat onderaan deze pagina) of is "
                 "nog bezig.")
    elif (match := SOURCE_ADDRESS.match(path)) and (folder := _source_folders().get(match["kind"])):
        file = f"{folder}/{match['id']}.yaml"
        if (root / file).is_file():
            about = (f"Ze komt uit <code>{file}</code>, maar dat bestand staat nog niet op de site: de site wordt "
                     "ermee gebouwd, of de laatste bouw liep op een fout (die staat dan onderaan deze pagina).")
        else:
            about = f"Er is geen bestand <code>{file}</code>."
            if match["kind"] in registry.FOLDERS:
                flag = " --organisatie" if match["kind"] == "organisatie" else ""
                about += f" Een nieuwe fiche begin je met <code>kaart new {match['id']}{flag}</code>."
    return (f'''<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pagina niet gevonden · kaart serve</title>
</head>
<body style="margin:0;background:#fff;color:#1b1f24;font:17px/1.5 sans-serif">
<main style="max-width:40rem;margin:2rem auto;padding:0 1rem">
<h1>Pagina niet gevonden</h1>
<p>Op <code>{shown}</code> staat (nog) geen pagina. {about}</p>
<p>Verschijnt hier een pagina, dan toont dit tabblad ze vanzelf.</p>
<p><a href="/">Naar de startpagina</a> · <a href="/zoeken/">Zoeken</a></p>
</main>
</body>
</html>
''').encode()


def handler_class(directory: Path, state: LiveState, root: Path | None = None) -> type[QuietHandler]:
    """The server's answers: the site's files, HTML with the live script; `root` is the project,
    for what a missing factsheet page says about its file (the site's parent when not given)."""
    project = root or directory.parent

    class LiveHandler(QuietHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(directory), **kwargs)

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            path = urlsplit(self.path).path
            if path == SCRIPT_PATH:
                self._send(SCRIPT_FILE.read_bytes(), "text/javascript; charset=utf-8")
            elif path == EVENTS_PATH:
                self._stream()
            elif (html := self._html_page(path)) is not None:
                self._send(with_script(html), "text/html; charset=utf-8")
            else:
                super().do_GET()

        def _html_page(self, path: str) -> bytes | None:
            file = Path(self.translate_path(path))
            if file.is_dir() and path.endswith("/"):
                file = file / "index.html"
            if file.suffix != ".html":
                return None
            try:
                return file.read_bytes()
            except OSError:  # not there, or removed by a rebuild a moment ago: answered as any missing file
                return None

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            path = unquote(urlsplit(self.path).path)
            if code != HTTPStatus.NOT_FOUND or self.command != "GET" or not is_page_address(path):
                super().send_error(code, message, explain)
                return
            page = not_found_page(path, project, site_exists=(directory / "index.html").is_file())
            self._send(with_script(page), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)

        def end_headers(self) -> None:
            # Nothing is kept in the browser's cache: a reloaded tab must not show a stylesheet or a
            # page's data as it was (a file's date alone lets a browser keep one for minutes, and a
            # check by date misses a file saved twice within its second).
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _send(self, body: bytes, content_type: str, status: int = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _stream(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            try:
                # The state as it is now first: a tab opened after a failed build shows its errors.
                message = state.message
                while not state.closed:
                    if message is not None:
                        self.wfile.write(f"data: {json.dumps(message, ensure_ascii=False)}\n\n".encode())
                        seen = message["versie"]
                    else:
                        self.wfile.write(b": nog hier\n\n")  # finds tabs that were closed
                    self.wfile.flush()
                    message = state.wait(seen, KEEPALIVE_SECONDS)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return LiveHandler
