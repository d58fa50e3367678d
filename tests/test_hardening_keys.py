"""Keys partners can keep (#15): unique by construction and stable. A record whose key is compound
(a membership: network, city, start) keeps the key it was given when a date or a number in it is
corrected, or a parent's slug renamed; a record identified by its slug (a network, a city) gets a
new key when the slug is renamed, and its old key redirects (API and pages) and is tombstoned with
``replaced_by``. Synthetic factory data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import pre_delete
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cities.models import City
from core import migration_keys, services
from core.api.keys import record_key
from core.models import KeyAlias, Tombstone
from networks.models import Membership, MembershipFigure, Network

from .factories import CityFactory, MembershipFactory, MembershipFigureFactory, NetworkFactory, OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(django_user_model):
    user = django_user_model.objects.create_user("synthetic-curator", password="a-long-password-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="curate_all"))
    return user


@pytest.fixture
def writer(curator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=curator)[0].key}")
    return client


@pytest.fixture
def membership():
    network = NetworkFactory(slug="synthetic-keys-network")
    city = CityFactory(slug="synthetic-keys-city")
    return MembershipFactory(network=network, city=city, start="1995-11-11")


KEY = "synthetic-keys-network~synthetic-keys-city~1995-11-11"


# --- stable keys ------------------------------------------------------------------------------


def test_a_compound_key_is_stored_when_the_record_is_made(membership):
    assert membership.key == KEY
    assert record_key(membership) == KEY
    assert Membership.objects.filter(key=KEY).count() == 1


def test_correcting_a_membership_start_keeps_its_key(api, writer, membership):
    response = writer.patch(f"/api/v1/memberships/{KEY}/", {"start": "1995-12-01"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["key"] == KEY
    detail = api.get(f"/api/v1/memberships/{KEY}/")
    assert detail.status_code == 200
    assert (detail.json()["key"], detail.json()["start"]) == (KEY, "1995-12-01")
    mine = {"network": "synthetic-keys-network"}  # the real data may be loaded too
    assert [row["key"] for row in api.get("/api/v1/memberships/", mine).json()["results"]] == [KEY]
    cursor = api.get("/api/v1/memberships/", {"mode": "cursor", **mine}).json()["results"]
    assert [row["key"] for row in cursor] == [KEY]
    assert not Tombstone.objects.exists()  # nothing was renamed


def test_a_natural_key_built_from_todays_values_redirects_to_the_stored_key(api, membership):
    membership.start = "1995-12-01"
    services.save_record(membership)
    built = "synthetic-keys-network~synthetic-keys-city~1995-12-01"
    response = api.get(f"/api/v1/memberships/{built}/")
    assert response.status_code == 301
    assert response["Location"] == f"http://testserver/api/v1/memberships/{KEY}/"
    assert api.get("/api/v1/memberships/synthetic-keys-network~synthetic-keys-city~1990/").status_code == 404


def test_renaming_a_network_leaves_the_keys_of_its_records(api, writer, membership):
    response = writer.patch("/api/v1/networks/synthetic-keys-network/", {"slug": "synthetic-renamed"}, format="json")
    assert response.status_code == 200, response.content
    data = api.get(f"/api/v1/memberships/{KEY}/").json()
    assert data["key"] == KEY
    assert data["network"]["key"] == "synthetic-renamed"


def test_a_number_corrected_keeps_the_figures_key():
    figure = MembershipFigureFactory(network__slug="synthetic-figures", date="2020-04-13", members=366)
    figure.members = 365
    services.save_record(figure)
    figure.refresh_from_db()
    assert figure.key == "synthetic-figures~2020-04-13~366"


def test_a_new_record_whose_natural_key_another_holds_gets_the_first_free_suffix(membership):
    membership.start, membership.end = "1996", None
    services.save_record(membership)
    earlier = services.save_record(
        Membership(network=membership.network, city=membership.city, start="1995-11-11", end="1995-12-31")
    )
    assert earlier.key == f"{KEY}~2"
    assert record_key(earlier) != record_key(membership)


def test_the_stored_key_cannot_be_written_through_the_api_or_the_admin(writer, client, curator, membership):
    response = writer.patch(f"/api/v1/memberships/{KEY}/", {"key": "something-else"}, format="json")
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.key == KEY
    client.force_login(curator)
    page = client.get(f"/admin/networks/membership/{membership.pk}/change/")
    assert page.status_code == 200
    assert 'name="key"' not in page.content.decode()


def test_two_records_cannot_share_a_key(membership):
    other = MembershipFactory(network=membership.network, start="2001")
    other.key = KEY
    with pytest.raises(Exception) as refused:
        other.full_clean()
    assert "keys cannot be shared" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=other.pk).update(key=KEY)


def test_two_undated_figures_of_one_size_are_refused_through_the_api_with_a_clear_error(writer):
    network = NetworkFactory(slug="synthetic-undated")
    MembershipFigureFactory(network=network, date=None, members=40)
    response = writer.post(
        "/api/v1/membership-figures/", {"network": network.slug, "date": None, "members": 40}, format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert any("already records this figure" in error["detail"] for error in body["errors"])
    assert MembershipFigure.objects.filter(network=network).count() == 1


def test_the_admin_refuses_a_duplicate_figure_with_a_form_error(client, curator):
    network = NetworkFactory(slug="synthetic-undated-admin")
    MembershipFigureFactory(network=network, date=None, members=40)
    client.force_login(curator)
    response = client.post(
        "/admin/networks/membershipfigure/add/",
        {
            "network": network.pk,
            "date": "",
            "members": 40,
            "citations-TOTAL_FORMS": 0,
            "citations-INITIAL_FORMS": 0,
            "by_country-TOTAL_FORMS": 0,
            "by_country-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form again, not a redirect
    assert "already records this figure" in response.content.decode()
    assert MembershipFigure.objects.filter(network=network).count() == 1


# --- renamed slugs ----------------------------------------------------------------------------


def test_a_renamed_networks_old_key_redirects_and_is_tombstoned(api, writer, membership):
    response = writer.patch("/api/v1/networks/synthetic-keys-network/", {"slug": "synthetic-renamed"}, format="json")
    assert response.status_code == 200
    old = api.get("/api/v1/networks/synthetic-keys-network/", {"lang": "es"})
    assert old.status_code == 301
    assert old["Location"] == "http://testserver/api/v1/networks/synthetic-renamed/?lang=es"
    assert api.get("/api/v1/networks/synthetic-renamed/").json()["key"] == "synthetic-renamed"
    # A write on the old key is refused, naming the new one (the client must learn it first).
    refused = writer.patch("/api/v1/networks/synthetic-keys-network/", {"acronym": "X"}, format="json")
    assert refused.status_code == 404
    assert refused.json()["errors"][0]["code"] == "renamed"
    assert "synthetic-renamed" in refused.json()["errors"][0]["detail"]
    rows = api.get("/api/v1/deleted/").json()["results"]
    assert [(row["resource"], row["key"], row["replaced_by"]) for row in rows] == [
        ("networks", "synthetic-keys-network", "synthetic-renamed")
    ]
    # The public pages too, in their language.
    page = api.get("/es/networks/synthetic-keys-network/members/")
    assert (page.status_code, page["Location"]) == (301, "/es/networks/synthetic-renamed/members/")
    assert api.get("/en/networks/nothing-like-this/").status_code == 404


def test_a_relation_written_by_an_old_key_finds_the_renamed_record(writer, membership):
    writer.patch("/api/v1/networks/synthetic-keys-network/", {"slug": "synthetic-renamed"}, format="json")
    response = writer.post(
        "/api/v1/memberships/",
        {"network": "synthetic-keys-network", "city": CityFactory().slug, "start": "2001"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["network"]["key"] == "synthetic-renamed"


def test_a_city_renamed_in_the_admin_leaves_its_old_page_and_key_redirecting(client, curator, api):
    city = CityFactory(slug="synthetic-old-city")
    client.force_login(curator)
    form = client.get(f"/admin/cities/city/{city.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"slug": "synthetic-new-city", "country": city.country_id})
    for prefix in ("citations",):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(f"/admin/cities/city/{city.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert City.objects.get(pk=city.pk).slug == "synthetic-new-city"
    assert api.get("/en/cities/synthetic-old-city/")["Location"] == "/en/cities/synthetic-new-city/"
    assert api.get("/api/v1/cities/synthetic-old-city/")["Location"].endswith("/api/v1/cities/synthetic-new-city/")
    assert Tombstone.objects.get(model="cities.city").replaced_by == "synthetic-new-city"


def test_a_key_renamed_back_is_nobodys_alias_and_a_reused_old_key_is_the_new_records(api, membership):
    network = membership.network
    network.slug = "synthetic-b"
    network.save()
    network.slug = "synthetic-keys-network"
    network.save()
    assert list(KeyAlias.objects.values_list("old_key", flat=True)) == ["synthetic-b"]
    assert api.get("/api/v1/networks/synthetic-keys-network/").status_code == 200
    network.slug = "synthetic-c"
    network.save()
    NetworkFactory(slug="synthetic-keys-network")  # the old key, reused by another network
    reused = api.get("/api/v1/networks/synthetic-keys-network/")
    assert reused.status_code == 200 and reused.json()["key"] == "synthetic-keys-network"
    assert api.get("/api/v1/networks/synthetic-b/")["Location"].endswith("/synthetic-c/")


def test_a_save_that_keeps_the_slug_writes_no_alias(membership):
    network = Network.objects.get(pk=membership.network_id)
    network.acronym = "SKN"
    network.save()
    Network.objects.get(pk=network.pk).save(update_fields=["acronym"])
    assert not KeyAlias.objects.exists() and not Tombstone.objects.exists()


# --- history ----------------------------------------------------------------------------------


def test_a_restored_membership_keeps_its_key(membership):
    membership.start = "1995-12-01"
    services.save_record(membership)
    pk = membership.pk
    membership.delete()
    assert Tombstone.objects.get().key == KEY
    version = Membership.history.filter(id=pk, history_type="-").get()
    restored, _missing = services.restore_version(version)
    assert restored.key == KEY
    assert not Tombstone.objects.exists()


def test_a_restored_record_whose_key_was_taken_since_gets_a_new_one(membership):
    membership.start = "2005"  # corrected: the key stays
    services.save_record(membership)
    pk, network, city = membership.pk, membership.network, membership.city
    membership.delete()
    taken = MembershipFactory(network=network, city=city, start="1995-11-11", end="1999")
    assert taken.key == KEY  # free again once the membership was deleted
    version = Membership.history.filter(id=pk, history_type="-").get()
    restored, _missing = services.restore_version(version)
    assert restored.key == "synthetic-keys-network~synthetic-keys-city~2005"
    assert list(Tombstone.objects.values_list("key", flat=True)) == [KEY]


def test_undoing_a_date_correction_keeps_the_key(membership):
    membership.start = "1995-12-01"
    services.save_record(membership)
    version = Membership.history.filter(id=membership.pk).order_by("-history_id").first()
    record = services.undo_change(version)
    assert (str(record.start), record.key) == ("1995-11-11", KEY)


def run_filler(app_label, model_name, paths):
    from django.apps import apps

    migration_keys.filler(app_label, model_name, paths)(apps, type("Editor", (), {"connection": connection})())


def test_the_migration_gives_existing_records_the_keys_they_had(membership):
    membership.start = "1995-12-01"  # corrected before the migration: its key then was this one
    Membership.objects.filter(pk=membership.pk).update(start=membership.start, key=None)
    Membership.history.filter(id=membership.pk).update(key=None)
    run_filler("networks", "Membership", ("network__slug", "city__slug", "start"))
    key = Membership.objects.get(pk=membership.pk).key
    assert key == "synthetic-keys-network~synthetic-keys-city~1995-12-01"
    assert set(Membership.history.filter(id=membership.pk).values_list("key", flat=True)) == {key}


def test_the_migration_tells_apart_records_that_shared_a_key_and_keys_deleted_ones_by_their_last_version():
    first = MembershipFigureFactory(network__slug="synthetic-m", date="2020", members=10)
    gone = MembershipFigureFactory(network=first.network, date="2021", members=10)
    third = MembershipFigureFactory(network=first.network, date="2022", members=10)
    gone_pk = gone.pk
    gone.delete()
    MembershipFigure.objects.filter(network=first.network).update(key=None)
    MembershipFigure.history.filter(network=first.network).update(key=None)
    # A natural key of network and size only: the first and third share one.
    run_filler("networks", "MembershipFigure", ("network__slug", "members"))
    assert dict(MembershipFigure.objects.filter(network=first.network).values_list("pk", "key")) == {
        first.pk: "synthetic-m~10",
        third.pk: "synthetic-m~10~2",
    }
    assert set(MembershipFigure.history.filter(network=first.network).values_list("id", "key")) == {
        (first.pk, "synthetic-m~10"),
        (third.pk, "synthetic-m~10~2"),
        (gone_pk, "synthetic-m~10"),
    }


# --- tombstones, set-wise ---------------------------------------------------------------------


def deletion_queries(members: int) -> tuple[int, int]:
    """(tombstone queries, queries reading the records a key names) of deleting a network with
    ``members`` memberships (and an office), the cascade Django runs."""
    network = NetworkFactory()
    for city in CityFactory.create_batch(members):
        MembershipFactory(network=network, city=city)
    OfficeFactory(network=network)
    network = Network.objects.get(pk=network.pk)
    slug = network.slug
    with CaptureQueriesContext(connection) as captured:
        network.delete()
    sql = [query["sql"] for query in captured.captured_queries]
    tombstone = [q for q in sql if "core_tombstone" in q]
    reads = [q for q in sql if q.startswith("SELECT") and ('"cities_city"' in q or '"networks_network"' in q)]
    assert Tombstone.objects.filter(model="networks.membership", key__startswith=f"{slug}~").count() == members
    return len(tombstone), len(reads)


#: Queries a cascade's tombstones cost, however many records it deletes: one INSERT.
TOMBSTONE_QUERIES = 1


def test_a_cascade_writes_its_tombstones_in_one_query_and_reads_no_key():
    small, large = deletion_queries(3), deletion_queries(30)
    assert small[0] == large[0] == TOMBSTONE_QUERIES
    # The keys are read off the deleted records themselves: no query per membership for its
    # network's or city's slug.
    assert small[1] == large[1]


def test_a_failed_deletion_leaves_nothing_to_write_later(membership):
    def fail(sender, **kwargs):
        raise RuntimeError

    # After the tombstone was gathered, before anything was deleted.
    pre_delete.connect(fail, sender=Membership, dispatch_uid="test-fail")
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            Membership.objects.get(pk=membership.pk).delete()
    finally:
        pre_delete.disconnect(dispatch_uid="test-fail", sender=Membership)
    other = MembershipFactory()
    Membership.objects.get(pk=other.pk).delete()
    assert list(Tombstone.objects.values_list("key", flat=True)) == [other.key]
