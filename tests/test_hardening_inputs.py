"""400, never 500 (#15): a corpus of bad inputs (Unicode digits, NUL, huge numbers, malformed
dates, overlong strings, unknown enumeration values) over every API list and every filter of
it, every list page and the admin change lists' filters.

The endpoints and their filters come from the live registries (the API router, the site's URL
patterns, the admin site), so a new endpoint or filter is covered without touching this file.
The database is empty (migrated only): parsing does not need rows, and each case is one
request."""

from __future__ import annotations

import django_filters
import pytest
from django import forms
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from core.browse import BrowseListView
from paradiplo.api_urls import router

pytestmark = pytest.mark.django_db

RESOURCES = [(prefix, viewset) for prefix, viewset, _basename in router.registry]

# Values no parameter of a list takes as a number, a date, a boolean or a choice.
UNICODE_DIGITS = {
    "superscript": "²",
    "arabic-indic": "١٩٩٥",
    "fullwidth": "１９９５",
}
BAD_VALUES = {
    **UNICODE_DIGITS,
    "nul": "\x00",
    "nul-inside": "19\x0095",
    "control": "19\x1b95",
    "huge": "9" * 40,
    "malformed-date": "2023-13-45",
    "date-time-garbage": "2023-02-30T25:61:00+99:00",
    "overlong": "x" * 5000,
    "maybe": "maybe",
    "float": "1.5e308",
}


def strict_filters(viewset) -> dict[str, django_filters.Filter]:
    """The filters of a resource that parse their value (numbers, dates, booleans, choices):
    every one of them must refuse a value it cannot parse."""
    filterset = getattr(viewset, "filterset_class", None)
    if filterset is None:
        return {}
    return {
        name: flt
        for name, flt in filterset.base_filters.items()
        if not issubclass(flt.field_class, forms.CharField) or issubclass(flt.field_class, forms.ChoiceField)
    }


def error_attrs(response) -> set[str]:
    return {error["attr"] for error in response.json()["errors"]}


@pytest.mark.parametrize("label", list(BAD_VALUES))
@pytest.mark.parametrize(("prefix", "viewset"), RESOURCES, ids=[prefix for prefix, _ in RESOURCES])
def test_every_filter_of_every_list_answers_a_bad_value_with_400_never_500(api, prefix, viewset, label):
    filterset = getattr(viewset, "filterset_class", None)
    names = list(filterset.base_filters) if filterset is not None else []
    params = dict.fromkeys(names, BAD_VALUES[label])
    response = api.get(f"/api/v1/{prefix}/", params)
    assert response.status_code in (200, 400), (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    if response.status_code == 400:
        assert response.json()["type"] == "validation_error"
    # A value a parsing filter cannot read is refused by name, never ignored.
    strict = set(strict_filters(viewset)) - {"ordering"}
    if strict and label != "overlong":
        assert response.status_code == 400
        assert strict <= error_attrs(response), strict - error_attrs(response)


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("page_size", "²"),
        ("page_size", "١٠"),
        ("page_size", "9" * 40),
        ("page", "²"),
        ("page", "١"),
        ("page", "0"),
        ("page", "\x00"),
        ("cursor", "garbage"),
        ("cursor", "\x00"),
        ("mode", "bogus"),
        ("updated_since", "2026-13-01T00:00:00Z"),
    ],
)
@pytest.mark.parametrize(("prefix", "viewset"), RESOURCES, ids=[prefix for prefix, _ in RESOURCES])
def test_a_bad_page_size_page_cursor_or_mode_is_a_400_naming_it(api, prefix, viewset, param, value):
    response = api.get(f"/api/v1/{prefix}/", {param: value})
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response.json()["type"] == "validation_error"
    assert param in error_attrs(response)


def test_an_unknown_enumeration_value_names_the_allowed_values(api):
    response = api.get("/api/v1/memberships/", {"category": "bogus", "founding": "maybe"})
    assert response.status_code == 400
    errors = {error["attr"]: error["detail"] for error in response.json()["errors"]}
    assert "full" in errors["category"] and "bogus" in errors["category"]
    assert "true" in errors["founding"] and "false" in errors["founding"]
    response = api.get("/api/v1/networks/", {"mode": "bogus"})
    assert "cursor" in response.json()["errors"][0]["detail"]


def test_good_values_still_filter(api):
    assert api.get("/api/v1/memberships/", {"founding": "true", "at": "1995", "page": "1"}).status_code == 200
    assert api.get("/api/v1/memberships/", {"founding": "false", "mode": "cursor"}).status_code == 200
    assert api.get("/api/v1/cities/", {"page_size": "10", "mode": "page"}).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-resource/", "/api/v1/networks/no-such-network/", "/api/v1/countries/%00/", "/api/nothing"],
)
def test_api_404s_are_json_in_the_error_shape(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["type"] == "client_error"


# Pages ------------------------------------------------------------------------------------


def _list_pages():
    """(name, view class) of every list page among the site's URL patterns."""
    found = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class and issubclass(view_class, BrowseListView) and not pattern.pattern.converters:
                    found.append((pattern.name, view_class))

    walk(get_resolver().url_patterns)
    return sorted(set(found), key=lambda item: item[0])


LIST_PAGES = _list_pages()


def test_the_page_registry_is_found():
    assert len(LIST_PAGES) >= 8


@pytest.mark.parametrize("label", ["superscript", "arabic-indic", "nul", "huge", "malformed-date", "maybe"])
@pytest.mark.parametrize(("name", "view_class"), LIST_PAGES, ids=[name for name, _ in LIST_PAGES])
def test_list_pages_show_bad_filter_values_as_form_errors_never_500(client, name, view_class, label):
    filterset = view_class.filterset_class
    names = list(getattr(filterset, "page_filters", {}) or filterset.base_filters)
    params = {**dict.fromkeys(names, BAD_VALUES[label]), "page": BAD_VALUES[label]}
    with translation.override("en"):
        address = reverse(name)
    response = client.get(address, params)
    assert response.status_code in (200, 400), response.status_code


@pytest.mark.parametrize("path", ["/en/countries/%00/", "/en/cities/%00/", "/en/networks/%00/", "/en/sources/%00/"])
def test_a_nul_in_a_page_address_is_a_404(client, path):
    assert client.get(path).status_code == 404


# Admin change lists -----------------------------------------------------------------------


def own_list_filters(model_admin) -> list[str]:
    """The parameters of the admin's own list filters (year filters, worklist conditions)."""
    return [
        list_filter.parameter_name
        for list_filter in model_admin.list_filter
        if isinstance(list_filter, type) and issubclass(list_filter, admin.SimpleListFilter)
    ]


ADMINS = sorted(
    ((model, model_admin) for model, model_admin in admin.site._registry.items() if own_list_filters(model_admin)),
    key=lambda item: item[0]._meta.label,
)


@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("hardening-curator", "c@example.org", "pw"))
    return client


@pytest.mark.parametrize("value", ["²", "١٩٩٥", "9" * 40, "\x00"])
@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[model._meta.label for model, _ in ADMINS])
def test_admin_change_list_filters_never_answer_500(curator_client, model, model_admin, value):
    params = dict.fromkeys(own_list_filters(model_admin), value)
    address = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = curator_client.get(address, params)
    assert response.status_code in (200, 302, 400), response.status_code
