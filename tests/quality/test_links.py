"""No broken internal link or anchor anywhere in the shipped site."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for attribute in ("href", "src"):
            if values.get(attribute) and tag in ("a", "link", "script", "img", "iframe", "source", "use", "image"):
                self.links.append(values[attribute])


def parse(path: Path) -> _LinkParser:
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(root: Path, url_path: str) -> Path:
    path = root / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def broken_links(root: Path) -> list[str]:
    pages = {p: parse(p) for p in sorted(root.rglob("*.html"))}
    broken = []
    for page, parsed in pages.items():
        base = "/" + page.relative_to(root).as_posix()
        for link in parsed.links:
            scheme = urlsplit(link).scheme
            if scheme in ("http", "https", "mailto", "tel", "data") or link.startswith("//"):
                continue
            url, fragment = urldefrag(urljoin(base, link))
            target = target_file(root, urlsplit(url).path)
            if not target.is_file():
                broken.append(f"{base}: {link} -> {target.relative_to(root)} bestaat niet")
                continue
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if fragment not in ids:
                    broken.append(f"{base}: {link} -> anker #{fragment} bestaat niet")
    return broken


def test_every_internal_link_and_anchor_resolves(shipped_site):
    assert broken_links(shipped_site) == []


def test_the_checker_finds_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="b/">kapot</a><a href="a/#x">anker</a><a href="#top">top</a><p id="top"></p>')
    (tmp_path / "a" / "index.html").write_text('<h1 id="y">A</h1>')
    assert broken_links(tmp_path) == [
        "/index.html: b/ -> b/index.html bestaat niet",
        "/index.html: a/#x -> anker #x bestaat niet",
    ]
