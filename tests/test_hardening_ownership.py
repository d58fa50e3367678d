"""One ownership rule on every write path (#15): a cross-network matrix over every network-owned
model of the API router and the admin site (API change, delete and relation change; admin
change, delete and history revert), safe deletion (409 listing the dependants, never a cascade),
and the roles of the README (editors, curators) end to end.

Two synthetic networks, A and B, each with one record of every network-owned model; an editor
of A; a curator who holds only the curator permission (as the README defines the role). The
models and endpoints come from the registries, so a new one is covered (or fails the
``test_every_*_is_in_the_matrix`` tests until it is given a maker here)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cities.models import City
from core import ownership
from core.api.fields import SummaryField
from core.api.keys import record_key
from core.models import Job
from networks.models import GoverningBody, Membership, MembershipFigure, Network, Office, Summit, ThematicUnit
from networks.services import grant_editor
from paradiplo.api_urls import router
from projects.models import Programme, Project, ProjectCity
from sources.models import Source

from .factories import (
    CityFactory,
    CountryFactory,
    MembershipFactory,
    MembershipFigureFactory,
    NetworkFactory,
    OfficeFactory,
    ProgrammeFactory,
    ProjectCityFactory,
    ProjectFactory,
    SummitFactory,
    ThematicUnitFactory,
)

pytestmark = pytest.mark.django_db


def build_network(label: str) -> dict:
    """A synthetic network and one record of each model it owns."""
    network = NetworkFactory(slug=f"synthetic-network-{label}")
    body = GoverningBody.objects.create(network=network, slug=f"council-{label}", name_en=f"Synthetic council {label}")
    unit = ThematicUnitFactory(network=network)
    summit = SummitFactory(network=network)
    programme = ProgrammeFactory(network=network)
    project = ProjectFactory(network=network, programme=programme, thematic_unit=unit)
    return {
        Network: network,
        GoverningBody: body,
        ThematicUnit: unit,
        Summit: summit,
        Membership: MembershipFactory(network=network, admitted_at=summit),
        Office: OfficeFactory(network=network, body=body, thematic_unit=unit, elected_at=summit),
        MembershipFigure: MembershipFigureFactory(network=network, members=10 if label == "a" else 11),
        Programme: programme,
        Project: project,
        ProjectCity: ProjectCityFactory(project=project),
    }


@pytest.fixture
def world(django_user_model):
    a, b = build_network("a"), build_network("b")
    editor = django_user_model.objects.create_user("synthetic-editor-a", password="a-long-password-1")
    grant_editor(user=editor, network=a[Network])
    curator = django_user_model.objects.create_user("synthetic-curator", password="a-long-password-1", is_staff=True)
    curator.user_permissions.add(Permission.objects.get(codename="curate_all"))  # nothing else
    return {"a": a, "b": b, "editor": editor, "curator": curator}


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


OWNED_RESOURCES = [
    (prefix, viewset)
    for prefix, viewset, _basename in router.registry
    if ownership.owner_path(viewset.serializer_class.Meta.model) is not None
]
MADE = {
    Network,
    GoverningBody,
    ThematicUnit,
    Summit,
    Membership,
    Office,
    MembershipFigure,
    Programme,
    Project,
    ProjectCity,
}


def model_of(viewset):
    return viewset.serializer_class.Meta.model


def test_every_network_owned_api_resource_is_in_the_matrix():
    assert {model_of(viewset) for _prefix, viewset in OWNED_RESOURCES} <= MADE


def test_every_network_owned_admin_is_in_the_matrix():
    owned = {model for model in admin.site._registry if ownership.owner_path(model) is not None}
    citation_tables = {model for model in owned if any(f.name == "record" for f in model._meta.fields)}
    # Background jobs are no record: read-only pages whose scoping tests/test_import_jobs.py checks.
    assert owned - citation_tables - {Network.editors.rel.related_model, Job} <= MADE


# API -------------------------------------------------------------------------------------

IDS = [prefix for prefix, _ in OWNED_RESOURCES]


@pytest.mark.parametrize(("prefix", "viewset"), OWNED_RESOURCES, ids=IDS)
def test_an_editor_cannot_change_or_delete_another_networks_record_through_the_api(world, prefix, viewset):
    record = world["b"][model_of(viewset)]
    client = token_client(world["editor"])
    address = f"/api/v1/{prefix}/{record_key(record)}/"
    assert client.patch(address, {}, format="json").status_code == 403
    assert client.delete(address).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(("prefix", "viewset"), OWNED_RESOURCES, ids=IDS)
def test_an_editor_cannot_point_their_record_into_another_network(world, prefix, viewset):
    """Every relation of a resource into a network's records (the network itself, a parent
    network, a thematic unit, a programme, the admitting or electing summit, a governing body)
    is refused when it points into a network the editor does not edit."""
    model = model_of(viewset)
    record = world["a"][model]
    fields = viewset.serializer_class().fields
    relations = [
        name
        for name, field in fields.items()
        if isinstance(field, SummaryField)
        and not field.read_only
        and ownership.owner_path(field.queryset.model) is not None
        and field.queryset.model in world["b"]
    ]
    if not relations:
        pytest.skip("no relation into a network's records")
    client = token_client(world["editor"])
    address = f"/api/v1/{prefix}/{record_key(record)}/"
    for name in relations:
        target = world["b"][fields[name].queryset.model]
        response = client.patch(address, {name: record_key(target)}, format="json")
        assert response.status_code == 403, (name, response.content)
        record.refresh_from_db()
        assert getattr(record, f"{model._meta.get_field(name).attname}") != target.pk, name


def test_an_editor_cannot_create_a_record_in_another_network(world):
    response = token_client(world["editor"]).post(
        "/api/v1/thematic-units/",
        {"network": world["b"][Network].slug, "slug": "synthetic-unit-x", "name_i18n": {"es": "Unidad sintética"}},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert not ThematicUnit.objects.filter(slug="synthetic-unit-x").exists()


def test_an_editor_still_points_their_records_at_their_own_networks_records(world):
    client = token_client(world["editor"])
    project = world["a"][Project]
    other_unit = ThematicUnitFactory(network=world["a"][Network])
    response = client.patch(
        f"/api/v1/projects/{record_key(project)}/", {"thematic_unit": record_key(other_unit)}, format="json"
    )
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.thematic_unit == other_unit


def test_an_editor_cannot_make_another_network_the_parent_of_theirs(world):
    network = world["a"][Network]
    response = token_client(world["editor"]).patch(
        f"/api/v1/networks/{network.slug}/", {"parent": world["b"][Network].slug}, format="json"
    )
    assert response.status_code == 403
    network.refresh_from_db()
    assert network.parent_id is None


def test_an_editor_cannot_delete_their_own_network(world):
    network = world["a"][Network]
    response = token_client(world["editor"]).delete(f"/api/v1/networks/{network.slug}/")
    assert response.status_code == 403
    assert Network.objects.filter(pk=network.pk).exists()
    assert Project.objects.filter(network=network).exists()


# Deletion --------------------------------------------------------------------------------


def test_a_curator_deleting_a_network_with_records_gets_409_listing_them(world):
    network = world["b"][Network]
    response = token_client(world["curator"]).delete(f"/api/v1/networks/{network.slug}/")
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["type"] == "client_error"
    attrs = {error["attr"] for error in body["errors"]}
    assert {"dependants", "networks.membership", "projects.project"} <= attrs
    assert Network.objects.filter(pk=network.pk).exists() and Project.objects.filter(network=network).exists()


def test_a_curator_deletes_an_empty_network(world):
    network = NetworkFactory()
    assert token_client(world["curator"]).delete(f"/api/v1/networks/{network.slug}/").status_code == 204
    assert not Network.objects.filter(pk=network.pk).exists()


@pytest.mark.parametrize(
    ("prefix", "record"),
    [
        ("countries", lambda w: w["a"][Membership].city.country),  # a country with cities
        ("cities", lambda w: w["a"][Summit].host_city),  # a city that hosted a summit
        ("networks", lambda w: NetworkFactory(parent=w["b"][Network]) and w["b"][Network]),  # with sections
        ("thematic-units", lambda w: w["a"][ThematicUnit]),  # its offices would be cascaded
        ("summits", lambda w: w["a"][Summit]),  # the admitted member would lose its summit
    ],
    ids=["country-with-cities", "city-that-hosted-a-summit", "network-with-sections", "unit-with-offices", "summit"],
)
def test_deleting_a_record_others_depend_on_is_a_409_never_a_500_nor_a_cascade(world, prefix, record):
    obj = record(world)
    response = token_client(world["curator"]).delete(f"/api/v1/{prefix}/{record_key(obj)}/")
    assert response.status_code == 409, response.content
    assert response.json()["errors"][0]["attr"] == "dependants"
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_record_is_deleted_with_its_own_parts(world):
    project = world["a"][Project]
    response = token_client(world["editor"]).delete(f"/api/v1/projects/{project.slug}/")
    assert response.status_code == 204, response.content
    assert not ProjectCity.objects.filter(project_id=project.pk).exists()


def test_the_admin_delete_page_offers_no_cascade(client, world):
    client.force_login(world["curator"])
    network = world["b"][Network]
    address = reverse("admin:networks_network_delete", args=[network.pk])
    page = client.get(address).content.decode()
    assert "cannot be deleted while other records depend on it" in page
    client.post(address, {"post": "yes"})
    assert Network.objects.filter(pk=network.pk).exists()
    assert Membership.objects.filter(network=network).exists()


def test_the_admin_offers_no_delete_of_a_network_to_its_editor(client, world):
    client.force_login(world["editor"])
    network = world["a"][Network]
    assert client.get(reverse("admin:networks_network_delete", args=[network.pk])).status_code == 403
    assert Network.objects.filter(pk=network.pk).exists()


# Admin -----------------------------------------------------------------------------------

ADMIN_MODELS = sorted(MADE - {ProjectCity}, key=lambda model: model._meta.label)


def admin_url(obj, view="change", *args):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk, *args])


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=[model._meta.label for model in ADMIN_MODELS])
def test_an_editor_cannot_open_change_delete_or_revert_another_networks_record_in_the_admin(client, world, model):
    record = world["b"][model]
    version = record.history.earliest()
    client.force_login(world["editor"])
    for address in (admin_url(record), admin_url(record, "delete"), admin_url(record, "simple_history", version.pk)):
        response = client.post(address, {"post": "yes"})
        assert response.status_code in (302, 403, 404), address
    assert model.objects.filter(pk=record.pk).exists()


MOVABLE = sorted(MADE - {Network, ProjectCity}, key=lambda model: model._meta.label)


def move_to(record, network_records: dict):
    """Give ``record`` to the other network, as a curator would (a change, in the history)."""
    path = ownership.owner_path(type(record))
    first = path.split("__")[0]
    target_model = type(record)._meta.get_field(first).related_model
    setattr(record, first, network_records[target_model])
    for name in ("admitted_at", "body", "thematic_unit", "elected_at", "programme"):
        if hasattr(record, f"{name}_id") and name != first:
            setattr(record, name, None)
    record.save()


@pytest.mark.parametrize("model", MOVABLE, ids=[model._meta.label for model in MOVABLE])
def test_an_editor_cannot_revert_a_record_a_curator_moved_to_another_network(client, world, model):
    record = world["a"][model]
    old_version = record.history.earliest()  # from when it belonged to the editor's network
    move_to(record, world["b"])
    client.force_login(world["editor"])
    address = admin_url(record, "simple_history", old_version.pk)
    assert client.get(address).status_code == 403
    assert client.post(address, {"_save": "Save"}).status_code == 403
    record.refresh_from_db()
    assert ownership.network_id_of(record) == world["b"][Network].pk


def test_a_revert_by_the_editor_of_the_record_still_works(client, world):
    unit = world["a"][ThematicUnit]
    old = unit.history.earliest()
    unit.name_es = "Unidad sintética cambiada"
    unit.save()
    client.force_login(world["editor"])
    page = client.get(admin_url(unit, "simple_history", old.pk))
    assert page.status_code == 200


def test_a_revert_cannot_point_a_record_into_another_network(client, world):
    """The old version's relations are checked as any change's: an old version pointing to a
    thematic unit that a curator has since moved to another network is refused."""
    project = world["a"][Project]
    old = project.history.earliest()
    unit = world["a"][ThematicUnit]
    unit.network = world["b"][Network]
    unit.save()
    project.thematic_unit = None
    project.save()
    assert ownership.write_refusal(world["editor"], old.instance) is not None


# Roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "viewset"), OWNED_RESOURCES, ids=IDS)
def test_a_curator_edits_every_networks_records_through_the_api(world, prefix, viewset):
    record = world["b"][model_of(viewset)]
    response = token_client(world["curator"]).patch(f"/api/v1/{prefix}/{record_key(record)}/", {}, format="json")
    assert response.status_code == 200, response.content


def test_a_curator_edits_every_networks_records_in_the_admin(client, world):
    client.force_login(world["curator"])
    for network in ("a", "b"):
        page = client.get(admin_url(world[network][Membership]))
        assert page.status_code == 200 and 'name="_save"' in page.content.decode()


def test_a_curator_points_a_record_into_another_network(world):
    project = world["a"][Project]
    unit = world["b"][ThematicUnit]
    response = token_client(world["curator"]).patch(
        f"/api/v1/projects/{project.slug}/", {"thematic_unit": record_key(unit)}, format="json"
    )
    assert response.status_code == 200, response.content


def test_sources_are_created_through_the_api(world):
    response = token_client(world["editor"]).post(
        "/api/v1/sources/",
        {"key": "synthetic-source-api", "title": "Synthetic source written through the API", "kind": "web_page"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Source.objects.filter(key="synthetic-source-api").exists()


def test_a_source_without_a_key_is_refused_naming_the_key(world):
    response = token_client(world["editor"]).post("/api/v1/sources/", {"title": "Synthetic"}, format="json")
    assert response.status_code == 400
    assert "key" in {error["attr"] for error in response.json()["errors"]}


def test_an_editor_adds_shared_records_but_changes_only_those_nobody_else_uses(world, django_user_model):
    client = token_client(world["editor"])
    country = CountryFactory()  # a user-assigned code the world's countries do not hold
    created = client.post(
        "/api/v1/cities/",
        {"slug": "synthetic-city-shared", "name_i18n": {"en": "Synthetic"}, "country": country.code},
        format="json",
    )
    assert created.status_code == 201, created.content
    city = City.objects.get(slug="synthetic-city-shared")
    assert client.patch(f"/api/v1/cities/{city.slug}/", {"native_name": "Sintética"}, format="json").status_code == 200
    MembershipFactory(network=world["b"][Network], city=city)  # now another network uses it
    assert client.patch(f"/api/v1/cities/{city.slug}/", {"native_name": "Otra"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/countries/{country.code}/").status_code == 403


# Bad input on writes ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Synthetic\x00name", "Synthetic\x1bname", "Synthetic\x7fname"])
def test_a_control_character_in_a_translated_field_is_a_400_naming_the_field(world, text):
    unit = world["a"][ThematicUnit]
    response = token_client(world["editor"]).patch(
        f"/api/v1/thematic-units/{record_key(unit)}/", {"name_i18n": {"es": text}}, format="json"
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert any(error["attr"] == "name_es" and "control characters" in error["detail"] for error in errors)


def test_a_control_character_in_an_admin_form_is_a_form_error(client, world):
    client.force_login(world["curator"])
    source = Source.objects.create(key="synthetic-source-nul", title="Synthetic")
    response = client.post(admin_url(source), {"key": source.key, "title": "Bad\x00title", "kind": source.kind})
    assert response.status_code == 200  # the form again, with the error
    source.refresh_from_db()
    assert source.title == "Synthetic"


def test_two_offices_cannot_share_one_key(world):
    office = world["a"][Office]
    response = token_client(world["editor"]).post(
        "/api/v1/offices/",
        {
            "network": office.network.slug,
            "city": office.city.slug,
            "role": office.role,
            "start": str(office.start),
            "thematic_unit": record_key(office.thematic_unit),
        },
        format="json",
    )
    assert response.status_code in (400, 409), response.content
    assert Office.objects.filter(network=office.network, role=office.role, city=office.city).count() == 1
    assert token_client(world["editor"]).get(f"/api/v1/offices/{record_key(office)}/").status_code == 200


# Import and inline ---------------------------------------------------------------------------


def test_an_editor_cannot_import_members_into_another_network(client, world):
    from django.core.exceptions import PermissionDenied

    from networks.services.member_import import import_members

    with pytest.raises(PermissionDenied):
        import_members(world["b"][Network], [], dry_run=True, user=world["editor"])
    client.force_login(world["editor"])
    address = reverse("admin:networks_network_import_members", args=[world["b"][Network].pk])
    assert client.get(address).status_code in (403, 404)


def test_an_inline_row_into_another_networks_records_is_refused(rf, world):
    """An inline row is checked as a record is (core.admin.ScopedAdminMixin.save_formset): a
    membership added on the editor's summit page but belonging to another network is refused."""
    from django.core.exceptions import PermissionDenied

    summit_admin = admin.site._registry[Summit]
    request = rf.post("/")
    request.user = world["editor"]
    membership = Membership(network=world["b"][Network], city=CityFactory(), start="2001")

    class Formset:
        deleted_objects = []

        def save(self, commit=True):
            return [membership]

        def save_m2m(self):
            pass

    with pytest.raises(PermissionDenied):
        summit_admin.save_formset(request, None, Formset(), change=True)
    assert membership.pk is None


@pytest.mark.parametrize(("field", "value"), [("members", "١٠"), ("date", "٢٠٢٠"), ("members", "²")])
def test_unicode_digits_are_not_numbers_or_dates_in_writes(world, field, value):
    figure = world["a"][MembershipFigure]
    response = token_client(world["editor"]).patch(
        f"/api/v1/membership-figures/{record_key(figure)}/", {field: value}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in {error["attr"] for error in response.json()["errors"]}
