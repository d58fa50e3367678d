"""The real data: it loads idempotently, every fact has a source, and the facts the product
promises are there (checked against ../shared/data and the case study)."""

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from core.loading import load_fixtures
from core.partialdates import PartialDate
from networks.models import Membership, MembershipFigure, Network, Office, Role, Summit
from projects.models import SDG

from .facts import MERCOCIUDADES_FOUNDERS as FOUNDERS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

FIXTURE_FILES = sorted((settings.BASE_DIR / "fixtures").glob("*.json"))


def test_loading_the_fixtures_again_changes_nothing(capsys):
    report = load_fixtures(FIXTURE_FILES)
    assert report.changed == 0, report.lines()
    assert sum(report.unchanged.values()) > 1000
    call_command("load_real_data")
    assert "0 records created or updated" in capsys.readouterr().out


def test_every_fact_bearing_record_cites_a_source():
    cited_models = [
        model for model in apps.get_models() if any(f.name == "citations" for f in model._meta.related_objects)
    ]
    assert len(cited_models) >= 14
    for model in cited_models:
        uncited = model.objects.filter(citations__isnull=True)
        assert not uncited.exists(), f"{model._meta.label}: {list(uncited[:5])}"


def test_the_five_networks_and_uclg_sections_are_recorded():
    slugs = set(Network.objects.values_list("slug", flat=True))
    assert {"mercociudades", "c40", "eurocities", "uclg", "metropolis"} <= slugs
    assert Network.objects.filter(parent__slug="uclg").count() >= 9


def test_mercociudades_was_founded_in_asuncion_on_11_november_1995(mercociudades):
    assert mercociudades.founded == PartialDate(1995, 11, 11)
    assert mercociudades.founded_city.slug == "asuncion-py"
    assert mercociudades.secretariat_city.slug == "montevideo-uy"
    assert mercociudades.name_es == "Red de Mercociudades"


def test_mercociudades_has_exactly_12_founders_all_members_on_the_founding_day(mercociudades):
    founders = Membership.objects.filter(network=mercociudades, founding=True)
    assert set(founders.values_list("city__slug", flat=True)) == FOUNDERS
    on_founding_day = Membership.objects.filter(network=mercociudades).as_of(datetime.date(1995, 11, 11))
    assert set(on_founding_day.values_list("city__slug", flat=True)) == FOUNDERS
    assert not Membership.objects.filter(network=mercociudades).as_of(datetime.date(1994, 1, 1)).exists()


def test_mercociudades_summits_are_recorded_with_numbers_hosts_and_dates(mercociudades):
    first = Summit.objects.get(network=mercociudades, number=1)
    assert (first.host_city.slug, first.start) == ("asuncion-py", PartialDate(1995, 11, 11))
    twentieth = Summit.objects.get(network=mercociudades, number=20)
    assert twentieth.host_city.slug == "sao-paulo-br" and twentieth.end == PartialDate(2015, 11, 14)
    numbers = set(Summit.objects.filter(network=mercociudades).values_list("number", flat=True))
    assert {1, 6, 11, 16, 20, 25, 30, 31} <= numbers
    assert Summit.objects.filter(network=mercociudades, number=12, number_inferred=True).exists()


def test_the_2022_breakdown_of_366_cities_by_country(mercociudades):
    figure = MembershipFigure.objects.get(network=mercociudades, date="2022-04-13", members=366)
    by_country = dict(figure.by_country.values_list("country__code", "members"))
    assert by_country == {
        "AR": 142,
        "BR": 89,
        "PY": 28,
        "PE": 29,
        "CL": 26,
        "UY": 20,
        "VE": 14,
        "BO": 9,
        "EC": 6,
        "CO": 3,
    }
    assert sum(by_country.values()) == 366
    assert figure.citations.filter(source__doi="10.22363/2313-0660-2022-22-3-537-553").exists()


def test_presidency_and_secretariat_history_is_recorded_as_offices(mercociudades):
    offices = Office.objects.filter(network=mercociudades)
    secretariats = offices.filter(role=Role.EXECUTIVE_SECRETARIAT)
    presidencies = offices.filter(role=Role.PRESIDENT)
    assert secretariats.count() >= 10 and presidencies.count() >= 10
    in_may_2021 = presidencies.as_of(datetime.date(2021, 5, 31)).get()
    assert (in_may_2021.city.slug, in_may_2021.person) == ("tandil-ar", "Miguel Lunghi")
    handover = secretariats.as_of(datetime.date(2008, 6, 18))
    assert set(handover.values_list("city__slug", flat=True)) == {"moron-ar", "canelones-uy"}


def test_c40_has_at_least_96_member_cities_with_coordinates():
    members = Membership.objects.filter(
        network__slug="c40", city__latitude__isnull=False, city__longitude__isnull=False
    )
    assert members.values("city").distinct().count() >= 96


def test_all_17_sdgs_are_named_in_four_languages():
    assert SDG.objects.count() == 17
    for sdg in SDG.objects.all():
        for code in ("en", "es", "pt", "fr"):
            assert getattr(sdg, f"short_name_{code}"), (sdg.number, code)
    assert SDG.objects.get(number=1).short_name_pt == "Erradicação da pobreza"


def test_unknown_values_stay_unknown(mercociudades):
    twelfth = Summit.objects.get(network=mercociudades, number=12)
    assert twelfth.host_city is None and twelfth.start is None
