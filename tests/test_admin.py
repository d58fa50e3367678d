"""The admin through HTTP, as a curator would use it."""

import pytest
from django.contrib import admin
from django.urls import reverse

from cities.models import City, Country
from networks.models import Membership

from .factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def add_membership(client, network, city, start):
    """Post the admin's add form for a full membership, without citations."""
    data = {"network": network.pk, "city": city.pk, "category": "full", "start": start}
    return client.post(
        admin_url(Membership, "add"), {**data, "citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0"}
    )


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_every_model_has_a_working_list_add_and_change_page(superuser_client, model, model_admin, rf, admin_user):
    assert superuser_client.get(admin_url(model, "changelist")).status_code == 200
    assert superuser_client.get(admin_url(model, "changelist"), {"q": "Montevideo"}).status_code == 200
    request = rf.get("/")
    request.user = admin_user
    # A log kept by a library (django-axes' access attempts) offers no add form, even to a superuser.
    expected = 200 if model_admin.has_add_permission(request) else 403
    assert superuser_client.get(admin_url(model, "add")).status_code == expected
    record = model.objects.first()
    if record is not None:
        assert superuser_client.get(admin_url(model, "change", record.pk)).status_code == 200


def test_translation_tabs_load_the_vendored_jquery_ui_and_nothing_from_a_cdn(superuser_client, mercociudades):
    page = superuser_client.get(admin_url(type(mercociudades), "change", mercociudades.pk)).content.decode()
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in page
    assert "tabbed_translation_fields.js" in page
    assert "googleapis" not in page and 'src="//' not in page and 'src="http' not in page


def test_autocomplete_finds_cities_by_a_translated_name(superuser_client):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"term": "Montevideo", "app_label": "networks", "model_name": "membership", "field_name": "city"},
    )
    assert response.status_code == 200
    # Each candidate names its province, country and population (tests/test_admin_cities.py).
    assert response.json()["results"][0]["text"].startswith("Montevideo — ")


def test_a_spanish_speaking_editor_can_add_a_city_with_a_spanish_name_only(superuser_client):
    uruguay = Country.objects.get(code="UY")
    response = superuser_client.post(
        admin_url(City, "add"),
        {
            "slug": "ciudad-de-prueba-uy",
            "name_es": "Ciudad de prueba",
            "level": "local",
            "country": uruguay.pk,
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert City.objects.get(slug="ciudad-de-prueba-uy").name_es == "Ciudad de prueba"


def test_a_bad_partial_date_gets_a_clear_message_in_the_admin(superuser_client, mercociudades):
    city = (
        City.objects.get(slug="colonia-del-sacramento-uy")
        if City.objects.filter(slug="colonia-del-sacramento-uy").exists()
        else City.objects.exclude(memberships__network=mercociudades).first()
    )
    response = add_membership(superuser_client, mercociudades, city, "11/05/2003")
    assert response.status_code == 200
    assert "Use YYYY, YYYY-MM or YYYY-MM-DD" in response.content.decode()
    assert not Membership.objects.filter(network=mercociudades, city=city).exists()


def test_the_admin_year_filter_finds_a_date_known_only_to_the_year(superuser_client):
    membership = MembershipFactory(start="2003")
    response = superuser_client.get(admin_url(Membership, "changelist"), {"start_year": "2003"})
    assert membership in response.context["cl"].result_list
    response = superuser_client.get(admin_url(Membership, "changelist"), {"start_year": "2004"})
    assert membership not in response.context["cl"].result_list
    assert (
        '<td class="field-start">2003</td>'
        in superuser_client.get(admin_url(Membership, "changelist"), {"start_year": "2003"}).content.decode()
    )


def test_an_overlapping_membership_is_refused_in_the_admin_with_a_message(superuser_client, mercociudades):
    founder = Membership.objects.get(network=mercociudades, city__slug="montevideo-uy", founding=True)
    response = add_membership(superuser_client, mercociudades, founder.city, "2003")
    assert response.status_code == 200
    assert "overlapping period" in response.content.decode()
