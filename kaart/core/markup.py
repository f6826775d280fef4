"""Contributor Markdown to safe HTML.

Python-Markdown passes raw HTML through and turns `[x](javascript:...)` into a link, so its
output is cleaned with nh3 (the Rust `ammonia` sanitizer) against an allowlist.
"""

from __future__ import annotations

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "abbr", "dl", "dt", "dd", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


# A link whose unsafe href was removed keeps only the rel nh3 adds; HTML forbids rel without
# href, and a link to nowhere helps nobody: keep its text.
_DEAD_LINK = re.compile(r'<a rel="noopener noreferrer">(.*?)</a>', re.S)


def _converter() -> markdown.Markdown:
    # A factsheet's own headings start at ## and sit under the page's "Beschrijving" (h2): shift one level.
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "abbr", "def_list", "toc"],
        extension_configs={"toc": {"baselevel": 2, "anchorlink": False, "permalink": False}},
        output_format="html",
    )


# Building a Markdown instance costs more than converting a short text; reuse one (reset per call).
_MARKDOWN = _converter()


def render_markdown(text: str | None) -> str:
    if not text:
        return ""
    html = _MARKDOWN.reset().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # A wide table scrolls inside itself instead of widening the page on a phone; the wrapper is
    # added after cleaning, so no contributor markup reaches it. Keyboard users can scroll it too.
    clean = clean.replace("<table>", _TABLE_START).replace("</table>", "</table></div>")
    return _DEAD_LINK.sub(r"\1", clean)


_TABLE_START = '<div class="table-scroll" role="region" aria-label="Tabel" tabindex="0"><table>'
