"""tests/snapshots.py, which the browser tests use to put the real data back after each test: a
copy taken of the database is put back as it was, after the database was emptied (as a
transactional test's end empties it), and new rows get new ids afterwards."""

import pytest
from django.core.management import call_command
from django.db import connection

from cities.models import City, Country
from networks.models import Membership

from . import snapshots
from .factories import CityFactory, CountryFactory, MembershipFactory, NetworkFactory


def rows():
    return (
        sorted(Country.objects.values_list("pk", "code", "name_en")),
        sorted(City.objects.values_list("pk", "slug", "name_en", "country_id")),
        sorted(Membership.objects.values_list("pk", "network_id", "city_id", "start")),
    )


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_is_put_back_after_a_flush_and_new_rows_get_new_ids():
    assert snapshots.supported(connection)  # SQLite, and PostgreSQL as a superuser (the suite's)
    country = CountryFactory(code="XQ", name_en="Synthetic snapshot country")
    network = NetworkFactory(slug="synthetic-snapshot-network")
    for n in range(3):
        MembershipFactory(network=network, city=CityFactory(country=country, name_en=f"Synthetic city {n}"))
    taken = rows()

    saved = snapshots.take(connection)
    City.objects.filter(name_en="Synthetic city 1").update(name_en="Synthetic city renamed")
    call_command("flush", interactive=False, verbosity=0)  # also starts the ids again from 1
    assert rows() == ([], [], [])

    snapshots.restore(connection, saved)
    assert rows() == taken
    assert City.objects.get(name_en="Synthetic city 1").country.code == "XQ"

    # The sequences were moved past the ids put back: new rows do not collide with them.
    city = CityFactory(country=Country.objects.get(code="XQ"))
    assert city.pk > max(pk for pk, *_ in taken[1])
    MembershipFactory(network=network, city=city)
    assert Membership.objects.count() == 4
