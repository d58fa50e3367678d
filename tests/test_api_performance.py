"""The API's fast paths give exactly what the plain DRF machinery gives, and pay their set-up
once per request: serializers planned once (core.api.rows), URLs from one reverse() per
resource, page counts cached by content version, exports streamed by one row writer."""

import contextlib
import json

import pytest
from django.urls import reverse
from rest_framework import serializers

from core.api import fields as api_fields
from core.api import serializers as api_serializers
from core.api import views as api_views
from core.api.keys import record_key
from core.api.rows import plan_of

from .helpers import LANGUAGES, body
from .test_api import LIST_ENDPOINTS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


@contextlib.contextmanager
def plain_drf(monkeypatch):
    """The serializers as DRF runs them without the plans: every field through its own
    ``get_attribute``/``to_representation``, a summary serializer per related object, one
    ``reverse()`` per URL (the reference the fast path must equal)."""

    def summary(self, value):
        return self.summary_class(value, context=self.context).data

    def url(self, instance):
        path = reverse(f"api:{self.basename}-detail", kwargs={"key": record_key(instance)})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    with monkeypatch.context() as patch:
        patch.setattr(api_views, "values_plan", lambda serializer_class: None)
        patch.setattr(api_serializers.RecordSerializer, "to_representation", serializers.Serializer.to_representation)
        patch.setattr(api_fields.SummaryField, "to_representation", summary)
        patch.setattr(api_serializers.RecordURLField, "to_representation", url)
        yield


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("resource", LIST_ENDPOINTS)
def test_every_list_gives_what_plain_drf_gives(api, monkeypatch, resource, language):
    address = f"/api/v1/{resource}/"
    params = {"page_size": 500, "lang": language}
    fast = api.get(address, params)
    with plain_drf(monkeypatch):
        plain = api.get(address, params)
    assert fast.status_code == plain.status_code == 200
    assert json.loads(fast.content) == json.loads(plain.content)
    assert fast.content == plain.content  # same keys in the same order, byte for byte


def test_every_api_serializer_is_planned_whole():
    """No field of an API serializer falls back to per-request resolution (a new kind of field
    would be slow until core.api.rows knows it)."""
    from paradiplo.api_urls import router

    for _prefix, viewset, _basename in router.registry:
        seen, todo = set(), [viewset.serializer_class]
        while todo:
            serializer_class = todo.pop()
            if serializer_class in seen:
                continue
            seen.add(serializer_class)
            plan = plan_of(serializer_class)
            assert plan.unplanned == [], (serializer_class.__name__, plan.unplanned)
            todo += [step.child for step in plan.steps if step.child is not None]


# Serializers built once per request -----------------------------------------------------------

#: Serializers built by one list request (after the process's first, which plans the classes):
#: none for a list read as values (core.api.values), the list and its child for one read as
#: instances (membership figures: a share is a property of the instance); networks: read as
#: instances too (``coverage`` is a method field of the annotated network, #11), with the
#: serializer that binds the method field.
SERIALIZERS_PER_LIST = {"cities": 0, "memberships": 0, "projects": 0, "networks": 3, "membership-figures": 2}


@pytest.fixture
def construction_counter(monkeypatch):
    """Counts serializer constructions and ``get_fields`` calls."""
    counts = {"serializers": 0, "get_fields": 0}
    init, get_fields = serializers.BaseSerializer.__init__, serializers.ModelSerializer.get_fields

    def counting_init(self, *args, **kwargs):
        counts["serializers"] += 1
        init(self, *args, **kwargs)

    def counting_get_fields(self):
        counts["get_fields"] += 1
        return get_fields(self)

    monkeypatch.setattr(serializers.BaseSerializer, "__init__", counting_init)
    monkeypatch.setattr(serializers.ModelSerializer, "get_fields", counting_get_fields)
    return counts


@pytest.mark.parametrize("resource", SERIALIZERS_PER_LIST)
def test_a_list_builds_its_serializers_once_whatever_its_size(api, construction_counter, resource):
    address = f"/api/v1/{resource}/"
    api.get(address, {"page_size": 1})  # the process's first request plans the classes
    seen = []
    for size in (5, 100):
        construction_counter.update(serializers=0, get_fields=0)
        response = api.get(address, {"page_size": size})
        assert response.status_code == 200
        seen.append(dict(construction_counter))
    assert len(response.json()["results"]) > 5
    expected = {"serializers": SERIALIZERS_PER_LIST[resource], "get_fields": 0}
    assert seen == [expected, expected]


@pytest.mark.parametrize("resource", LIST_ENDPOINTS)
def test_every_export_gives_what_plain_drf_gives(api, monkeypatch, resource):
    """The CSV read straight from the rows (core.api.values) is the CSV of the records' data as
    plain DRF gives it, flattened; so is the GeoJSON where there is one."""
    address = f"/api/v1/{resource}/"
    for fmt in ("csv", "geojson"):
        fast = api.get(address, {"format": fmt})
        if fast.status_code == 404:  # no GeoJSON for records without a place
            continue
        with plain_drf(monkeypatch):
            plain = api.get(address, {"format": fmt})
        assert fast.status_code == plain.status_code == 200
        assert body(fast) == body(plain)


# Lists without filter parameters ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_filterset_filters_anything_without_its_parameters(language):
    """The API skips a resource's FilterSet when the request names none of its parameters
    (core.api.filters.FilterBackend): that must be what the FilterSet would have given."""
    from django.utils import translation

    from paradiplo.api_urls import router

    with translation.override(language):
        for _prefix, viewset, _basename in router.registry:
            queryset = viewset().get_queryset()
            filterset = viewset.filterset_class({}, queryset, api=True)
            assert filterset.is_valid(), (viewset.__name__, filterset.errors)
            assert str(filterset.qs.query) == str(queryset.query), viewset.__name__


def test_a_parameter_of_a_filter_is_never_skipped(api):
    """Each filter's own parameter, and a widget's (``year_min``), reaches the FilterSet."""
    from core.api.filters import names_a_filter
    from networks.filters import MembershipFilter

    assert names_a_filter({"network": "x"}, MembershipFilter)
    assert names_a_filter({"updated_since": "2020-01-01"}, MembershipFilter)
    assert not names_a_filter({"page_size": "5", "lang": "es", "format": "json"}, MembershipFilter)
    assert api.get("/api/v1/memberships/", {"network": "no-such-network"}).status_code == 400


# Rate limits ------------------------------------------------------------------------------------


class CacheSpy:
    """The default cache, noting the keys read and written."""

    def __init__(self):
        from django.core.cache import cache

        self.cache, self.keys = cache, []

    def get(self, key, default=None):
        self.keys.append(key)
        return self.cache.get(key, default)

    def set(self, key, value, timeout=None):
        self.keys.append(key)
        self.cache.set(key, value, timeout)


def test_the_signed_in_rate_leaves_anonymous_requests_alone(rf, django_user_model, monkeypatch):
    """core.api.throttling.SignedInRateThrottle counts signed-in users only: an anonymous
    request costs it no cache round trip (the anonymous rate limits it)."""
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.request import Request

    from core.api.throttling import SignedInRateThrottle

    spy = CacheSpy()
    monkeypatch.setattr(SignedInRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    monkeypatch.setattr(SignedInRateThrottle, "cache", spy)

    anonymous = Request(rf.get("/api/v1/sdgs/"))
    anonymous.user = AnonymousUser()
    assert all(SignedInRateThrottle().allow_request(anonymous, None) for _ in range(5))
    assert spy.keys == []

    signed_in = Request(rf.get("/api/v1/sdgs/"))
    signed_in.user = django_user_model.objects.create_user("synthetic-partner")
    assert [SignedInRateThrottle().allow_request(signed_in, None) for _ in range(3)] == [True, True, False]
    assert spy.keys


# Edge cases of the fast paths -------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "pt"])
def test_unusual_records_come_out_as_plain_drf_gives_them(api, monkeypatch, language):
    """Synthetic records the real data lacks: a city known in French only, one without country,
    keys that need quoting or would make a dot segment of the URL, a null decimal."""
    from cities.models import City

    from .factories import CityFactory, CountryFactory

    country = CountryFactory(code="XQ")
    CityFactory(slug="synthetic-french-xq", name_en=None, name_fr="Ville synthétique", country=country)
    CityFactory(slug="synthétique-ü-xq", name_en="Synthetic accented key", country=country)
    CityFactory(slug="..", name_en="Synthetic dot-dot key", country=country)
    CityFactory(slug="synthetic 50% key?#", name_en="Synthetic quoted key", country=country)
    CityFactory(slug="synthetic-nowhere", name_en="Synthetic city without country", country=None)
    City.objects.filter(slug="synthetic-nowhere").update(latitude=None, longitude=None)
    for params in ({"country": "XQ"}, {"q": "synthetic nowhere"}):
        params = {**params, "lang": language, "page_size": 50}
        fast = api.get("/api/v1/cities/", params)
        with plain_drf(monkeypatch):
            plain = api.get("/api/v1/cities/", params)
        assert fast.status_code == plain.status_code == 200
        assert fast.content == plain.content
        assert json.loads(fast.content)["results"], params


def test_cities_are_ordered_by_their_name_in_the_language_only_when_asked(api):
    """The name to sort by is annotated for ``?ordering=name`` alone (building it cost more than
    the rest of the list's query on every request): without it, the key's order."""
    from .factories import CityFactory, CountryFactory

    country = CountryFactory(code="XQ")
    CityFactory(
        slug="synthetic-order-a", name_en="Synthetic Zeta city", name_es="Ciudad sintética Alfa", country=country
    )
    CityFactory(slug="synthetic-order-b", name_en="Synthetic Alpha city", name_es=None, country=country)

    def keys(**params):
        response = api.get("/api/v1/cities/", {"country": "XQ", **params})
        assert response.status_code == 200, response.content
        return [row["key"] for row in response.json()["results"]]

    assert keys() == ["synthetic-order-a", "synthetic-order-b"]
    assert keys(ordering="name", lang="en") == ["synthetic-order-b", "synthetic-order-a"]
    assert keys(ordering="-name", lang="en") == ["synthetic-order-a", "synthetic-order-b"]
    # Spanish: "Ciudad sintética Alfa" before the English fallback "Synthetic Alpha city".
    assert keys(ordering="name", lang="es") == ["synthetic-order-a", "synthetic-order-b"]
    assert keys(ordering="population,name", lang="en") == ["synthetic-order-b", "synthetic-order-a"]


def test_the_count_key_leaves_the_columns_out_unless_they_decide_the_count():
    from cities.models import City
    from core.api.pagination import count_key

    cities = City.objects.order_by("slug")
    assert count_key(cities.values_list("slug")) == count_key(cities.values_list("name_en", "population")) is not None
    assert count_key(cities.filter(level="city")) != count_key(cities.filter(level="province"))
    assert count_key(cities.filter(country__code="UY")) != count_key(cities)
    distinct = cities.values_list("country_id").distinct()
    assert count_key(distinct) != count_key(cities.values_list("level").distinct()) != count_key(cities)
    assert count_key(cities.none()) is None
