import datetime

import pytest

from networks.models import Membership, Office

from .factories import MembershipFactory, NetworkFactory, OfficeFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def members_on(network, day):
    return set(Membership.objects.filter(network=network).as_of(day).values_list("city__slug", flat=True))


def test_a_city_that_joined_in_2003_is_a_member_on_2003_12_31_and_all_of_2003():
    membership = MembershipFactory(start="2003")
    assert membership.city.slug in members_on(membership.network, D(2003, 12, 31))
    assert membership.city.slug in members_on(membership.network, D(2003, 1, 1))
    assert membership.city.slug not in members_on(membership.network, D(2002, 12, 31))


def test_member_who_left_in_2010_is_not_listed_as_of_2012():
    membership = MembershipFactory(start="2001", end="2010")
    assert membership.city.slug in members_on(membership.network, D(2010, 12, 31))
    assert membership.city.slug not in members_on(membership.network, D(2011, 1, 1))
    assert membership.city.slug not in members_on(membership.network, D(2012, 6, 1))


def test_an_end_known_to_the_month_counts_to_the_end_of_that_month():
    membership = MembershipFactory(start="2001-03-15", end="2008-06")
    network, slug = membership.network, membership.city.slug
    assert slug not in members_on(network, D(2001, 3, 14))
    assert slug in members_on(network, D(2001, 3, 15))
    assert slug in members_on(network, D(2008, 6, 30))
    assert slug not in members_on(network, D(2008, 7, 1))


def test_an_unknown_start_counts_from_the_first_attestation():
    membership = MembershipFactory(start=None, first_attested="2019")
    assert membership.city.slug in members_on(membership.network, D(2019, 1, 1))
    assert membership.city.slug not in members_on(membership.network, D(2018, 12, 31))


def test_undated_evidence_counts_as_a_current_member_but_never_on_a_past_date():
    membership = MembershipFactory(start=None, first_attested=None)
    assert membership.city.slug not in members_on(membership.network, D(2000, 1, 1))
    assert Membership.objects.filter(pk=membership.pk).current().exists()


def test_current_past_and_future():
    network = NetworkFactory()
    ongoing = MembershipFactory(network=network, start="2000")
    ended = MembershipFactory(network=network, start="2000", end="2001")
    later = MembershipFactory(network=network, start="2100")
    today = D(2026, 11, 23)
    assert set(Membership.objects.filter(network=network).current(on=today)) == {ongoing}
    assert set(Membership.objects.filter(network=network).past(on=today)) == {ended}
    assert set(Membership.objects.filter(network=network).future(on=today)) == {later}


def test_as_of_accepts_an_iso_string():
    membership = MembershipFactory(start="1999-05-05")
    assert Membership.objects.filter(pk=membership.pk).as_of("1999-05-05").exists()


def test_offices_share_the_same_period_queries():
    office = OfficeFactory(start="2006-12-01", end="2008-06-18")
    queryset = Office.objects.filter(pk=office.pk)
    assert queryset.as_of(D(2008, 6, 18)).exists()
    assert not queryset.as_of(D(2008, 6, 19)).exists()
    assert queryset.during_year(2006).exists() and queryset.during_year(2008).exists()
    assert not queryset.during_year(2009).exists()


def test_in_memory_check_agrees_with_the_query():
    membership = MembershipFactory(start="2003-05", end="2004")
    for day in [D(2003, 4, 30), D(2003, 5, 1), D(2004, 12, 31), D(2005, 1, 1)]:
        in_query = Membership.objects.filter(pk=membership.pk).as_of(day).exists()
        assert membership.is_in_force(day) == in_query, day
