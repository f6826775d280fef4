"""What `kaart handout --pdf` does before a browser is involved: clear errors."""

from __future__ import annotations

import pytest

from kaart.cli import main
from kaart.features.handouts.pdf import PdfError, find_chromium, print_to_pdf

from .conftest import REPO


def test_a_missing_chromium_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KAART_CHROMIUM", str(tmp_path / "geen-chromium"))
    assert find_chromium() is None
    with pytest.raises(PdfError, match="Chromium niet gevonden: installeer het"):
        print_to_pdf(tmp_path, "handouts/x/", tmp_path / "x.pdf")


def test_handout_command_stops_before_building_without_chromium(site_root, write_sheet, tmp_path, monkeypatch,
                                                                capsys):
    write_sheet("content/handouts/x.yaml", 'titel: Test\nvergadering: X-groep\ndatum: "2026-12-10"\nfiches: [vop]\n')
    monkeypatch.setenv("KAART_CHROMIUM", str(tmp_path / "geen-chromium"))
    status = main(["--root", str(site_root), "handout", "x", "--pdf", str(tmp_path / "x.pdf"),
                   "--output", str(tmp_path / "out"), "--settings", str(REPO / "pelicanconf.py")])
    assert status == 1
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() and not (tmp_path / "x.pdf").exists()


def test_handout_command_names_the_bundles_when_the_slug_is_unknown(capsys, tmp_path):
    status = main(["--root", str(REPO), "handout", "werkplekleeren", "--pdf", str(tmp_path / "x.pdf")])
    assert status == 1
    assert "geen handout 'werkplekleeren' in content/handouts/ (bedoel je 'werkplekleren'?)" in capsys.readouterr().err
