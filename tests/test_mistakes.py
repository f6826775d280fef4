"""Mistakes in the templates and the settings stop a build with their place (kaart/build/mistakes.py),
and the previous site stays as it was."""

from __future__ import annotations

import pytest

from kaart.build.mistakes import _in_dutch, settings_problem, template_problem
from kaart.build.site import build
from tests.conftest import REPO, project_with_own_theme
from tests.test_site import tree_digest


@pytest.mark.parametrize("template, line, mistake, message", [
    ("_sheet_parts.html", 3, "{{ geen( }}", "fout in een sjabloon: hier staat '}' waar ')' hoort"),
    ("_sheet_parts.html", 3, "{% include 'ontbreekt.html' %}", "fout in een sjabloon: sjabloon niet gevonden: ontbreekt.html"),
    ("initiative.html", 6, "{{ sheet.titel.nietbestaand() }}",
     "fout in een sjabloon: een tekst heeft geen 'nietbestaand'"),
    # Only one sheet's page fails, made by a worker process (its traceback comes back as text).
    ("initiative.html", 6, "{% if sheet.id == 'sine' %}{{ 1 // 0 }}{% endif %}",
     "fout in een sjabloon: ZeroDivisionError: integer division or modulo by zero"),
])
def test_a_template_mistake_is_reported_at_its_line_and_keeps_the_old_site(site_root, tmp_path, monkeypatch,
                                                                             template, line, mistake, message):
    templates = project_with_own_theme(site_root)
    output = tmp_path / "build"
    assert build(site_root, output, site_root / "pelicanconf.py") == []
    before = tree_digest(output)
    lines = (templates / template).read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(line - 1, mistake + "\n")
    (templates / template).write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("KAART_WORKERS", "2")
    monkeypatch.setenv("KAART_NO_CACHE", "1")

    problems = build(site_root, output, site_root / "pelicanconf.py")
    assert [p.format_text() for p in problems] == [
        f"theme/templates/{template}:{line}:1: error: {message} (Jinja noemt geen kolom: kijk de hele regel na)"]
    assert tree_digest(output) == before


def test_an_error_in_kaart_itself_keeps_its_traceback(site_root, tmp_path, monkeypatch):
    monkeypatch.setattr("kaart.features.factsheets.page_maker", lambda *a, **k: 1 // 0)
    with pytest.raises(ZeroDivisionError) as raised:
        build(site_root, tmp_path / "build", REPO / "pelicanconf.py")
    assert template_problem(raised.value, site_root) is None
    assert settings_problem(raised.value, REPO / "pelicanconf.py", site_root) is None


@pytest.mark.parametrize("mistake, column, message", [
    ("KAART_X = (", 11, "de instellingen zijn geen geldige Python: '(' was never closed"),
    ('THEME = "bestaatniet"', 9, "het thema 'bestaatniet' bestaat niet"),
    ('PATH = "bestaatniet"', 8, "de map met de pagina's (PATH) bestaat niet"),
    # Pelican's other refusals: at the file, in Pelican's words.
    ('EXTRA_TEMPLATES_PATHS = ["a"]\nTHEME_TEMPLATES_OVERRIDES = ["b"]', None,
     "Pelican aanvaardt de instellingen niet: Setting both EXTRA_TEMPLATES_PATHS and THEME_TEMPLATES_OVERRIDES is not "
     "permitted. Please move to only setting THEME_TEMPLATES_OVERRIDES."),
    ("KAART_X = onbekend + 1", 11, "de instellingen lopen vast: NameError: name 'onbekend' is not defined"),
])
def test_a_settings_mistake_is_reported_at_its_place_and_keeps_the_old_site(site_root, tmp_path, mistake, column,
                                                                            message):
    project_with_own_theme(site_root)
    settings, output = site_root / "pelicanconf.py", tmp_path / "build"
    assert build(site_root, output, settings) == []
    before = tree_digest(output)
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + mistake + "\n", encoding="utf-8")
    problems = build(site_root, output, settings)
    where = f"pelicanconf.py:{len(text.splitlines()) + 1}:{column}" if column else "pelicanconf.py:1:1"
    assert [(str(p.location), p.message) for p in problems] == [(where, message)]
    assert tree_digest(output) == before


def test_a_template_a_page_needs_that_is_gone_is_named_where_it_belongs(site_root, tmp_path):
    templates = project_with_own_theme(site_root)
    settings, output = site_root / "pelicanconf.py", tmp_path / "build"
    assert build(site_root, output, settings) == []
    before = tree_digest(output)
    (templates / "organisation.html").unlink()
    assert [p.format_text() for p in build(site_root, output, settings)] == [
        "theme/templates/organisation.html:1:1: error: fout in een sjabloon: sjabloon niet gevonden: organisation.html "
        "(de site heeft dit sjabloon nodig; zet het terug, of haal het uit de repository)"]
    assert tree_digest(output) == before


@pytest.mark.parametrize("source, context, dutch", [
    ("{% if x %}{% endblock %}", {}, "hier staat {% endblock %}, maar eerst moet {% if %} dicht (met 'elif' of 'else' of 'endif')"),
    ("{% endif %}", {}, "onbekende of losse tag {% endif %}: staat er een te veel, of ontbreekt het begin?"),
    ("{% for a in b %}", {}, "het sjabloon eindigt terwijl {% for %} nog open is (sluit het met 'endfor' of 'else')"),
    ("{{ x", {}, "het sjabloon eindigt voor het einde van de uitdrukking"),
    ("{{ f( }}", {}, "hier staat '}' waar ')' hoort"),
    ("{% macro m( %}", {}, "hier staat '%' waar een naam hoort"),
    ("{% if %}", {}, "hier ontbreekt een naam of waarde (gevonden: het einde van de tag)"),
    ("{{ x|nee }}", {}, "er is geen filter 'nee'"),
    ("{{ x is nee }}", {}, "er is geen test 'nee'"),
    ("{{ x ` }}", {}, "het teken '`' hoort niet in een tag"),
    ("{% block a %}{% endblock %}{% block a %}{% endblock %}", {}, "het blok 'a' staat er twee keer"),
    ("{% %}", {}, "na {% ontbreekt de naam van de tag"),
    ("{{ x.y }}", {}, "'x' bestaat hier niet (een sjabloon kent alleen wat de pagina meegeeft)"),
    ("{{ s.nee() }}", {"s": [1]}, "een lijst heeft geen 'nee'"),
])
def test_jinjas_own_words_are_said_in_dutch(source, context, dutch):
    import jinja2

    with pytest.raises(jinja2.TemplateError) as raised:
        jinja2.Environment().from_string(source).render(**context)
    assert _in_dutch(raised.value.message) == dutch


def test_a_message_jinja_words_otherwise_is_kept_as_it_is():
    assert _in_dutch("something Jinja says that no one foresaw") == "something Jinja says that no one foresaw"
