"""The shared building blocks of the browse pages: CSV cells, numbered references, the
"cite this page" block, JSON-LD escaping and the language alternates."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from core.browse import csv_rows
from core.partialdates import PartialDate
from core.provenance import References, cite_page

from .factories import SourceFactory


class Row:
    def __init__(self, **values):
        self.__dict__.update(values)


def test_csv_cells_keep_partial_dates_at_their_precision_and_escape_quotes():
    rows = [Row(name='Quote "this", please', joined=PartialDate(2003), left=None, founding=True)]
    lines = list(csv_rows(rows, [("name", "name"), ("joined", "joined"), ("left", "left"), ("founding", "founding")]))
    assert lines[0] == "name,joined,left,founding\r\n"
    assert lines[1] == '"Quote ""this"", please",2003,,true\r\n'


@pytest.mark.django_db
def test_references_number_each_source_once_in_order_of_first_citation():
    first, second = SourceFactory(), SourceFactory()
    references = References()
    assert references.cite(second).number == 1
    assert references.cite(first, "p. 3").number == 2
    assert references.cite(second, "p. 9").number == 1
    assert [(r.number, r.source, r.locators) for r in references] == [(1, second, ["p. 9"]), (2, first, ["p. 3"])]


@pytest.mark.django_db
def test_cite_marks_link_to_the_reference_list_which_links_to_the_bibliography(mercociudades):
    request = RequestFactory().get("/en/networks/mercociudades/")
    memberships = list(mercociudades.memberships.filter(founding=True).prefetch_related("citations__source")[:2])
    template = Template("{% load paradiplo %}{% for m in memberships %}{% cite m %}{% endfor %}{% references %}")
    html = template.render(Context({"memberships": memberships, "request": request, "references": References()}))
    sources = {c.source for m in memberships for c in m.citations.all()}
    assert sources, "the founders are cited in the fixtures"
    assert '<a href="#ref-1" aria-label="Source 1">[1]</a>' in html
    for source in sources:
        assert source.get_absolute_url() in html
    assert html.count('<li id="ref-') == len(sources)


def test_cite_this_page_gives_apa_text_and_bibtex_with_the_access_date():
    citation = cite_page(
        "Mercocities & friends",
        "https://example.org/en/networks/mercociudades/?country=UY",
        "/en/networks/mercociudades/",
        datetime.date(2025, 3, 1),
    )
    today = datetime.date.today().isoformat()
    assert citation["published"] == "2025, March 1"
    assert citation["bibtex"].startswith("@misc{paradiplo-networks-mercociudades,\n")
    assert "title = {Mercocities \\& friends}" in citation["bibtex"]
    assert f"note = {{Accessed: {today}}}" in citation["bibtex"]
    assert "\\url{https://example.org/en/networks/mercociudades/?country=UY}" in citation["bibtex"]
    home = cite_page("Home", "https://example.org/en/", "/en/")
    assert home["published"] == "n.d." and home["bibtex"].startswith("@misc{paradiplo-home,")


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted():
    rows = [Row(name='=HYPERLINK("http://x","a")', note="@SUM(A1)", lat=-34.9)]
    lines = list(csv_rows(rows, [("name", "name"), ("note", "note"), ("lat", "lat")]))
    assert lines[1] == '"\'=HYPERLINK(""http://x"",""a"")",\'@SUM(A1),-34.9\r\n'


def test_json_ld_cannot_close_its_script_element():
    html = Template("{% load paradiplo %}{% json_ld data %}").render(Context({"data": {"name": "</script><b>"}}))
    assert html.startswith('<script type="application/ld+json">')
    assert "</script><b>" not in html and "\\u003C/script\\u003E" in html


ALTERNATES = (
    "{% load paradiplo %}{% language_alternates as a %}"
    "{% for x in a %}{{ x.code }}={{ x.url }}{% if x.current %}*{% endif %};{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_language_alternates_keep_the_page_and_its_query(language):
    request = RequestFactory().get(f"/{language}/search/?q=Montevideo")
    with translation.override(language):
        alternates = Template(ALTERNATES).render(Context({"request": request}))
    for code in ("en", "es", "pt", "fr"):
        marker = "*" if code == language else ""
        assert f"{code}=/{code}/search/?q=Montevideo{marker};" in alternates


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_an_unknown_page_answers_404_with_the_site_around_it(client, settings, language):
    settings.DEBUG = False
    response = client.get(f"/{language}/networks/no-such-network/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert 'name="robots" content="noindex"' in page
    assert f'href="/{language}/search/"' in page


def test_the_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    assert "Paradiplo" in render_to_string("500.html")
