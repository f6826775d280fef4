"""The home matrix: every initiative in each cell it claims, up to CELL_LIMIT, then a link to the rest."""

from __future__ import annotations

from kaart.core import registry
from kaart.features.matrix import CELL_LIMIT, matrix_rows


class CellsOf:
    """A knowledge base stand-in: `sizes[(situation, kind)]` initiatives in each cell."""

    def __init__(self, sizes: dict[tuple[str, str], int]):
        self.sizes = sizes

    def in_mapping_cell(self, situation: str, kind: str) -> tuple[str, ...]:
        return tuple(f"{kind}-{situation}-{i:03}" for i in range(self.sizes.get((situation, kind), 0)))


def test_a_cell_shows_at_most_the_limit_and_knows_its_total():
    situation, kind = next(iter(registry.situations())), next(iter(registry.kinds()))
    rows = matrix_rows(CellsOf({(situation, kind): CELL_LIMIT + 7}))
    cells = {(cell.situation, row_kind): cell for row_kind, _, row in rows for cell in row}
    full = cells[(situation, kind)]
    assert full.total == CELL_LIMIT + 7 and len(full.shown) == CELL_LIMIT
    assert full.shown == CellsOf({(situation, kind): CELL_LIMIT}).in_mapping_cell(situation, kind), "the first ones, in order"
    assert all(cell.total == 0 and cell.shown == () for key, cell in cells.items() if key != (situation, kind))


def test_the_shipped_matrix_lists_every_initiative_in_full(shipped_site):
    html = (shipped_site / "index.html").read_text(encoding="utf-8")
    assert 'class="cell-more"' not in html


def test_the_home_page_reaches_every_initiative(shipped_site):
    """The matrix holds the 2022 mapping; every other initiative is listed under it, marked as added."""
    from kaart.content.project import read_knowledge_base

    from .conftest import REPO

    kb, _ = read_knowledge_base(REPO)
    html = (shipped_site / "index.html").read_text(encoding="utf-8")
    unreachable = [s.id for s in kb.initiatives if f'href="{s.url}"' not in html and f'/{s.url}"' not in html]
    assert unreachable == []
    matrix, added = html.split('id="toegevoegd"')
    assert all(f'{s.url}"' in added and f'{s.url}"' not in matrix for s in kb.initiatives if not s.mapping_2022)
    assert not any(f'{s.url}"' in added for s in kb.initiatives if s.mapping_2022), "matrix items are not listed again"
