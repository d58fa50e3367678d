"""Typed factories for synthetic test records. Everything they make is labelled synthetic
(codes in ISO 3166's user-assigned ranges, "Synthetic …" names) and never enters the fixtures."""

import itertools
import string

import factory

from cities.models import City, Country
from networks.models import Membership, MembershipFigure, Network, Office, Role, Summit, ThematicUnit
from projects.models import Project
from sources.models import Source

# ISO 3166-1 reserves XA–XZ and QM–QZ for user-assigned codes: no real country uses them.
USER_ASSIGNED_CODES = [f"X{letter}" for letter in string.ascii_uppercase] + [
    f"Q{letter}" for letter in "MNOPQRSTUVWXYZ"
]


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(itertools.cycle(USER_ASSIGNED_CODES))
    name_en = factory.LazyAttribute(lambda o: f"Synthetic country {o.code}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    slug = factory.Sequence(lambda n: f"synthetic-city-{n}")
    name_en = factory.Sequence(lambda n: f"Synthetic City {n}")
    country = factory.SubFactory(CountryFactory)
    latitude = "-34.90000"
    longitude = "-56.20000"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"synthetic-source-{n}")
    title = factory.Sequence(lambda n: f"Synthetic source {n}")
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    slug = factory.Sequence(lambda n: f"synthetic-network-{n}")
    name_en = factory.Sequence(lambda n: f"Synthetic Network {n}")
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

    slug = factory.Sequence(lambda n: f"synthetic-project-{n}")
    title_en = factory.Sequence(lambda n: f"Synthetic project {n}")
