"""Evidence levels and coverage (#11): one definition of a counted member (stated and in force:
networks.selectors.counted_memberships) behind every count, chart and list; probable and
uncertain memberships shown apart and never counted; each network's coverage ("N of about M
members recorded (P%)") on its profile, the home page and the API; offices as evidence of a
membership not recorded; the curators' coverage report (command and admin page)."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from networks import selectors
from networks.models import Membership, MembershipCitation, Network, Office
from networks.services import grant_editor
from sources.models import Certainty

from .factories import (
    CityFactory,
    MembershipFactory,
    MembershipFigureFactory,
    NetworkFactory,
    OfficeFactory,
    SourceFactory,
)
from .helpers import get_at_two_sizes, get_counting_queries, page_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

#: C40's members on the 2010 list of forty that the later (undated) homepage list of 97 lacks:
#: no source dates their leaving, so they are recorded as uncertain, not ended (docs/data.md).
C40_NOT_ON_THE_LIST_OF_97 = {"moscow-ru", "caracas-ve", "cairo-eg"}
C40_HOMEPAGE_MEMBERS = 97
#: Mercociudades' probable members of the second research pass (e.g. the Santa Fe municipalities
#: at the August 2025 meeting of member intendentes, Council participants of 2013).
MERCOCIUDADES_PROBABLE = {"rafaela-ar", "canoas-br", "neuquen-ar", "recife-br"}


def counted(network_slug: str) -> int:
    return selectors.counted_memberships().filter(network__slug=network_slug).count()


# The real data: probable members apart, never counted ------------------------------------------


def test_mercociudades_probable_members_are_shown_apart_and_not_counted(client):
    merco = Network.objects.get(slug="mercociudades")
    probable = Membership.objects.filter(network=merco, certainty=Certainty.PROBABLE)
    assert MERCOCIUDADES_PROBABLE <= set(probable.values_list("city__slug", flat=True))
    recorded = counted("mercociudades")
    assert recorded == Membership.objects.filter(network=merco, certainty=Certainty.STATED).current().count()
    response = client.get(url("network-detail", slug="mercociudades"))
    assert response.context["counts"]["current"] == recorded
    assert (
        response.context["counts"]["uncounted"]
        == Membership.objects.filter(network=merco).exclude(certainty=Certainty.STATED).count()
    )
    page = page_of(response)
    assert "Probable or uncertain members (not counted)" in page
    section = page.split('id="uncounted-heading"')[1]
    assert "Rafaela" in section and "Probable" in section
    # the preview of members lists stated members only
    preview = {m.city.slug for m in response.context["member_preview"]}
    assert not preview & MERCOCIUDADES_PROBABLE


def test_the_member_list_counts_stated_members_and_lists_the_others_apart(client):
    response = client.get(url("network-members", slug="mercociudades"))
    listed = {membership.city.slug for membership in response.context["paginator"].object_list}
    assert not listed & MERCOCIUDADES_PROBABLE
    assert (
        response.context["paginator"].count
        == Membership.objects.filter(network__slug="mercociudades", certainty=Certainty.STATED).count()
    )
    uncounted = {membership.city.slug for membership in response.context["uncounted_members"]}
    assert MERCOCIUDADES_PROBABLE <= uncounted
    assert "Probable or uncertain members (not counted)" in page_of(response)


def test_current_members_only_keeps_the_counted_members(client):
    response = client.get(url("network-members", slug="mercociudades"), {"current": "on"})
    assert response.context["paginator"].count == counted("mercociudades")


def test_c40_counts_the_97_of_its_list_and_shows_three_earlier_members_apart_without_an_end_date(client):
    c40 = Membership.objects.filter(network__slug="c40")
    uncertain = c40.filter(certainty=Certainty.UNCERTAIN)
    assert set(uncertain.values_list("city__slug", flat=True)) == C40_NOT_ON_THE_LIST_OF_97
    assert not uncertain.filter(end__isnull=False).exists()  # no end date is invented
    assert all("no source gives a date of leaving" in m.notes for m in uncertain)
    assert counted("c40") == C40_HOMEPAGE_MEMBERS
    page = page_of(client.get(url("network-detail", slug="c40")))
    assert f"{C40_HOMEPAGE_MEMBERS} of about" in page
    assert "Moscow" in page.split('id="uncounted-heading"')[1]


def test_counts_and_charts_agree_on_the_profile(client):
    """The growth chart's last year plus its undated members is the profile's count: no curve
    shows a jump that is only a gap in the record, and no page contradicts another."""
    for slug in ("mercociudades", "c40", "eurocities", "metropolis"):
        response = client.get(url("network-detail", slug=slug))
        counts, growth = response.context["counts"], response.context["growth"]
        assert growth["years"][-1]["recorded_members"] + growth["undated_members"] == counts["current"], slug
        assert counts["current"] - counts["dated"] == growth["undated_members"], slug
        assert sum(row.recorded for row in response.context["country_rows"]) == counts["current"], slug
        chart = response.context["growth_chart"]
        if growth["undated_members"]:
            undated = chart["datasets"][-1]
            assert undated["data"][-1] == growth["undated_members"] and undated["showLine"] is False
            assert "not placed in time" in page_of(response)


def test_the_growth_endpoint_gives_the_undated_members_apart(api):
    network = Network.objects.get(slug="metropolis")
    data = api.get(f"/api/v1/networks/{network.slug}/growth/").json()
    counts = selectors.membership_counts(selectors.member_counts_by_country(network, selectors.timezone.localdate()))
    assert data["undated_members"] == counts["current"] - counts["dated"]
    assert data["years"][-1]["recorded_members"] == counts["dated"]


def test_members_by_country_counts_only_stated_members(api):
    data = api.get("/api/v1/networks/mercociudades/members-by-country/").json()
    assert data["members"] == counted("mercociudades")


# Coverage -----------------------------------------------------------------------------------


def test_every_network_states_its_coverage_beside_its_latest_reported_figure(client):
    for network in Network.objects.filter(parent__isnull=True):
        response = client.get(url("network-detail", slug=network.slug))
        coverage = response.context["coverage"]
        page = page_of(response)
        lead = page.split('id="coverage"')[1].split("</p>")[0]
        if coverage.figure:
            qualifier = "over" if coverage.figure.at_least else "about"
            assert f"{coverage.recorded:,} of {qualifier} {coverage.reported:,}" in lead, network.slug
            assert f"({coverage.percent}%)" in lead
            assert "latest reported size" in lead
            # the figure's date and its source are cited beside it
            assert 'class="cite"' in lead or "<sup" in lead, lead
        else:
            assert "no source has reported the network" in lead


def test_mercociudades_coverage_is_its_stated_members_of_its_latest_figure(client):
    coverage = client.get(url("network-detail", slug="mercociudades")).context["coverage"]
    latest = Network.objects.get(slug="mercociudades").figures.filter(date__isnull=False).order_by("-date").first()
    assert coverage.recorded == counted("mercociudades")
    assert (coverage.reported, coverage.reported_on) == (latest.members, latest.date)
    assert coverage.percent == round(coverage.recorded * 100 / latest.members)


def test_the_home_page_shows_each_networks_coverage(client):
    page = page_of(client.get(url("home")))
    assert f"{counted('c40')} of about" in page
    assert f"{counted('mercociudades')} of about" in page


def test_the_api_gives_each_networks_coverage(api):
    detail = api.get("/api/v1/networks/mercociudades/").json()
    coverage = detail["coverage"]
    assert coverage["recorded"] == counted("mercociudades")
    assert coverage["reported"] and coverage["reported_on"] and coverage["reported_sources"]
    assert coverage["percent"] == round(coverage["recorded"] * 100 / coverage["reported"])
    listed = {
        row["slug"]: row["coverage"] for row in api.get("/api/v1/networks/", {"page_size": 100}).json()["results"]
    }
    assert listed["mercociudades"] == coverage
    assert listed["c40"]["recorded"] == C40_HOMEPAGE_MEMBERS


# The API: levels exposed and filtered --------------------------------------------------------


def test_memberships_carry_their_level_and_filter_by_it(api):
    every = api.get("/api/v1/memberships/", {"network": "mercociudades", "page_size": 500}).json()
    levels = {row["certainty"] for row in every["results"]}
    assert levels == {"stated", "probable", "uncertain"}  # default: every level, each labelled
    probable = api.get(
        "/api/v1/memberships/", {"network": "mercociudades", "certainty": "probable", "page_size": 500}
    ).json()
    assert probable["count"] == Membership.objects.filter(network__slug="mercociudades", certainty="probable").count()
    assert {row["certainty"] for row in probable["results"]} == {"probable"}


def test_offices_carry_their_level_and_filter_by_it(api):
    stated = api.get("/api/v1/offices/", {"certainty": "stated"}).json()
    assert stated["count"] == Office.objects.count()
    assert stated["results"][0]["certainty"] == "stated"
    assert api.get("/api/v1/offices/", {"certainty": "probable"}).json()["count"] == 0


@pytest.mark.parametrize("resource", ["memberships", "offices"])
def test_an_unknown_level_is_refused_with_a_clear_message(api, resource):
    response = api.get(f"/api/v1/{resource}/", {"certainty": "rumoured"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["attr"] for error in errors] == ["certainty"]
    assert "rumoured" in errors[0]["detail"]


# A city's networks: offices as evidence, counts that say what they count ---------------------------


def test_a_city_with_an_office_but_no_recorded_membership_says_so(client):
    # Montevideo held UCLG offices (its presidency); no source recorded here states its membership.
    uclg = Network.objects.get(slug="uclg")
    assert Office.objects.filter(network=uclg, city__slug="montevideo-uy").exists()
    assert not Membership.objects.filter(network=uclg, city__slug="montevideo-uy").exists()
    page = page_of(client.get(url("city-detail", slug="montevideo-uy")))
    assert f"{uclg.name_en}</a> (membership not recorded)" in page
    assert "(memberships a source states)" in page


def test_a_citys_network_count_counts_only_stated_memberships(client):
    # Rafaela is a probable Mercociudades member only.
    response = client.get(url("city-detail", slug="rafaela-ar"))
    assert response.context["current_memberships"] == []
    page = page_of(response)
    assert "Member of 0 networks today (memberships a source states)." in page
    assert "Probable or uncertain memberships (not counted)" in page


# Synthetic data: the rule itself, and fixed query counts ------------------------------------------


def test_a_probable_membership_is_never_counted():
    network = NetworkFactory()
    MembershipFactory(network=network, start="2001")
    MembershipFactory(network=network, start="2001", certainty=Certainty.PROBABLE)
    MembershipFactory(network=network, certainty=Certainty.UNCERTAIN)
    assert selectors.counted_memberships().filter(network=network).count() == 1
    row = selectors.networks_with_counts().get(pk=network.pk)
    assert (row.current_members, row.uncounted_members) == (1, 2)
    growth = selectors.membership_growth(network)
    assert growth["years"][-1]["recorded_members"] == 1 and growth["undated_members"] == 0


def test_undated_members_are_never_added_to_a_year():
    network = NetworkFactory(founded="2000")
    MembershipFactory(network=network, start="2001")
    MembershipFactory(network=network, start=None)  # no date at all: counted today, not placed in time
    growth = selectors.membership_growth(network)
    assert [year["recorded_members"] for year in growth["years"]][-1] == 1
    assert growth["undated_members"] == 1


def grow_network(network, size: int):
    source = SourceFactory()
    figure = MembershipFigureFactory(network=network, members=1000 + size, date=f"{2000 + size % 20}")
    figure.citations.create(source=source)
    for index in range(size):
        certainty = Certainty.PROBABLE if index % 3 == 0 else Certainty.STATED
        membership = MembershipFactory(network=network, city=CityFactory(), certainty=certainty)
        MembershipCitation.objects.create(record=membership, source=source)


# The version, the rows with their counts, the paginator's count, their sources, and (added here)
# the probable and uncertain members with their sources.
MEMBER_LIST_QUERIES = 8


def test_member_list_with_uncounted_members_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    network = NetworkFactory()
    grow_network(network, 3)
    address = url("network-members", slug=network.slug)
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, MEMBER_LIST_QUERIES, address, lambda: grow_network(network, 30)
    )
    assert len(large.context["uncounted_members"]) > len(small.context["uncounted_members"])


# The content version, the networks with their counts and coverage, the paginator's count, their
# sources, the latest figures and their sources.
NETWORK_API_QUERIES = 5


def test_the_network_api_with_coverage_runs_a_fixed_number_of_queries(api, django_assert_num_queries):
    def grow():
        for _ in range(20):
            grow_network(NetworkFactory(), 2)

    grow()
    cold = get_counting_queries(api, django_assert_num_queries, NETWORK_API_QUERIES + 1, "/api/v1/networks/")
    warm = get_counting_queries(api, django_assert_num_queries, NETWORK_API_QUERIES, "/api/v1/networks/")
    grow()
    large = get_counting_queries(api, django_assert_num_queries, NETWORK_API_QUERIES + 1, "/api/v1/networks/")
    assert cold.status_code == warm.status_code == large.status_code == 200
    assert large.json()["count"] == warm.json()["count"] + 20


# The coverage report ----------------------------------------------------------------------------


def test_coverage_report_command_as_json_gives_the_profile_figures():
    out = io.StringIO()
    call_command("coverage_report", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    rows = {row["slug"]: row for row in report["networks"]}
    merco = rows["mercociudades"]
    assert merco["recorded"] == counted("mercociudades")
    assert merco["probable"] == Membership.objects.filter(network__slug="mercociudades", certainty="probable").count()
    assert merco["dated"] + merco["undated"] == merco["recorded"]
    assert rows["c40"]["uncertain"] == len(C40_NOT_ON_THE_LIST_OF_97)
    assert report["totals"]["networks_without_wikidata_id"] == Network.objects.filter(wikidata_id="").count()
    assert report["totals"]["sources_without_access_date"] > 0  # the first pass dated none


def test_coverage_report_command_as_csv_and_text():
    out = io.StringIO()
    call_command("coverage_report", "--format", "csv", "--network", "c40", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["slug"] for row in rows] == ["c40"] and rows[0]["recorded"] == str(C40_HOMEPAGE_MEMBERS)
    out = io.StringIO()
    call_command("coverage_report", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0].split()[:3] == ["network", "recorded", "reported"]
    assert any(line.startswith("mercociudades ") for line in text.splitlines())
    assert "sources without access date:" in text


def test_coverage_report_command_refuses_an_unknown_network():
    with pytest.raises(CommandError, match="No network with the slug"):
        call_command("coverage_report", "--network", "no-such-network", stdout=io.StringIO())


@pytest.fixture
def curator(django_user_model):
    user = django_user_model.objects.create_user("coverage-curator", password="a-long-password-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="curate_all"))
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["sources", "cities", "networks", "projects"])
    )
    return user


def coverage_rows(page: str) -> set[str]:
    return {part.split('"')[0] for part in page.split('class="coverage-')[1:]}


def test_the_admin_coverage_page_lists_every_network_for_a_curator(client, curator):
    client.force_login(curator)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:networks_network_coverage") in index
    response = client.get(reverse("admin:networks_network_coverage"))
    assert response.status_code == 200
    page = response.content.decode()
    assert coverage_rows(page) == set(Network.objects.values_list("slug", flat=True))
    assert "Sources without an access date" in page
    merco = next(row for row in response.context["rows"] if row["slug"] == "mercociudades")
    assert merco["recorded"] == counted("mercociudades")


def test_the_admin_coverage_page_is_scoped_to_an_editors_networks(client, django_user_model):
    editor = django_user_model.objects.create_user("coverage-editor", password="a-long-password-1")
    grant_editor(user=editor, network=Network.objects.get(slug="mercociudades"))
    client.force_login(editor)
    page = client.get(reverse("admin:networks_network_coverage")).content.decode()
    assert coverage_rows(page) == {"mercociudades"}
    assert "Networks without a Wikidata id" not in page  # a curator's worklist


def test_the_admin_coverage_page_is_for_staff_only(client, django_user_model):
    response = client.get(reverse("admin:networks_network_coverage"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("visitor", password="a-long-password-1"))
    assert client.get(reverse("admin:networks_network_coverage")).status_code == 302


# The session, its user and its permissions (the admin's and the curator check), the annotated
# networks, the latest figures and their sources, four totals.
ADMIN_COVERAGE_QUERIES = 11


def test_the_admin_coverage_page_runs_a_fixed_number_of_queries(client, curator, django_assert_num_queries):
    client.force_login(curator)
    address = reverse("admin:networks_network_coverage")
    small, large = get_at_two_sizes(
        client,
        django_assert_num_queries,
        ADMIN_COVERAGE_QUERIES,
        address,
        lambda: [grow_network(NetworkFactory(), 3) for _ in range(10)],
    )
    assert len(large.context["rows"]) == len(small.context["rows"]) + 10


def test_an_office_of_a_network_is_evidence_where_no_membership_is_stated():
    network, city = NetworkFactory(), CityFactory()
    OfficeFactory(network=network, city=city, start="2020")
    MembershipFactory(network=network, city=city, certainty=Certainty.PROBABLE)
    context = selectors.city_profile_context(city)
    assert [item.network for item in context["office_evidence"]] == [network]
    assert context["current_memberships"] == [] and len(context["uncounted_memberships"]) == 1
