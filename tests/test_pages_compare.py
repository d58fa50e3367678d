"""Networks side by side (``/xx/networks/compare/?networks=…``): the choice in the URL, the
form's messages for a bad choice, the figures on the real data (Mercociudades and UCLG share
Montevideo, UCLG's president, through an office: no UCLG membership is recorded), Jaccard
overlaps, the CSV download, and a fixed number of queries whatever the data size."""

import re

import pytest
from django.core.exceptions import ValidationError

from networks.models import Network, Office
from networks.selectors import counted_memberships

from .factories import CityFactory, CountryFactory, MembershipFactory, NetworkFactory, OfficeFactory, SummitFactory
from .helpers import body, csv_rows, get_at_two_sizes, json_script, page_of, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

COMPARE = url("network-compare")


def compare(client, networks: str, language: str = "en", **params):
    return client.get(url("network-compare", language), {"networks": networks, **params})


def test_compare_is_not_taken_for_a_network_key(client):
    page = page_of(client.get(COMPARE))
    assert "Compare networks" in page
    assert 'name="networks"' in page
    assert "Mercocities" in page  # a choice, not a profile


def test_no_network_may_take_the_key_of_the_comparison_page():
    with pytest.raises(ValidationError) as error:
        Network(slug="compare", name_en="Synthetic network").full_clean()
    assert error.value.message_dict["slug"] == ["“compare” is the address of a page: choose another key."]


def test_the_network_index_links_to_the_comparison(client):
    assert f'href="{COMPARE}"' in page_of(client.get(url("network-list")))


@pytest.mark.parametrize(
    "networks, message",
    [
        ("mercociudades", "Choose at least 2 networks to compare."),
        ("mercociudades,uclg,c40,eurocities,metropolis", "Choose at most 4 networks to compare (you chose 5)."),
        ("mercociudades,no-such-network", "There is no network with the key “no-such-network”."),
        ("", "This field is required."),
    ],
)
def test_a_bad_choice_answers_400_with_a_clear_message(client, networks, message):
    response = compare(client, networks)
    assert response.status_code == 400
    assert message in body(response)


def test_a_bad_choice_downloads_nothing(client):
    response = compare(client, "mercociudades", format="csv")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_ticked_and_comma_separated_choices_are_the_same_comparison(client):
    ticked = page_of(client.get(COMPARE, {"networks": ["mercociudades", "uclg"]}))
    listed = page_of(compare(client, "mercociudades,uclg"))
    for page in (ticked, listed):
        assert "?networks=mercociudades,uclg" in page  # the permanent link keeps the choice
        checked = re.findall(r'<input type="checkbox" name="networks" value="([^"]+)"[^>]* checked>', page)
        assert checked == ["mercociudades", "uclg"] or sorted(checked) == ["mercociudades", "uclg"]


def test_mercociudades_and_uclg_share_montevideo_through_its_uclg_presidency(client):
    page = page_of(compare(client, "mercociudades,uclg"))
    assert "Mercocities (Mercosur Cities Network), United Cities and Local Governments compared" in page
    # No UCLG membership is recorded: no counted member is shared, and the overlap is 0.
    pairs = page.split('id="compare-pairs-table"')[1].split("</table>")[0]
    assert '<td class="num">0</td>' in pairs
    assert "0.000" in pairs
    # Montevideo, a founder of Mercociudades, presided UCLG from 2022 (its membership of UCLG is
    # not recorded, the office is the evidence); São Paulo was one of its co-presidents.
    ties = page.split('id="compare-office-ties-table"')[1].split("</table>")[0]
    assert "Montevideo" in ties and "President" in ties and "2022" in ties
    assert "São Paulo" in ties and "Co-President (founding presidium)" in ties


def test_shared_members_and_jaccard_overlap_of_mercociudades_and_metropolis(client):
    merco, metropolis = Network.objects.get(slug="mercociudades"), Network.objects.get(slug="metropolis")
    merco_members = set(counted_memberships().filter(network=merco).values_list("city__slug", flat=True))
    metropolis_members = set(counted_memberships().filter(network=metropolis).values_list("city__slug", flat=True))
    shared = merco_members & metropolis_members
    assert {"montevideo-uy", "bogota-co"} <= shared  # from the real data
    page = page_of(compare(client, "mercociudades,metropolis"))
    table = page.split('id="compare-shared-table"')[1].split("</table>")[0]
    assert table.count("<tr>") == len(shared) + 1
    for slug in shared:
        assert url("city-detail", slug=slug) in table
    jaccard = len(shared) / len(merco_members | metropolis_members)
    assert f"{jaccard:.3f}" in page


def test_the_charts_carry_the_tables_figures(client):
    page = page_of(compare(client, "mercociudades,eurocities"))
    growth = json_script(page, "compare-growth-data")
    assert growth["type"] == "line"
    assert growth["datasets"][0]["label"].startswith("Mercocities")
    merco = Network.objects.get(slug="mercociudades")
    dated = counted_memberships().filter(network=merco).exclude(start__isnull=True, first_attested__isnull=True)
    assert growth["datasets"][0]["data"][-1] == dated.count()
    countries = json_script(page, "compare-countries-data")
    assert {"Argentina", "Brazil", "Germany"} <= set(countries["labels"])
    assert len(countries["labels"]) == 15  # the table lists every country
    table = page.split('id="compare-countries-table"')[1].split("</table>")[0]
    assert table.count("<tr>") - 1 > 15 and "Uruguay" in table
    summits = json_script(page, "compare-summits-data")
    assert "1995" in summits["labels"]  # the 1st Mercociudades Summit, Asunción
    assert "Governing structure" in page and "Thematic units" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_the_page_speaks_the_readers_language(client):
    page = page_of(compare(client, "mercociudades,uclg", language="es"))
    assert 'lang="es"' in page
    assert "Mercociudades" in page


def test_the_csv_holds_every_figure_of_the_page(client):
    rows = csv_rows(compare(client, "mercociudades,metropolis", format="csv"))
    assert rows[0] == ["measure", "network", "other network", "key", "label", "value"]
    measures = {row[0] for row in rows[1:]}
    assert {
        "members_recorded",
        "members_recorded_with_date",
        "size_reported",
        "members_by_country",
        "members_by_region",
        "shared_members",
        "jaccard_overlap",
        "shared_member",
        "governing_body",
        "thematic_unit",
        "summits",
    } <= measures
    montevideo = [row for row in rows if row[0] == "shared_member" and row[3] == "montevideo-uy"]
    assert {row[1] for row in montevideo} == {"mercociudades", "metropolis"}
    uy = [row for row in rows if row[0] == "members_by_country" and row[1] == "mercociudades" and row[3] == "UY"]
    merco = Network.objects.get(slug="mercociudades")
    assert int(uy[0][5]) == counted_memberships().filter(network=merco, city__country__code="UY").count()


# The version (1), the form's networks (1), the networks with their counts (1), their reported
# figures (1), each network's growth (1 each: 2 here), counted members by network and country
# (1), their countries (1), bloc participations (1), counted (network, city) pairs (1), offices
# of counted members (1), their stated memberships (1), the cities shown (1), governing bodies
# (1), thematic units (1), summits (1).
COMPARE_QUERIES = 16


def grow(first, second, size: int, start: str):
    """``size`` synthetic cities members of both networks, hosting a summit of the first; as many
    members of the first only who held an office in the second."""
    for _ in range(size):
        city = CityFactory(country=CountryFactory())
        MembershipFactory(network=first, city=city, start=start)
        MembershipFactory(network=second, city=city, start=start)
        SummitFactory(network=first, host_city=city, number=None)
        other = CityFactory(country=CountryFactory())
        MembershipFactory(network=first, city=other, start=start)
        OfficeFactory(network=second, city=other, start=start)


def test_the_comparison_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    first, second = NetworkFactory(), NetworkFactory()
    grow(first, second, 2, "2001")
    address = f"{COMPARE}?networks={first.slug},{second.slug}"
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, COMPARE_QUERIES, address, lambda: grow(first, second, 10, "2005")
    )
    assert Office.objects.filter(network=second).count() == 12
    # 10 more shared members and 10 more members tied through an office, each linked to its city.
    assert large.content.count(b"/en/cities/") == small.content.count(b"/en/cities/") + 20
