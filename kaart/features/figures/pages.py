"""The figures pages: /cijfers/ lists the topics, /cijfers/<id>/ shows each chart with its table.

Charts are rendered here, at build time, into inline SVG; each dataset is also written as a
CSV file (semicolons and decimal commas, as Dutch-language spreadsheets expect).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup

from kaart.core.store import Store
from kaart.content.figures import Chart, FigureTopic
from kaart.core.dutch import spreadsheet_csv
from kaart.core.model import KnowledgeBase, Sheet
from kaart.features.output import DataFile, Output, Page


def csv_bytes(chart: Chart) -> bytes:
    group_column = ["Groep"] if chart.groepen else []
    header = [*group_column, "Rij", *(f"{s.naam} ({s.eenheid})" for s in chart.reeksen)]
    rows = ([*([row.groep] if chart.groepen else []), row.label, *row.waarden] for row in chart.rijen)
    return spreadsheet_csv([header, *rows]).encode("utf-8")


def chart_svg(chart: Chart, id_prefix: str, store: Store) -> str:
    """The chart's SVG, kept between builds: drawing it (and importing matplotlib) takes about a
    second, while the SVG depends only on the chart's data and the build's fingerprint (drawing
    code and matplotlib's version included)."""
    key = "\n".join([repr(chart), id_prefix]).encode("utf-8")

    def draw() -> bytes:
        from kaart.features.figures.charts import accessible_svg

        return accessible_svg(chart, id_prefix).encode("utf-8")

    return store.get_or_compute(f"chart-{id_prefix}", key, draw).decode("utf-8")


def topic_page(kb: KnowledgeBase, topic: FigureTopic, store: Store) -> Page:
    charts = [(chart, Markup(chart_svg(chart, f"grafiek-{topic.id}-{chart.id}", store))) for chart in topic.grafieken]
    sheets = [kb.sheets[sheet_id] for sheet_id in topic.fiches]
    return Page(f"{topic.url}index.html", "figures_topic",
                {"page_title": topic.titel, "topic": topic, "charts": charts, "sheets": sheets})


def emit(kb: KnowledgeBase, store: Store | None = None) -> Iterator[Output]:
    yield Page("cijfers/index.html", "figures_index", {"page_title": "Cijfers", "topics": kb.figure_topics})
    for topic in kb.figure_topics:
        yield topic_page(kb, topic, store or Store.off())
        for chart in topic.grafieken:
            yield DataFile(f"{topic.url}{chart.id}.csv", csv_bytes(chart))


def sheet_figures(kb: KnowledgeBase, store: Store | None = None) -> Callable[[Sheet], dict[str, Any]]:
    """For a factsheet page: the figures pages about it, derived from the data files' references."""

    def provide(sheet: Sheet) -> dict[str, Any]:
        about = [(topic, topic.charts_about(sheet.id)) for topic in kb.figure_topics if topic.is_about(sheet.id)]
        return {"figure_topics": about}

    return provide
