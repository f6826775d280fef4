"""kaart serve's live reload (kaart/build/live.py): what the tabs are told, and where the script goes."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

from kaart.build import live


def test_a_page_gets_the_script_before_its_closing_body_tag():
    html = b"<!doctype html><html><body><p>x</p></body></html>"
    assert live.with_script(html) == b'<!doctype html><html><body><p>x</p><script src="/__kaart/live.js" defer></script></body></html>'


def test_pages_are_known_by_the_address_a_browser_shows():
    assert live.page_url("initiatief/ibo/index.html") == "/initiatief/ibo/"
    assert live.page_url("index.html") == "/"
    assert live.page_url("nieuw.html") == "/nieuw.html"


def test_a_waiting_tab_hears_of_the_next_build_only():
    state = live.LiveState()
    assert state.wait(0, 0.01) is None
    heard = []
    listener = threading.Thread(target=lambda: heard.append(state.wait(0, 5)))
    listener.start()
    state.publish(pages=["/initiatief/ibo/"])
    listener.join(5)
    assert heard == [{"versie": 1, "paginas": ["/initiatief/ibo/"], "bestanden": [], "fouten": [], "waarschuwingen": []}]
    state.publish(problems=["initiatives/ibo.yaml:3:1: error: …"])
    assert state.wait(1, 1) == {"versie": 2, "paginas": [], "bestanden": [], "fouten": ["initiatives/ibo.yaml:3:1: error: …"],
                                "waarschuwingen": []}
    state.publish(pages=["/"], files=["/theme/css/kaart.css"], warnings=["x.yaml:2:5: warning: …"])
    assert state.wait(2, 1) == {"versie": 3, "paginas": ["/"], "bestanden": ["/theme/css/kaart.css"], "fouten": [],
                                "waarschuwingen": ["x.yaml:2:5: warning: …"]}
    # The search index in place after that build: its warnings still stand.
    state.publish_pages(["/zoeken/"])
    assert state.wait(3, 1) == {"versie": 4, "paginas": ["/zoeken/"], "bestanden": [], "fouten": [],
                                "waarschuwingen": ["x.yaml:2:5: warning: …"]}


def test_the_server_adds_the_script_to_html_only_and_streams_the_state(tmp_path):
    (tmp_path / "index.html").write_text("<html><body>hallo</body></html>", encoding="utf-8")
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    state = live.LiveState()
    state.publish(problems=["x.yaml:1:1: error: kapot"])
    import http.server

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), live.handler_class(tmp_path, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert urllib.request.urlopen(base + "/").read().endswith(b'<script src="/__kaart/live.js" defer></script></body></html>')
        assert urllib.request.urlopen(base + "/data.json").read() == b"{}"
        assert b"EventSource" in urllib.request.urlopen(base + live.SCRIPT_PATH).read()
        with urllib.request.urlopen(base + live.EVENTS_PATH, timeout=5) as events:
            first = events.readline().decode()
        assert json.loads(first.removeprefix("data: ")) == {"versie": 1, "paginas": [], "bestanden": [],
                                                             "fouten": ["x.yaml:1:1: error: kapot"], "waarschuwingen": []}
        # Nothing is kept from the browser's cache without asking: a reloaded tab gets today's files.
        for path in ("/", "/data.json", live.SCRIPT_PATH, "/ontbreekt/"):
            try:
                answer = urllib.request.urlopen(base + path)
            except urllib.error.HTTPError as error:
                answer = error
            assert answer.headers.get_all("Cache-Control") == ["no-store"], path
    finally:
        state.close()
        server.shutdown()
        server.server_close()
    # The files on disk stay as the build wrote them.
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "<html><body>hallo</body></html>"


def test_a_built_site_has_no_live_reload(shipped_site):
    for page in list(shipped_site.rglob("*.html"))[:400]:
        assert b"__kaart" not in page.read_bytes()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_missing_page_says_why_in_dutch_and_follows_the_next_build(tmp_path):
    site, root = tmp_path / "build", tmp_path
    (site / "theme").mkdir(parents=True)
    (site / "index.html").write_text("<html><body>start</body></html>", encoding="utf-8")
    (root / "initiatives").mkdir()
    state = live.LiveState()
    import http.server

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), live.handler_class(site, state, root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        status, body = _get(base + "/initiatief/nieuw/")
        assert status == 404
        assert "Pagina niet gevonden" in body.decode()
        assert "geen bestand <code>initiatives/nieuw.yaml</code>" in body.decode()
        assert "<code>kaart new nieuw</code>" in body.decode()
        assert body.endswith(live.SCRIPT_TAG + b"</body>\n</html>\n")  # the tab follows the next build

        (root / "initiatives" / "nieuw.yaml").write_text("type: initiatief\n", encoding="utf-8")
        status, body = _get(base + "/initiatief/nieuw")
        assert status == 404
        assert "komt uit <code>initiatives/nieuw.yaml</code>" in body.decode()
        assert "kaart new" not in body.decode()
        assert "<code>kaart new partner --organisatie</code>" in _get(base + "/organisatie/partner/")[1].decode()
        # Comparisons, figures pages and handouts come from a file each too.
        for address, file in [("/vergelijken/stages/", "content/vergelijkingen/stages.yaml"),
                              ("/cijfers/werkloosheid/", "content/cijfers/werkloosheid.yaml"),
                              ("/handouts/overleg/", "content/handouts/overleg.yaml")]:
            text = _get(base + address)[1].decode()
            assert f"geen bestand <code>{file}</code>" in text and "kaart new" not in text

        # An address that names no factsheet: the general advice, the address escaped.
        status, body = _get(base + "/initiatief/%3Cscript%3Ealert(1)%3C/script%3E/")
        assert status == 404
        assert b"<script>alert" not in body and b"&lt;script&gt;alert(1)&lt;" in body
        assert b"kaart new" not in body
        # No site at all yet (serve started with a broken factsheet): that is what the page says.
        (site / "index.html").unlink()
        assert "Er is nog geen site" in _get(base + "/initiatief/nieuw/")[1].decode()
        # A missing file that is not a page keeps the plain answer, without the script.
        status, body = _get(base + "/theme/ontbreekt.css")
        assert status == 404 and live.SCRIPT_TAG not in body and b"Pagina niet gevonden" not in body
    finally:
        state.close()
        server.shutdown()
        server.server_close()


def test_page_addresses_are_told_from_files():
    assert live.is_page_address("/initiatief/ibo/")
    assert live.is_page_address("/initiatief/ibo")
    assert live.is_page_address("/nieuw.html")
    assert not live.is_page_address("/theme/css/kaart.css")
    assert not live.is_page_address("/pagefind/pagefind.js")
