"""Sync that never loses a row (#15): the cursor walks ``(updated_at, id)``, the deletion feed lists
what was deleted, and a partner mirroring the API with both ends with exactly the server's
records while records are edited, made and deleted during its walk. Synthetic factory data."""

import datetime
import time
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from django.utils.http import http_date

from core.api.keys import record_key
from core.models import Tombstone
from networks.models import Membership, Network

from .factories import CityFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

RESOURCES = ["networks", "cities", "memberships"]
#: Queries of one page of the deletion feed, whatever the number of tombstones.
DELETED_FEED_QUERIES = 1


@pytest.fixture(autouse=True)
def no_api_rate_limit(monkeypatch):
    """A mirror walks many pages in a few seconds: the anonymous rate limit is not what is tested."""
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


@pytest.fixture
def loaded():
    """Networks, cities and memberships sharing one updated_at, as records loaded together do. The
    time is now, after the real data a session may have loaded: the mirrors below start from it
    (``updated_since``), so they copy these records only."""
    networks = NetworkFactory.create_batch(12)
    cities = CityFactory.create_batch(9)
    for number, network in enumerate(networks):
        for city in cities[number % 3 :: 3]:
            MembershipFactory(network=network, city=city)
    moment = timezone.now()
    Network.objects.filter(pk__in=[n.pk for n in networks]).update(updated_at=moment)
    type(cities[0]).objects.filter(pk__in=[c.pk for c in cities]).update(updated_at=moment)
    Membership.objects.filter(network__in=networks).update(updated_at=moment)
    return networks, cities, moment


def rename(network, slug):
    """A curator renames a network's slug (its key), as any write path does."""
    renamed = Network.objects.get(pk=network.pk)
    renamed.slug = slug
    renamed.save()


def correct_start(membership):
    corrected = Membership.objects.get(pk=membership.pk)
    corrected.start = "1990-01-02"
    corrected.save()


def parse(stamp: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(stamp)


class Mirror:
    """A partner's copy of the API, kept by the cursor and the deletion feed (the algorithm of
    core/api/sync.py's docstring)."""

    def __init__(self, api, since, page_size=4):
        self.api, self.page_size = api, page_size
        self.rows = {resource: {} for resource in RESOURCES}
        self.updated_since = dict.fromkeys(RESOURCES, since.isoformat())
        self.deleted_since = since.isoformat()
        self.pages = 0

    def walk(self, url, params, each_page):
        response = self.api.get(url, params)
        while True:
            assert response.status_code == 200, response.content[:300]
            data = response.json()
            self.pages += 1
            assert self.pages < 200, "the walk does not end"
            yield data["results"]
            each_page(self)
            if not data["next"]:
                return
            response = self.api.get(data["next"])

    def sync(self, each_page=lambda mirror: None):
        for resource in RESOURCES:
            params = {"mode": "cursor", "page_size": self.page_size}
            if resource in self.updated_since:
                params["updated_since"] = self.updated_since[resource]
            for rows in self.walk(f"/api/v1/{resource}/", params, each_page):
                for row in rows:
                    self.rows[resource][row["key"]] = row
                    self.updated_since[resource] = row["updated_at"]
        params = {"page_size": self.page_size} | ({"since": self.deleted_since} if self.deleted_since else {})
        for rows in self.walk("/api/v1/deleted/", params, each_page):
            for row in rows:
                # A renamed record (replaced_by) is removed under its old key like a deleted one:
                # it comes under its new key in the cursor walk.
                held = self.rows[row["resource"]].get(row["key"])
                if held is not None and parse(held["updated_at"]) < parse(row["deleted_at"]):
                    del self.rows[row["resource"]][row["key"]]
                self.deleted_since = row["deleted_at"]

    def state(self):
        return {resource: {key: row["updated_at"] for key, row in rows.items()} for resource, rows in self.rows.items()}


def server_state(api, since):
    """Every record of the server changed since ``since``, in pages of 500 while nothing changes."""
    state = {}
    for resource in RESOURCES:
        rows, url = [], f"/api/v1/{resource}/?" + urlencode({"page_size": 500, "updated_since": since.isoformat()})
        while url:
            data = api.get(url).json()
            rows += data["results"]
            url = data["next"]
        state[resource] = {row["key"]: row["updated_at"] for row in rows}
    return state


def test_a_mirror_ends_with_exactly_the_servers_records_while_they_change(api, loaded):
    networks, cities, moment = loaded
    events = iter(
        [
            # After the first page of networks: one seen and one unseen network edited, one seen
            # and one unseen deleted (with their memberships), one made.
            lambda: [network.save() for network in (networks[0], networks[9])],
            lambda: Network.objects.get(pk=networks[1].pk).delete(),
            lambda: Network.objects.get(pk=networks[10].pk).delete(),
            lambda: NetworkFactory(),
            # Cities: one seen edited while the walk goes on; memberships made and deleted.
            lambda: cities[0].save(),
            lambda: MembershipFactory(network=networks[2], city=cities[1]),
            lambda: Membership.objects.filter(network=networks[3]).first().delete(),
            lambda: Membership.objects.filter(network=networks[11]).last().save(),
            # A network renamed (its key changes: the old one is tombstoned with replaced_by) and
            # a membership's start corrected (its key stays), while the walk goes on.
            lambda: rename(networks[6], "synthetic-renamed-during-walk"),
            lambda: correct_start(corrected),
            lambda: rename(networks[7], "synthetic-renamed-late"),
        ]
    )
    corrected = Membership.objects.filter(network=networks[8]).first()
    corrected_key = record_key(corrected)

    def one_event_per_page(mirror):
        event = next(events, None)
        if event is not None:
            event()

    mirror = Mirror(api, since=moment)
    mirror.sync(each_page=one_event_per_page)
    assert next(events, None) is None, "every event happened during the walk"
    # One pass leaves the mirror behind only by what changed after its walk of a resource; the
    # next (incremental) sync catches up, as a partner's next run would.
    mirror.sync()
    assert mirror.state() == server_state(api, moment)
    assert len(mirror.rows["networks"]) == 11
    assert {"synthetic-renamed-during-walk", "synthetic-renamed-late"} <= set(mirror.rows["networks"])
    assert not {networks[6].slug, networks[7].slug} & set(mirror.rows["networks"])
    assert mirror.rows["memberships"][corrected_key]["start"] == "1990-01-02"
    # A second round of changes, then an incremental sync, which reads only what changed.
    Network.objects.get(pk=networks[4].pk).delete()
    networks[5].save()
    pages_before = mirror.pages
    mirror.sync()
    assert mirror.state() == server_state(api, moment)
    assert mirror.pages - pages_before < 12


def test_the_cursor_skips_no_row_when_a_seen_row_changes_among_rows_sharing_a_time(api, loaded):
    """The bug of #15: REST framework's cursor counts an offset among rows of one updated_at, so
    a row that left the group (changed) shifted the others and one was skipped."""
    expected = set(Network.objects.values_list("slug", flat=True))
    seen, url, changed = [], "/api/v1/networks/?mode=cursor&page_size=3", False
    while url:
        data = api.get(url).json()
        seen += [row["slug"] for row in data["results"]]
        if not changed:
            Network.objects.get(slug=seen[0]).save()  # seen already: moves to the end
            changed = True
        url = data["next"]
    assert set(seen) == expected
    assert len(seen) == len(expected) + 1  # the changed row came again, with its new time
    assert seen[-1] == seen[0]


def test_a_bad_cursor_is_a_400_naming_it(api, loaded):
    for bad in ["garbage", "MjAyNi0wMS0wMVQwMDowMDowMHwx", "MjAyNi0wMS0wMVQwMDowMDowMCswMDowMHx4"]:
        response = api.get("/api/v1/networks/", {"mode": "cursor", "cursor": bad})
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["attr"] == "cursor"


def test_every_deleted_record_has_a_tombstone_in_the_feed(api, loaded):
    networks, _cities, _moment = loaded
    memberships = [record_key(m) for m in Membership.objects.filter(network=networks[0]).select_related("city")]
    assert memberships
    before = timezone.now()
    Network.objects.get(pk=networks[0].pk).delete()  # its memberships go with it
    rows = api.get("/api/v1/deleted/").json()["results"]
    assert {(row["resource"], row["key"]) for row in rows} == {("networks", networks[0].slug)} | {
        ("memberships", key) for key in memberships
    }
    assert all(parse(row["deleted_at"]) >= before for row in rows)
    only_networks = api.get("/api/v1/deleted/", {"resource": "networks"}).json()["results"]
    assert [row["key"] for row in only_networks] == [networks[0].slug]
    assert api.get("/api/v1/deleted/", {"since": timezone.now().isoformat()}).json()["results"] == []


def test_a_rolled_back_delete_leaves_no_tombstone(loaded):
    from django.db import transaction

    networks, _cities, _moment = loaded
    with pytest.raises(RuntimeError), transaction.atomic():
        Network.objects.get(pk=networks[0].pk).delete()
        raise RuntimeError
    assert not Tombstone.objects.exists()


def test_bad_feed_parameters_are_400s_naming_them(api, loaded):
    assert api.get("/api/v1/deleted/", {"since": "2026-13-01"}).json()["errors"][0]["attr"] == "since"
    response = api.get("/api/v1/deleted/", {"resource": "bogus"})
    assert response.status_code == 400 and "memberships" in response.json()["errors"][0]["detail"]
    assert api.get("/api/v1/deleted/", {"cursor": "garbage"}).json()["errors"][0]["attr"] == "cursor"


@pytest.mark.parametrize("deleted", [3, 30])
def test_the_deletion_feed_runs_a_fixed_number_of_queries(api, loaded, deleted, django_assert_num_queries):
    for membership in Membership.objects.all()[:deleted]:
        membership.delete()
    with django_assert_num_queries(DELETED_FEED_QUERIES):
        response = api.get("/api/v1/deleted/", {"page_size": 100})
    assert len(response.json()["results"]) == min(deleted, Membership.objects.count() + deleted)


def test_if_modified_since_never_answers_a_stale_304(api, loaded):
    """The API sends no Last-Modified (a page's newest updated_at misses deletions and nested
    changes); its ETag, a digest of the body, changes with them."""
    networks, _cities, _moment = loaded
    first = api.get(f"/api/v1/networks/{networks[0].slug}/")
    assert first["ETag"] and not first.has_header("Last-Modified")
    later = http_date(time.time() + 3600)
    assert api.get(f"/api/v1/networks/{networks[0].slug}/", HTTP_IF_MODIFIED_SINCE=later).status_code == 200
    listing = api.get("/api/v1/memberships/")
    assert not listing.has_header("Last-Modified")
    Membership.objects.first().delete()  # no remaining row's updated_at changes
    again = api.get("/api/v1/memberships/", HTTP_IF_NONE_MATCH=listing["ETag"], HTTP_IF_MODIFIED_SINCE=later)
    assert again.status_code == 200
