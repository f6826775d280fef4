"""Bar charts as accessible, deterministic SVG, drawn at build time with matplotlib.

Why matplotlib: it is the best-kept plotting library in Python, its SVG backend can be made
byte-for-byte reproducible (`svg.hashsalt`, no date in the metadata) and can keep text as real
<text> (`svg.fonttype: none`), so labels stay selectable, searchable and sharp on paper. Its
layout is measured with DejaVu Sans, which ships inside matplotlib, so every install measures
the same; and it draws hatching for black-and-white print. pygal was the alternative; its
charts lean on JavaScript for their tooltips and on a random id per chart.

The SVG is inlined in the page: only an inline SVG exposes its <title> and <desc> to screen
readers, takes the page's print styles, and needs no extra request.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from html import escape
from io import StringIO
from typing import Any, cast

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from kaart.content.figures import Chart
from kaart.core.dutch import format_number

# Okabe & Ito's colour-blind-safe palette, paired with hatches so series differ in grey print too.
# Every bar gets a dark outline: the outline meets the 3:1 contrast for graphics against white,
# whatever the fill.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
HATCHES = ("", "///", "..", "xx", "\\\\\\", "++")
INK = "#1b1f24"  # text and outlines: 16:1 on white
MUTED = "#4a5360"  # secondary text: 8:1 on white
FONT_FALLBACK = "'DejaVu Sans', Verdana, sans-serif"  # Verdana has near-identical metrics

RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "kaart",
    "font.family": "DejaVu Sans",
    "font.size": 11.5,
    "text.color": INK,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "hatch.color": INK,
    "hatch.linewidth": 0.8,
    "text.parse_math": False,  # a '$' in a label is text, not TeX
    "path.simplify": False,
}
WIDTH_INCHES = 8.0
LABEL_WIDTH = 34  # characters per line of a row label


def _style(key: int) -> dict:
    return {"facecolor": PALETTE[key % len(PALETTE)], "hatch": HATCHES[key % len(HATCHES)],
            "edgecolor": INK, "linewidth": 0.8}


def _legend_keys(chart: Chart) -> tuple[list[str], list[int]]:
    """What the colours stand for: the series, or the row groups of a single-series chart."""
    if len(chart.plotted) == 1 and chart.groepen:
        names = [g.naam for g in chart.groepen]
        return names, [names.index(row.groep or "") for row in chart.rijen]  # validated: every row has a group
    return [chart.reeksen[i].naam for i in chart.plotted], []


def _bars(chart: Chart) -> Iterator[tuple[int, int, float | None, int]]:
    """(row index, series slot, value, colour key) for every bar to draw."""
    _, row_keys = _legend_keys(chart)
    for r, row in enumerate(chart.rijen):
        for slot, i in enumerate(chart.plotted):
            yield r, slot, row.waarden[i], row_keys[r] if row_keys else slot


def _positions(chart: Chart) -> list[float]:
    """Where each row sits on the category axis; a gap between row groups leaves room for a heading."""
    positions, place, previous = [], 0.0, None
    for row in chart.rijen:
        if chart.groepen and row.groep != previous:
            place += 0.9 if previous is not None else 0.45
            previous = row.groep
        positions.append(place)
        place += 1.0
    return positions


def _figure(chart: Chart) -> Figure:
    rows, slots = len(chart.rijen), len(chart.plotted)
    if chart.weergave == "staand":
        height = 3.6
    else:
        lines = sum(len(textwrap.wrap(row.label, LABEL_WIDTH)) for row in chart.rijen)
        height = 0.75 + 0.24 * rows * max(slots, 1.5) + 0.06 * lines + 0.45 * len(chart.groepen)
    return Figure(figsize=(WIDTH_INCHES, round(height, 2)), layout="constrained")


def _draw(chart: Chart, ax) -> None:
    vertical = chart.weergave == "staand"
    positions = _positions(chart)
    slots = len(chart.plotted)
    thickness = 0.8 / slots
    top = max((v for _, _, v, _ in _bars(chart) if v is not None), default=1) or 1
    for r, slot, value, key in _bars(chart):
        at = positions[r] - 0.4 + thickness * (slot + 0.5)
        if value is None:
            _label(ax, vertical, at, 0, "niet gegeven", MUTED, top)
            continue
        draw = ax.bar if vertical else ax.barh
        draw(at, value, thickness * 0.92, **_style(key))
        _label(ax, vertical, at, value, _value_text(value, chart.eenheid), INK, top)
    labels = ["\n".join(textwrap.wrap(row.label, LABEL_WIDTH)) for row in chart.rijen]
    if vertical:
        ax.set_xticks(positions, labels)
        ax.set_ylim(0, top * 1.14)
    else:
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, top * 1.2)
        ax.invert_yaxis()  # first row on top, as in the table
        _group_headings(chart, ax, positions)
    _axes_style(ax, vertical)


def _value_text(value: float, unit: str) -> str:
    return f"{format_number(value)}%" if unit == "%" else format_number(value)


def _label(ax, vertical: bool, at: float, value: float, text: str, colour: str, top: float) -> None:
    """A direct label at the end of a bar: the number is read without an axis, and in print."""
    offset = top * 0.012
    if vertical:
        ax.text(at, value + offset, text, ha="center", va="bottom", color=colour, fontsize=10.5)
    else:
        ax.text(value + offset, at, text, ha="left", va="center", color=colour, fontsize=10.5)


def _group_headings(chart: Chart, ax, positions: list[float]) -> None:
    previous = None
    for row, place in zip(chart.rijen, positions):
        if chart.groepen and row.groep != previous:
            previous = row.groep
            ax.text(0, place - 0.75, row.groep, transform=ax.get_yaxis_transform(), ha="left", va="center",
                    fontweight="bold", color=INK)


def _axes_style(ax, vertical: bool) -> None:
    """No value axis (every bar carries its number); only the baseline the bars stand on."""
    for side in ("top", "right", "left" if vertical else "bottom"):
        ax.spines[side].set_visible(False)
    if vertical:
        ax.set_yticks([])
        ax.tick_params(axis="x", length=0, pad=6)
    else:
        ax.set_xticks([])
        ax.tick_params(axis="y", length=0, pad=6)


def _legend(chart: Chart, fig: Figure) -> None:
    names, _ = _legend_keys(chart)
    if len(names) < 2:
        return
    handles = [Patch(label=name, **_style(key)) for key, name in enumerate(names)]
    fig.legend(handles=handles, loc="outside upper left", ncols=min(len(names), 3), frameon=False,
               handlelength=2.2, handleheight=1.2)


def _raw_svg(chart: Chart) -> str:
    with matplotlib.rc_context(cast(Any, RC)):  # matplotlib types keys as a Literal union
        fig = _figure(chart)
        _draw(chart, fig.add_subplot())
        _legend(chart, fig)
        out = StringIO()
        FigureCanvasSVG(fig).print_svg(out, metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return out.getvalue()


def _strip_document_parts(svg: str) -> str:
    """What an inline SVG in HTML must not carry: the XML prolog, doctype, metadata, global styles."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", svg, flags=re.DOTALL)
    return svg.strip() + "\n"


def _scope_ids(svg: str, prefix: str) -> str:
    """Prefix every id and reference, so two charts on one page never share an id."""
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)


def accessible_svg(chart: Chart, id_prefix: str) -> str:
    """The chart as an inline <svg role="img"> whose <title> and <desc> give its title and every number."""
    svg = _scope_ids(_strip_document_parts(_raw_svg(chart)), id_prefix)
    svg = svg.replace("'DejaVu Sans'", FONT_FALLBACK)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    description = f"{chart.beschrijving} {chart.data_sentence()}"
    opening = re.match(r"<svg\b[^>]*>", svg)
    assert opening is not None, "matplotlib always writes an <svg> root"
    root = opening.group().replace("<svg", f'<svg role="img" aria-labelledby="{title_id} {desc_id}" class="chart-svg"', 1)
    root = re.sub(r'\s+id="[^"]*"', "", root)
    head = f'{root}\n <title id="{title_id}">{escape(chart.titel)}</title>\n <desc id="{desc_id}">{escape(description)}</desc>'
    return head + svg[opening.end():]
