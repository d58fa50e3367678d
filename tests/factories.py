"""All the factories of synthetic test records. Everything they make is labelled synthetic
(codes in ISO 3166's user-assigned ranges, "Synthetic …" names and slugs) and never enters the
fixtures."""

import itertools
import string
from decimal import Decimal

import factory

from cities.models import BlocParticipation, City, Country, RegionalBloc, Twinning
from networks.models import Membership, MembershipFigure, Network, Office, Role, Summit, ThematicUnit
from projects.models import Organization, OrganizationKind, Programme, Project, ProjectCity, ProjectOrganization
from sources.models import Source

# ISO 3166-1 reserves XA–XZ and QM–QZ for user-assigned codes: no real country uses them.
USER_ASSIGNED_CODES = [f"X{letter}" for letter in string.ascii_uppercase] + [
    f"Q{letter}" for letter in "MNOPQRSTUVWXYZ"
]


def synthetic_slug(kind: str):
    """A sequence of slugs ``synthetic-<kind>-<n>``."""
    return factory.Sequence(lambda n: f"synthetic-{kind}-{n}")


def synthetic_name(kind: str):
    """A sequence of names ``Synthetic <kind> <n>``."""
    return factory.Sequence(lambda n: f"Synthetic {kind} {n}")


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(itertools.cycle(USER_ASSIGNED_CODES))
    name_en = factory.LazyAttribute(lambda o: f"Synthetic country {o.code}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    slug = synthetic_slug("city")
    name_en = synthetic_name("City")
    country = factory.SubFactory(CountryFactory)
    latitude = "-34.90000"
    longitude = "-56.20000"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = synthetic_slug("source")
    title = synthetic_name("source")
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    slug = synthetic_slug("network")
    name_en = synthetic_name("Network")
    founded = "1990"


class SummitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Summit

    network = factory.SubFactory(NetworkFactory)
    slug = factory.Sequence(lambda n: f"summit-{n}")
    number = factory.Sequence(lambda n: n + 1)
    start = "2000-05-01"
    host_city = factory.SubFactory(CityFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    city = factory.SubFactory(CityFactory)
    start = "2000"


class ThematicUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicUnit

    network = factory.SubFactory(NetworkFactory)
    slug = factory.Sequence(lambda n: f"unit-{n}")
    name_es = factory.Sequence(lambda n: f"Unidad sintética {n}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    network = factory.SubFactory(NetworkFactory)
    city = factory.SubFactory(CityFactory)
    role = Role.PRESIDENT
    start = "2010"


class MembershipFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipFigure

    network = factory.SubFactory(NetworkFactory)
    date = "2020"
    members = 10


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    slug = synthetic_slug("project")
    title_en = synthetic_name("project")


class ProjectCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectCity

    project = factory.SubFactory(ProjectFactory)
    city = factory.SubFactory(CityFactory)
    role = "partner"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = synthetic_slug("organization")
    name_en = synthetic_name("Organization")
    kind = OrganizationKind.NGO


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    slug = synthetic_slug("programme")
    name_en = synthetic_name("Programme")
    network = factory.SubFactory(NetworkFactory)


class ProjectOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectOrganization

    project = factory.SubFactory(ProjectFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "funder"
    amount = Decimal("1000.00")
    currency = "USD"


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalBloc

    slug = synthetic_slug("bloc")
    name_en = synthetic_name("Bloc")
    acronym = factory.Sequence(lambda n: f"SB{n}")
    founded = "1990"


class BlocParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlocParticipation

    bloc = factory.SubFactory(BlocFactory)
    country = factory.SubFactory(CountryFactory)
    # Synthetic countries come from a small pool of user-assigned codes: a start of its own per
    # participation keeps two of them from being one participation twice (blocparticipation_unique).
    start = factory.Sequence(lambda n: f"{1950 + n % 70}-{1 + (n // 70) % 12:02d}")


class TwinningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Twinning

    city_a = factory.SubFactory(CityFactory)
    city_b = factory.SubFactory(CityFactory)
    start = factory.Sequence(lambda n: f"{1950 + n % 70}")
