"""Public pages of projects, programmes, organizations and SDGs: real facts from the fixtures
(cooperation_projects.csv, sdg_goals.csv), in the four languages, filters, CSV downloads and a
fixed number of queries whatever the data size."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import SDG, Organization, Programme, Project
from sources.models import Source

from .factories import (
    OrganizationFactory,
    ProgrammeFactory,
    ProjectCityFactory,
    ProjectFactory,
    ProjectOrganizationFactory,
    SourceFactory,
)
from .facts import PROJECTS, SDG_PROJECTS, SOUTH_SOUTH_PROJECTS
from .helpers import LANGUAGES, body, csv_rows, get_at_two_sizes, get_counting_queries, json_ld, page_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

SOUTH_SOUTH = "mercociudades-south-south-cooperation"


def filtered_slugs(response) -> set[str]:
    return {project.slug for project in response.context["filter"].qs}


def add_rich_project(programme=None, sdg_numbers=(11,), cities=3, organizations=2, network=None):
    """A synthetic project with everything a row shows: cities, funders, SDGs and sources."""
    project = ProjectFactory(
        network=network or (programme.network if programme else None),
        programme=programme,
        start="2015-03",
        end="2016",
        budget=Decimal("12345.50"),
        currency="EUR",
    )
    for _ in range(cities):
        ProjectCityFactory(project=project)
    for _ in range(organizations):
        ProjectOrganizationFactory(project=project)
    ProjectOrganizationFactory(project=project, role="partner", amount=None, currency="")
    project.sdgs.add(*SDG.objects.filter(number__in=sdg_numbers))
    for source in SourceFactory.create_batch(2):
        project.citations.create(source=source)
    return project


# Projects index ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, title",
    [
        ("en", "Border Governance: Strengthening the capacities"),
        ("es", "Gobernanza Fronteriza: fortalecimiento de las capacidades"),
        # Portuguese falls back to Spanish, marked with its language.
        ("pt", '<span lang="es">Gobernanza Fronteriza: fortalecimiento'),
        ("fr", "Border Governance: Strengthening the capacities"),
    ],
)
def test_project_list_in_every_language(client, language, title):
    response = client.get(url("project-list", language))
    content = page_of(response)
    assert f'<html lang="{language}">' in content
    assert title in content
    assert ("Novos ares para crianças" if language == "pt" else "Nuevos aires para niños") in content
    assert response.context["paginator"].count == Project.objects.count() == PROJECTS
    assert f'href="/{language}/projects/gobernanza-fronteriza/"' in content
    assert "format=csv" in content
    assert '<caption class="visually-hidden">' in content and 'scope="col"' in content
    assert 'class="references"' in content and 'class="cite-page"' in content


def test_project_list_rows_show_cities_funders_and_sources(client):
    content = body(client.get(reverse("project-list")))
    row = content[content.index("/en/projects/innova-cohesion/") :]
    row = row[: row.index("</tr>")]
    assert "Montevideo" in row and "(coordinator)" in row
    assert 'href="/en/organizations/european-commission/"' in row
    assert 'class="cite"' in row
    assert "since <time" in row and "2009" in row


def test_project_list_shows_partial_dates_at_their_precision(client):
    content = body(client.get(reverse("project-list")))
    assert '<time datetime="2011-04">April 2011</time> – <time datetime="2013-04">April 2013</time>' in content
    assert "2011-04-01" not in content


@pytest.mark.parametrize(
    "query, expected, excluded",
    [
        ("network=mercociudades", {"innova-cohesion", "ssc-2021-nuevos-aires"}, {"gobernanza-fronteriza"}),
        (f"programme={SOUTH_SOUTH}", {"ssc-2021-nuevos-aires", "ssc-call-2017"}, {"innova-cohesion"}),
        ("status=completed", {"gobernanza-fronteriza"}, {"innova-cohesion"}),
        ("modality=training", {"innova-cohesion", "ssc-training-13"}, {"gobernanza-fronteriza"}),
        # April 2011 – April 2013 was running in 2012; a 2009 start without an end was not.
        ("year=2012", {"gobernanza-fronteriza"}, {"innova-cohesion", "ssc-call-2017"}),
        ("year=2009", {"innova-cohesion"}, {"gobernanza-fronteriza"}),
        ("year=2022", {"ssc-fund-2022-quilmes", "ssc-2022-desigualdades"}, {"ssc-call-2017", "estado-mas-derechos"}),
        ("funder=aecid", {"gobernanza-fronteriza", "integracion-fronteriza"}, {"innova-cohesion"}),
        ("funder=european-commission", {"innova-cohesion", "dh-estado-sociedad-civil"}, {"gobernanza-fronteriza"}),
        ("country=UY", {"innova-cohesion", "ssc-2021-nuevos-aires"}, {"gobernanza-fronteriza"}),
        ("country=AR", {"dh-estado-sociedad-civil", "ssc-fund-2022-quilmes"}, {"innova-cohesion"}),
        ("city=lima-pe", {"ssc-2021-nuevos-aires"}, {"innova-cohesion", "ssc-2021-ciudad-digital"}),
        ("q=fronteriza", {"gobernanza-fronteriza", "integracion-fronteriza"}, {"innova-cohesion"}),
        ("city=montevideo-uy&programme=" + SOUTH_SOUTH, {"ssc-2021-nuevos-aires"}, {"innova-cohesion"}),
    ],
)
def test_project_list_filters_on_real_data(client, query, expected, excluded):
    response = client.get(reverse("project-list") + "?" + query)
    assert response.status_code == 200
    slugs = filtered_slugs(response)
    assert expected <= slugs, query
    assert not (excluded & slugs), query


def test_project_list_filters_by_sdg(client):
    project = add_rich_project(sdg_numbers=(5, 11))
    response = client.get(reverse("project-list") + "?sdg=11")
    assert filtered_slugs(response) == {project.slug, *SDG_PROJECTS[11]}
    assert client.get(reverse("project-list") + "?sdg=3").context["paginator"].count == 0


def test_project_list_ongoing_project_counts_every_year_from_its_start(client):
    ongoing = ProjectFactory(start="2018", status="ongoing")
    unknown = ProjectFactory(start="2018", status="unknown")
    slugs = filtered_slugs(client.get(reverse("project-list") + "?year=2020"))
    assert ongoing.slug in slugs and unknown.slug not in slugs


@pytest.mark.parametrize(
    "query, message",
    [
        ("year=abc", "Give a whole number (digits 0-9, at most 18)."),
        ("year=12", "Ensure this value is greater than or equal to 1000."),
        ("network=atlantis", "Select a valid choice."),
        ("sdg=18", "Select a valid choice."),
        ("status=lost", "“lost” is not one of the allowed values: "),
        ("city=nowhere-xx", "No record has the identifier “nowhere-xx”."),
        ("funder=nobody&country=ZZ", "Select a valid choice."),
    ],
)
def test_project_list_bad_filter_values_show_an_error_not_a_500(client, query, message):
    response = client.get(reverse("project-list") + "?" + query)
    assert response.status_code == 200
    assert message in body(response)
    assert 'class="field-error"' in body(response)
    # The invalid field is ignored: the list is not emptied by it.
    assert response.context["paginator"].count == PROJECTS


def test_project_list_empty_state_when_nothing_matches(client):
    response = client.get(reverse("project-list") + "?year=1900")
    assert "No project matches these filters." in body(response)


def test_project_list_empty_state_without_projects(client):
    Project.objects.all().delete()
    assert "No project recorded yet." in body(client.get(reverse("project-list")))


PROJECT_CSV_HEADER = [
    "Identifier",
    "Title",
    "Network",
    "Programme",
    "Thematic unit",
    "Status",
    "Modality",
    "Start",
    "End",
    "Planned start",
    "Planned end",
    "Budget",
    "Currency",
    "Cities and roles",
    "City identifiers and roles",
    "Funders and amounts",
    "Other organizations and roles",
    "SDGs",
    "Sources",
]


def test_project_list_csv_has_every_filtered_row(client):
    response = client.get(reverse("project-list") + "?format=csv")
    assert response.status_code == 200
    assert 'filename="projects.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == PROJECT_CSV_HEADER
    by_slug = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(by_slug) == PROJECTS
    border = by_slug["gobernanza-fronteriza"]
    assert border["Start"] == "2011-04" and border["End"] == "2013-04" and border["Status"] == "completed"
    assert border["Funders and amounts"] == "AECID"
    assert "(implementer)" in border["Other organizations and roles"]
    nuevos = by_slug["ssc-2021-nuevos-aires"]
    assert nuevos["City identifiers and roles"] == "lima-pe (coordinator); montevideo-uy (partner)"
    assert nuevos["Programme"] == "South–South Cooperation Programme"


def test_project_list_csv_is_filtered_and_formats_money(client):
    project = add_rich_project(sdg_numbers=(11, 5))
    rows = csv_rows(client.get(reverse("project-list") + "?sdg=5&format=csv"))
    assert {row[0] for row in rows[1:]} == {project.slug, *SDG_PROJECTS[5]}
    row = next(dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == project.slug)
    assert row["Identifier"] == project.slug
    assert row["Budget"] == "12345.50" and row["Currency"] == "EUR"
    assert row["SDGs"] == "5; 11"
    assert "(1000.00 USD)" in row["Funders and amounts"]
    assert row["Start"] == "2015-03" and row["End"] == "2016"
    assert len(row["Sources"].split("; ")) == 2


def test_project_list_csv_with_a_bad_filter_value_shows_the_error_instead_of_every_row(client):
    response = client.get(reverse("project-list") + "?year=abc&format=csv")
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()


# Project detail ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_project_detail_border_governance_in_every_language(client, language):
    content = page_of(client.get(url("project-detail", language, slug="gobernanza-fronteriza")))
    assert content.count("<h1") == 1
    assert "AECID" in content
    assert f'href="/{language}/organizations/aecid/"' in content
    for organization in ("fccr", "congreso-de-intendentes", "enap", "fundacion-simon-bolivar", "ufpel"):
        assert f'href="/{language}/organizations/{organization}/"' in content
    assert '<time datetime="2011-04">' in content and '<time datetime="2013-04">' in content
    assert "2011-04-01" not in content
    assert "alibalaev-kuznetsov-2022" in content  # the case study is among its sources
    assert 'class="cite"' in content and 'class="references"' in content and 'class="cite-page"' in content
    assert 'class="breadcrumbs"' in content


def test_project_detail_json_ld_is_a_schema_org_project(client):
    data = json_ld(body(client.get(reverse("project-detail", kwargs={"slug": "gobernanza-fronteriza"}))))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Project"
    assert data["name"].startswith("Border Governance")
    assert data["startDate"] == "2011-04" and data["endDate"] == "2013-04"
    assert "twin cities" in data["description"]
    assert [funder["alternateName"] for funder in data["funder"]] == ["AECID"]
    members = {member["member"]["url"].rsplit("/", 2)[-2]: member["roleName"] for member in data["member"]}
    assert members["fccr"] == "implementer" and members["ufpel"] == "partner"


@pytest.mark.parametrize("language", LANGUAGES)
def test_project_detail_participants_and_programme(client, language):
    response = client.get(url("project-detail", language, slug="ssc-2021-nuevos-aires"))
    content = page_of(response)
    assert "Nuevos aires para niños" in content
    assert f'href="/{language}/cities/lima-pe/"' in content
    assert f'href="/{language}/cities/montevideo-uy/"' in content
    assert f'href="/{language}/programmes/{SOUTH_SOUTH}/"' in content
    assert f'href="/{language}/networks/mercociudades/"' in content
    roles = {role.city.slug: role.role for role in response.context["participants"]}
    assert roles == {"lima-pe": "coordinator", "montevideo-uy": "partner"}


def test_project_detail_innova_cohesion_montevideo_and_european_commission(client):
    response = client.get(reverse("project-detail", kwargs={"slug": "innova-cohesion"}))
    assert [role.city.slug for role in response.context["participants"]] == ["montevideo-uy"]
    assert [role.organization.slug for role in response.context["funder_roles"]] == ["european-commission"]
    data = json_ld(body(response))
    assert data["startDate"] == "2009" and "endDate" not in data
    assert data["funder"][0]["name"] == "European Commission"
    assert data["member"][0]["member"]["@type"] == "GovernmentOrganization"
    assert data["member"][0]["roleName"] == "coordinator"


def test_project_detail_shows_amounts_with_currency_sdgs_and_thematic_unit(client):
    from .factories import ThematicUnitFactory

    project = add_rich_project(sdg_numbers=(11,))
    project.thematic_unit = ThematicUnitFactory()
    project.save()
    response = client.get(project.get_absolute_url())
    content = body(response)
    assert "EUR&nbsp;12,345.50" in content
    assert "USD&nbsp;1,000" in content
    assert 'href="/en/sdgs/11/"' in content and "Sustainable cities and communities" in content
    assert f'href="{project.thematic_unit.get_absolute_url()}"' in content
    assert "Unidad sintética" in content
    data = json_ld(body(response))
    assert data["about"][0]["termCode"] == "11"
    assert len(data["funder"]) == 2


def test_project_detail_empty_states(client):
    project = ProjectFactory()
    content = body(client.get(project.get_absolute_url()))
    for message in (
        "No participating city recorded yet.",
        "No funder recorded yet.",
        "No implementing or partner organization recorded yet.",
        "No Sustainable Development Goal recorded yet.",
        "No description recorded yet.",
        "No results recorded yet.",
    ):
        assert message in content


# Programme detail ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_detail_lists_its_projects(client, language):
    response = client.get(url("programme-detail", language, slug=SOUTH_SOUTH))
    content = page_of(response)
    assert content.count("<h1") == 1
    assert f'href="/{language}/networks/mercociudades/"' in content
    expected = set(Project.objects.filter(programme__slug=SOUTH_SOUTH).values_list("slug", flat=True))
    assert len(expected) == SOUTH_SOUTH_PROJECTS
    assert {project.slug for project in response.context["projects"]} == expected
    assert f'href="/{language}/projects/ssc-2021-nuevos-aires/"' in content
    assert "innova-cohesion" not in content
    assert '<time datetime="2017">2017</time>' in content  # the programme's start


def test_programme_detail_csv(client):
    response = client.get(reverse("programme-detail", kwargs={"slug": SOUTH_SOUTH}) + "?format=csv")
    rows = csv_rows(response)
    assert rows[0] == PROJECT_CSV_HEADER
    assert len(rows) == SOUTH_SOUTH_PROJECTS + 1
    assert f'filename="{SOUTH_SOUTH}-projects.csv"' in response["Content-Disposition"]


def test_programme_detail_empty_state(client):
    programme = ProgrammeFactory()
    assert "No project of this programme recorded yet." in body(client.get(programme.get_absolute_url()))


# Organizations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, name",
    [
        ("en", "Spanish Agency for International Development Cooperation"),
        ("es", "Agencia Española de Cooperación Internacional para el Desarrollo"),
        ("pt", "Agencia Española de Cooperación Internacional para el Desarrollo"),
        ("fr", "Spanish Agency for International Development Cooperation"),
    ],
)
def test_organization_list_in_every_language(client, language, name):
    response = client.get(url("organization-list", language))
    content = page_of(response)
    assert name in content
    assert response.context["paginator"].count == Organization.objects.count() == 15
    aecid = next(row for row in response.context["page_obj"].object_list if row.slug == "aecid")
    assert (aecid.funded_count, aecid.project_count) == (2, 2)
    fccr = next(row for row in response.context["page_obj"].object_list if row.slug == "fccr")
    assert (fccr.funded_count, fccr.project_count) == (0, 1)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=bilateral_agency", {"abc", "aecid"}),
        ("kind=eu", {"european-commission"}),
        ("country=ES", {"aecid"}),
        ("country=BR&kind=bilateral_agency", {"abc"}),
        ("q=aecid", {"aecid"}),
    ],
)
def test_organization_list_filters(client, query, expected):
    response = client.get(reverse("organization-list") + "?" + query)
    assert {row.slug for row in response.context["filter"].qs} == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=bank", "“bank” is not one of the allowed values: "),
        ("country=XX", "Select a valid choice."),
        ("country=<script>", "Select a valid choice."),
    ],
)
def test_organization_list_bad_filter_values(client, query, message):
    response = client.get(reverse("organization-list") + "?" + query)
    assert response.status_code == 200
    assert message in body(response)
    assert "<script>" not in body(response).split("<main", 1)[1].split("</main>")[0]


def test_organization_list_empty_state(client):
    response = client.get(reverse("organization-list") + "?kind=multilateral_bank")
    assert "No organization matches these filters." in body(response)


def test_organization_list_csv(client):
    response = client.get(reverse("organization-list") + "?format=csv&kind=bilateral_agency")
    rows = csv_rows(response)
    assert rows[0] == [
        "Identifier",
        "Name",
        "Acronym",
        "Kind",
        "Country code",
        "Country",
        "Website",
        "Projects funded",
        "Projects taken part in",
        "Sources",
    ]
    by_slug = {row[0]: row for row in rows[1:]}
    assert set(by_slug) == {"abc", "aecid"}
    assert by_slug["aecid"][4] == "ES" and by_slug["aecid"][7] == "2"


@pytest.mark.parametrize("language", LANGUAGES)
def test_organization_detail_aecid(client, language):
    response = client.get(url("organization-detail", language, slug="aecid"))
    content = page_of(response)
    assert content.count("<h1") == 1 and "(AECID)" in content
    assert {role.project.slug for role in response.context["roles"]} == {
        "gobernanza-fronteriza",
        "integracion-fronteriza",
    }
    assert response.context["role_counts"] == {"total": 2, "funded": 2}
    assert f'href="/{language}/projects/gobernanza-fronteriza/"' in content
    assert f'href="/{language}/countries/ES/"' in content


def test_organization_detail_partner_role_and_csv(client):
    response = client.get(reverse("organization-detail", kwargs={"slug": "ufpel"}))
    assert [(role.project.slug, role.role) for role in response.context["roles"]] == [
        ("gobernanza-fronteriza", "partner")
    ]
    rows = csv_rows(client.get(reverse("organization-detail", kwargs={"slug": "aecid"}) + "?format=csv"))
    assert rows[0][:5] == ["Project identifier", "Project", "Role", "Amount", "Currency"]
    assert {row[0] for row in rows[1:]} == {"gobernanza-fronteriza", "integracion-fronteriza"}


def test_organization_detail_empty_state(client):
    organization = OrganizationFactory()
    assert "No project of this organization recorded yet." in body(client.get(organization.get_absolute_url()))


# SDGs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, first, eleventh",
    [
        ("en", "No poverty", "Sustainable cities and communities"),
        ("es", "Fin de la Pobreza", "Ciudades y comunidades sostenibles"),
        ("pt", "Erradicação da pobreza", "Cidades e comunidades sustentáveis"),
        ("fr", "Pas de pauvreté", "Villes et communautés durables"),
    ],
)
def test_sdg_list_in_every_language(client, language, first, eleventh):
    response = client.get(url("sdg-list", language))
    content = page_of(response)
    assert first in content and eleventh in content
    assert len(response.context["sdgs"]) == 17
    assert f'href="/{language}/sdgs/17/"' in content


def test_sdg_list_counts_projects_and_downloads_csv(client):
    add_rich_project(sdg_numbers=(11, 5))
    add_rich_project(sdg_numbers=(11,))
    response = client.get(reverse("sdg-list"))
    counts = {sdg.number: sdg.project_count for sdg in response.context["sdgs"]}
    real = {number: len(slugs) for number, slugs in SDG_PROJECTS.items()}
    assert counts[11] == 2 + real[11] and counts[5] == 1 + real[5] and counts[1] == 0
    rows = csv_rows(client.get(reverse("sdg-list") + "?format=csv"))
    assert rows[0] == ["Number", "Short name", "Title", "Projects"]
    assert len(rows) == 18
    assert rows[11] == ["11", "Sustainable cities and communities", rows[11][2], str(2 + real[11])]


@pytest.mark.parametrize(
    "language, name, title_start",
    [
        ("en", "Sustainable cities and communities", "Make cities and human settlements inclusive"),
        ("es", "Ciudades y comunidades sostenibles", "Lograr que las ciudades"),
        ("pt", "Cidades e comunidades sustentáveis", "Tornar as cidades"),
        ("fr", "Villes et communautés durables", "Faire en sorte que les villes"),
    ],
)
def test_sdg_detail_in_every_language(client, language, name, title_start):
    project = add_rich_project(sdg_numbers=(11,))
    response = client.get(url("sdg-detail", language, number=11))
    content = page_of(response)
    assert content.count("<h1") == 1
    assert name in content and title_start in content
    assert f'href="/{language}/projects/{project.slug}/"' in content
    assert {row.slug for row in response.context["projects"]} == {project.slug, *SDG_PROJECTS[11]}


def test_sdg_detail_empty_state_and_csv(client):
    response = client.get(reverse("sdg-detail", kwargs={"number": 1}))
    assert "No project towards this goal recorded yet." in body(response)
    project = add_rich_project(sdg_numbers=(1,))
    rows = csv_rows(client.get(reverse("sdg-detail", kwargs={"number": 1}) + "?format=csv"))
    assert rows[0] == PROJECT_CSV_HEADER and [row[0] for row in rows[1:]] == [project.slug]


# Unknown identifiers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("project-detail", {"slug": "no-such-project"}),
        ("programme-detail", {"slug": "no-such-programme"}),
        ("organization-detail", {"slug": "no-such-organization"}),
        ("sdg-detail", {"number": 18}),
        ("sdg-detail", {"number": 0}),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_identifiers_are_404(client, name, kwargs, language):
    assert client.get(url(name, language, **kwargs)).status_code == 404


# A fixed number of queries whatever the data size ---------------------------------------------


def grow(times: int):
    """Projects with cities, funders, SDGs and sources in one programme, for one organization."""
    programme = Programme.objects.get(slug=SOUTH_SOUTH)
    funder = Organization.objects.get(slug="aecid")
    for index in range(times):
        project = add_rich_project(programme=programme, sdg_numbers=(1, 11, 17))
        ProjectOrganizationFactory(project=project, organization=funder, amount=Decimal(index + 1))
        OrganizationFactory(country=funder.country).citations.create(source=Source.objects.first())


# A filter by key adds one query to look the key up (network, programme, SDG, funder, country,
# city), whatever the data size.
# The lists read the content version first (1, the key of their cached copy: core.pagecache).
PROJECT_LIST_QUERIES = 13
PROJECT_LIST_FILTERED_QUERIES = 17
PROJECT_LIST_BY_PLACE_QUERIES = 15
PROJECT_PAGE_QUERIES = 5
PROGRAMME_PAGE_QUERIES = 9
ORGANIZATION_LIST_QUERIES = 5
ORGANIZATION_LIST_FILTERED_QUERIES = 6
ORGANIZATION_PAGE_QUERIES = 6
SDG_LIST_QUERIES = 4
SDG_PAGE_QUERIES = 9
PROJECT_CSV_QUERIES = 6
ORGANIZATION_CSV_QUERIES = 2
#: Projects added between the two sizes: more than a page of organizations (4 each), and a
#: size at which a query per row would show; each costs about fifty rows of factories.
GROWTH = 15
PAGES = [
    ("project-list", {}, "", PROJECT_LIST_QUERIES),
    (
        "project-list",
        {},
        f"?network=mercociudades&programme={SOUTH_SOUTH}&year=2015&sdg=11&funder=aecid&status=unknown",
        PROJECT_LIST_FILTERED_QUERIES,
    ),
    ("project-list", {}, "?country=UY&city=montevideo-uy", PROJECT_LIST_BY_PLACE_QUERIES),
    ("project-detail", {"slug": "gobernanza-fronteriza"}, "", PROJECT_PAGE_QUERIES),
    ("programme-detail", {"slug": SOUTH_SOUTH}, "", PROGRAMME_PAGE_QUERIES),
    ("organization-list", {}, "", ORGANIZATION_LIST_QUERIES),
    ("organization-list", {}, "?kind=ngo&country=ES", ORGANIZATION_LIST_FILTERED_QUERIES),
    ("organization-detail", {"slug": "aecid"}, "", ORGANIZATION_PAGE_QUERIES),
    ("sdg-list", {}, "", SDG_LIST_QUERIES),
    ("sdg-detail", {"number": 11}, "", SDG_PAGE_QUERIES),
]


@pytest.mark.parametrize("name, kwargs, query, queries", PAGES)
def test_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, name, kwargs, query, queries):
    grow(2)
    address = url(name, **kwargs) + query
    small, large = get_at_two_sizes(client, django_assert_num_queries, queries, address, lambda: grow(GROWTH))
    # The lists grew too (grow() adds GROWTH projects, and 4 organizations each, GROWTH of them
    # in Spain): the count holds with the new rows on the page.
    growth = {"project-list": GROWTH, "organization-list": 4 * GROWTH if not query else GROWTH}.get(name)
    if growth and "country=UY" not in query:
        assert large.context["paginator"].count == small.context["paginator"].count + growth


def test_the_growing_project_shows_on_the_project_page_with_the_same_queries(client, django_assert_num_queries):
    small = add_rich_project(cities=2, organizations=1)
    large = add_rich_project(cities=40, organizations=30)
    get_counting_queries(client, django_assert_num_queries, PROJECT_PAGE_QUERIES, small.get_absolute_url())
    response = get_counting_queries(client, django_assert_num_queries, PROJECT_PAGE_QUERIES, large.get_absolute_url())
    assert len(response.context["participants"]) == 40


@pytest.mark.parametrize(
    "name, queries, growth",
    [("project-list", PROJECT_CSV_QUERIES, GROWTH), ("organization-list", ORGANIZATION_CSV_QUERIES, 4 * GROWTH)],
)
def test_csv_downloads_run_a_fixed_number_of_queries(client, django_assert_num_queries, name, queries, growth):
    grow(2)
    address = url(name) + "?format=csv"
    small, large = get_at_two_sizes(client, django_assert_num_queries, queries, address, lambda: grow(GROWTH))
    assert len(csv_rows(large)) == len(csv_rows(small)) + growth


# Stable reference numbers and forgiving page numbers --------------------------------------------


def test_project_references_keep_the_order_they_were_recorded_in(client):
    project = add_rich_project()
    first, second = project.citations.order_by("pk")
    # On PostgreSQL an update writes a new row version at the end of the table: without an
    # ORDER BY the first citation would now come back second.
    first.locator = "p. 12"
    first.save()
    expected = [first.source.key, second.source.key]
    response = client.get(project.get_absolute_url())
    assert [citation.source.key for citation in response.context["project"].citations.all()] == expected
    rows = csv_rows(client.get(reverse("project-list") + "?format=csv"))
    by_slug = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_slug[project.slug]["Sources"] == "; ".join(expected)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("project-list", {}),
        ("organization-list", {}),
        ("sdg-list", {}),
        ("programme-detail", {"slug": SOUTH_SOUTH}),
        ("organization-detail", {"slug": "aecid"}),
        ("sdg-detail", {"number": 11}),
    ],
)
@pytest.mark.parametrize("number", ["abc", "0", "-1", "99999", "1.5"])
def test_a_bad_page_number_shows_the_nearest_page_not_a_404(client, name, kwargs, number):
    response = client.get(reverse(name, kwargs=kwargs or None), {"page": number})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.number in (1, page_obj.paginator.num_pages)
