"""Each invalid value is refused twice: by model validation, with a clear message, and by the
database itself when validation is bypassed (a plain ``save()`` skips ``full_clean()``)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from cities.models import City
from networks.models import Membership, Office, Role, Summit
from projects.models import SDG, Project, ProjectOrganization

from .factories import (
    CityFactory,
    CountryFactory,
    MembershipFactory,
    NetworkFactory,
    OfficeFactory,
    ProjectFactory,
    SummitFactory,
    ThematicUnitFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_validation(instance, field=None) -> str:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    messages = error.value.message_dict
    if field is not None:
        assert field in messages, messages
        return " ".join(messages[field])
    return " ".join(message for values in messages.values() for message in values)


def refused_by_database(instance):
    # DataError: PostgreSQL refuses an over-long value before it reaches the check constraint.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        instance.save()


# End not before start --------------------------------------------------------------------


def test_membership_ending_before_it_starts_is_refused():
    membership = MembershipFactory.build(
        network=NetworkFactory(), city=CityFactory(), start="2005-03", end="2004-12-31"
    )
    assert "end cannot be before the start" in refused_by_validation(membership, "end")
    refused_by_database(membership)


def test_an_end_known_to_the_year_may_share_the_starts_year():
    membership = MembershipFactory.build(network=NetworkFactory(), city=CityFactory(), start="2003-05-11", end="2003")
    membership.full_clean()
    membership.save()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_office_ending_before_it_starts_is_refused():
    office = OfficeFactory.build(network=NetworkFactory(), city=CityFactory(), start="2010", end="2009-12")
    assert "end cannot be before the start" in refused_by_validation(office, "end")
    refused_by_database(office)


def test_project_ending_before_it_starts_is_refused():
    project = ProjectFactory.build(start="2013-04", end="2011-04")
    assert "end cannot be before the start" in refused_by_validation(project, "end")
    refused_by_database(project)


# Money -----------------------------------------------------------------------------------


def test_negative_budget_is_refused():
    project = ProjectFactory.build(budget=Decimal("-1"), currency="USD")
    assert "cannot be negative" in refused_by_validation(project)
    refused_by_database(project)


def test_negative_funding_amount_is_refused():
    from projects.models import Organization

    organization = Organization.objects.create(slug="synthetic-funder", name_en="Synthetic funder")
    role = ProjectOrganization(
        project=ProjectFactory(), organization=organization, amount=Decimal("-5"), currency="EUR"
    )
    assert "cannot be negative" in refused_by_validation(role)
    refused_by_database(role)


@pytest.mark.parametrize("currency", ["XYZ", "usd", "EURO", "$"])
def test_currency_must_be_iso_4217(currency):
    project = ProjectFactory.build(budget=Decimal("1000"), currency=currency)
    assert "ISO 4217" in refused_by_validation(project, "currency")
    refused_by_database(project)


def test_budget_without_currency_is_refused():
    project = ProjectFactory.build(budget=Decimal("800000"), currency="")
    assert "needs its currency" in refused_by_validation(project)
    refused_by_database(project)


def test_valid_budget_is_kept():
    project = ProjectFactory.build(budget=Decimal("20000.00"), currency="USD")
    project.full_clean()
    project.save()
    assert Project.objects.get(pk=project.pk).budget == Decimal("20000.00")


# Coordinates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("90.50000", "0", "latitude must be between -90 and 90"),
        ("-91", "0", "latitude must be between -90 and 90"),
        ("0", "180.00001", "longitude must be between -180 and 180"),
        ("0", "-181", "longitude must be between -180 and 180"),
        ("10", None, "both the latitude and the longitude"),
    ],
)
def test_coordinates_out_of_range_are_refused(latitude, longitude, message):
    city = CityFactory.build(latitude=latitude, longitude=longitude, country=CountryFactory())
    assert message in refused_by_validation(city)
    refused_by_database(city)


# SDGs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [0, 18, 99])
def test_sdg_numbers_run_from_1_to_17(number):
    sdg = SDG(number=number, short_name_en="Synthetic goal")
    refused_by_validation(sdg, "number")
    refused_by_database(sdg)


# Summits ---------------------------------------------------------------------------------


def test_a_network_has_one_summit_per_number():
    first = SummitFactory(number=7)
    duplicate = SummitFactory.build(network=first.network, number=7, slug="another", host_city=first.host_city)
    assert "already has a summit with this number" in refused_by_validation(duplicate)
    refused_by_database(duplicate)


def test_two_networks_may_each_have_a_summit_numbered_1():
    SummitFactory(number=1)
    other = SummitFactory(number=1)
    assert Summit.objects.filter(number=1, pk=other.pk).exists()


# Memberships -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("2000", None), ("2005", None)),  # two open memberships
        (("2000", "2010"), ("2010", None)),  # left and rejoined within the same year
        (("2000-01-15", "2003-06"), ("2003-06-30", None)),
        ((None, None), ("1999", "2001")),  # unknown start counts as "since always"
    ],
)
def test_overlapping_memberships_of_one_city_in_one_network_are_refused(first, second):
    existing = MembershipFactory(start=first[0], end=first[1])
    overlapping = Membership(network=existing.network, city=existing.city, start=second[0], end=second[1])
    assert "overlapping period" in refused_by_validation(overlapping)
    refused_by_database(overlapping)


def test_an_update_that_creates_an_overlap_is_refused_by_the_database():
    first = MembershipFactory(start="2000", end="2003")
    second = MembershipFactory(network=first.network, city=first.city, start="2005")
    second.start = "2002"
    refused_by_database(second)


def test_leaving_and_rejoining_later_is_two_memberships():
    first = MembershipFactory(start="2000", end="2003")
    second = Membership(network=first.network, city=first.city, start="2005")
    second.full_clean()
    second.save()
    assert Membership.objects.filter(city=first.city, network=first.network).count() == 2


def test_the_same_city_may_belong_to_two_networks_at_once():
    first = MembershipFactory(start="2000")
    second = Membership(network=NetworkFactory(), city=first.city, start="2000")
    second.full_clean()
    second.save()
    assert second.pk


# Names and translations ------------------------------------------------------------------


def test_a_name_in_spanish_only_is_enough():
    city = CityFactory.build(name_en=None, name_es="Ciudad sintética", country=CountryFactory())
    city.full_clean()
    city.save()
    assert City.objects.get(pk=city.pk).name_es == "Ciudad sintética"


def test_a_record_without_a_name_in_any_language_is_refused():
    city = CityFactory.build(name_en=None, country=CountryFactory())
    assert "at least one language" in refused_by_validation(city)
    refused_by_database(city)


# Offices ---------------------------------------------------------------------------------


def test_a_coordinator_needs_a_thematic_unit():
    office = OfficeFactory.build(network=NetworkFactory(), city=CityFactory(), role=Role.COORDINATOR)
    assert "needs a thematic unit" in refused_by_validation(office)
    refused_by_database(office)


def test_an_office_cannot_point_at_another_networks_unit():
    unit = ThematicUnitFactory()
    office = OfficeFactory.build(
        network=NetworkFactory(), city=CityFactory(), role=Role.COORDINATOR, thematic_unit=unit
    )
    assert "another network" in refused_by_validation(office, "thematic_unit")
    office_in_same_network = Office(
        network=unit.network, city=office.city, role=Role.COORDINATOR, thematic_unit=unit, start="2011", end="2011"
    )
    office_in_same_network.full_clean()
