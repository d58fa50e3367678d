"""Forms that fit the editor, and the admin in the editor's language, through the admin over HTTP."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cities.models import City
from core.models import AdminPreference, CorrectionProposal
from networks.models import Network
from networks.services import grant_editor
from networks.services.member_import.report import ImportReport

from .factories import CityFactory, CountryFactory, MembershipFactory, NetworkFactory, SummitFactory

pytestmark = pytest.mark.django_db

# The network's change page, whatever the number of members: session, user, the network, its
# editors and citations (inlines), the choices of the form's related fields.
NETWORK_CHANGE_QUERIES = 6


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def editor(client, django_user_model):
    """An editor of one synthetic network, signed in."""
    user = django_user_model.objects.create_user("editor", password="a-long-password-1")
    network = NetworkFactory()
    grant_editor(user=user, network=network)
    client.force_login(user)
    user.network = network
    return user


def city_form(country, **values):
    data = {"name_es": "Ciudad sintética", "level": "local", "country": country.pk, "slug": ""}
    data.update({"citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0", **values})
    return data


def test_coordinates_accept_a_decimal_comma_and_the_slug_is_derived(superuser_client):
    country = CountryFactory()
    response = superuser_client.post(admin_url(City, "add"), city_form(country, latitude="-5,5", longitude=" -35.25 "))
    assert response.status_code == 302, response.content.decode()[:3000]
    city = City.objects.get(name_es="Ciudad sintética")
    assert (city.latitude, city.longitude) == (Decimal("-5.5"), Decimal("-35.25"))  # never -55
    assert city.slug == f"ciudad-sintetica-{country.code.lower()}"


@pytest.mark.parametrize(
    ("latitude", "message"),
    [("91", "out of range"), ("1.234,5", "one decimal separator"), ("5°", "decimal degrees"), ("٣", "decimal degrees")],
)
def test_bad_coordinates_are_refused_with_a_reason(superuser_client, latitude, message):
    response = superuser_client.post(
        admin_url(City, "add"), city_form(CountryFactory(), latitude=latitude, longitude="0")
    )
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["latitude"])
    assert not City.objects.filter(name_es="Ciudad sintética").exists()


def test_an_editor_is_offered_no_network_to_add_or_delete(client, editor):
    index = client.get(reverse("admin:index")).content.decode()
    assert admin_url(Network, "add") not in index
    changelist = client.get(admin_url(Network, "changelist")).content.decode()
    assert admin_url(Network, "add") not in changelist
    assert client.get(admin_url(Network, "add")).status_code == 403
    page = client.get(admin_url(Network, "change", editor.network.pk)).content.decode()
    assert admin_url(Network, "delete", editor.network.pk) not in page
    assert 'name="_save"' in page  # but they edit it


def test_a_single_network_editor_never_chooses_the_network(client, editor):
    from networks.models import Membership

    form = client.get(admin_url(Membership, "add")).context["adminform"].form
    assert form.fields["network"].disabled and form.fields["network"].initial == editor.network.pk
    other = NetworkFactory()
    city = CityFactory()
    data = {"network": other.pk, "city": city.pk, "category": "full", "start": "2001", "certainty": "stated"}
    response = client.post(
        admin_url(Membership, "add"), {**data, "citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.get(city=city).network == editor.network  # the posted network is ignored


def test_a_spanish_speaking_editor_adds_a_body_without_typing_its_slug_or_network(client, editor):
    from networks.models import GoverningBody

    data = {"name_es": "Consejo Sintético", "slug": "", "kind": "other"}
    response = client.post(
        admin_url(GoverningBody, "add"), {**data, "citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    body = GoverningBody.objects.get(name_es="Consejo Sintético")
    assert (body.slug, body.network) == ("consejo-sintetico", editor.network)


def test_a_summits_rows_start_with_its_network_and_date(superuser_client):
    from networks.models import Summit

    summit = SummitFactory(start="2015-11-14")
    formsets = superuser_client.get(admin_url(Summit, "change", summit.pk)).context["inline_admin_formsets"]
    for inline in formsets[:2]:  # memberships admitted, offices elected
        fields = inline.formset.empty_form.fields
        assert fields["network"].initial == summit.network_id and fields["network"].disabled
        assert str(fields["start"].initial) == "2015-11-14"


def test_a_read_only_shared_city_says_why_and_takes_a_correction(client, editor, django_user_model):
    city = CityFactory()  # loaded, not added by the editor: shared, read-only for them
    page = client.get(admin_url(City, "change", city.pk)).content.decode()
    assert 'name="_save"' not in page
    assert "only curators change it" in page and 'id="propose-correction"' in page
    url = admin_url(City, "propose_correction", city.pk)
    response = client.post(url, {"text": "The population is 21,000 (2022 census)."})
    assert response.status_code == 302 and response["Location"] == admin_url(City, "change", city.pk)
    proposal = CorrectionProposal.objects.get()
    assert (proposal.record_label, proposal.author, proposal.status) == (str(city), editor, "open")
    assert "Proposed corrections to review" not in client.get(reverse("admin:index")).content.decode()
    curator = django_user_model.objects.create_superuser("curator", "c@example.org", "a-long-password-1")
    client.force_login(curator)
    index = client.get(reverse("admin:index")).content.decode()
    worklist = re.search(r"Proposed corrections to review</a></th>\s*<td>(\d+)</td>", index)
    assert worklist and worklist.group(1) == "1"


def test_the_language_switch_is_remembered_for_the_user(client, editor):
    response = client.post(reverse("admin:language"), {"language": "es", "next": reverse("admin:index")})
    assert response.status_code == 302
    assert AdminPreference.objects.get(user=editor).language == "es"
    client.logout()
    client.cookies.clear()  # another browser: no language cookie
    client.force_login(editor)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es"' in page
    assert 'id="admin-language"' in page and '<option value="es" lang="es" selected>' in page


def test_the_network_page_does_not_grow_with_its_members(superuser_client, django_assert_num_queries):
    network = NetworkFactory()
    url = admin_url(Network, "change", network.pk)
    superuser_client.get(url)  # the first request of a session reads what later ones have cached
    sizes = []
    for members in (3, 30):
        while network.memberships.count() < members:
            MembershipFactory(network=network)
        with django_assert_num_queries(NETWORK_CHANGE_QUERIES):
            response = superuser_client.get(url)
        assert response.status_code == 200
        sizes.append(len(response.content))
    assert abs(sizes[1] - sizes[0]) < 100  # no row per member
    assert f"?network__id__exact={network.pk}" in response.content.decode()  # the members' own list


def test_the_import_button_is_on_the_networks_member_list(client, editor):
    from networks.models import Membership

    page = client.get(admin_url(Membership, "changelist"), {"network__id__exact": editor.network.pk}).content.decode()
    assert reverse("admin:networks_network_import_members", args=[editor.network.pk]) in page
    other = NetworkFactory()
    page = client.get(admin_url(Membership, "changelist"), {"network__id__exact": other.pk}).content.decode()
    assert "import-members" not in page


@pytest.mark.parametrize(
    ("errors", "rows", "outcome"),
    [
        (1, 1, "The file was refused (1 error in 1 row): nothing was written."),
        (3, 2, "The file was refused (3 errors in 2 rows): nothing was written."),
        (1, 0, "The file was refused (1 error): nothing was written."),
    ],
)
def test_the_import_outcome_counts_in_the_singular_and_plural(errors, rows, outcome):
    report = ImportReport()
    for n in range(errors):
        report.add(min(n, rows - 1) + 2 if rows else None, None, "bad")
    assert report.outcome() == outcome
