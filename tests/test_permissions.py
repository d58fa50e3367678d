"""Two editors of two networks, and a curator: one rule in the admin, history views,
autocomplete, and the API."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from networks.models import Membership, Network, NetworkEditor, Summit
from networks.services import grant_editor

from .helpers import csv_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


@pytest.fixture
def editors(django_user_model):
    merco = django_user_model.objects.create_user("merco-editor", password="a-long-password-1")
    c40 = django_user_model.objects.create_user("c40-editor", password="a-long-password-1")
    grant_editor(user=merco, network=Network.objects.get(slug="mercociudades"))
    grant_editor(user=c40, network=Network.objects.get(slug="c40"))
    return merco, c40


@pytest.fixture
def curator(django_user_model):
    user = django_user_model.objects.create_user("curator", password="a-long-password-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="curate_all"))
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["sources", "cities", "networks", "projects"])
    )
    return user


def c40_membership():
    return Membership.objects.filter(network__slug="c40").select_related("city").first()


def merco_membership():
    return Membership.objects.get(network__slug="mercociudades", city__slug="montevideo-uy", founding=True)


def admin_url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


# Admin -----------------------------------------------------------------------------------


def test_an_editor_lists_only_their_networks_records(client, editors):
    client.force_login(editors[0])
    response = client.get(reverse("admin:networks_membership_changelist"), {"all": ""})
    assert response.status_code == 200
    networks = {m.network.slug for m in response.context["cl"].queryset.select_related("network")}
    assert networks == {"mercociudades"}


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_an_editor_cannot_open_another_networks_record(client, editors, view):
    client.force_login(editors[0])
    membership = c40_membership()
    response = client.get(admin_url(membership, view))
    assert response.status_code in (302, 403, 404)
    assert membership.city.name not in response.content.decode()


def test_an_editor_cannot_post_a_change_to_another_networks_record(client, editors):
    client.force_login(editors[0])
    membership = c40_membership()
    response = client.post(
        admin_url(membership), {"network": membership.network_id, "city": membership.city_id, "category": "observer"}
    )
    assert response.status_code in (302, 403, 404)
    membership.refresh_from_db()
    assert membership.category == "full"


def test_an_editor_edits_their_own_networks_record(client, editors):
    client.force_login(editors[0])
    membership = merco_membership()
    assert client.get(admin_url(membership)).status_code == 200
    assert client.get(admin_url(membership, "history")).status_code == 200


def test_autocomplete_offers_only_the_editors_networks_records(client, editors):
    client.force_login(editors[0])
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "networks", "model_name": "membership", "field_name": "admitted_at"},
    )
    assert response.status_code == 200
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids and set(Summit.objects.filter(pk__in=ids).values_list("network__slug", flat=True)) == {"mercociudades"}
    networks = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "networks", "model_name": "membership", "field_name": "network"},
    ).json()
    assert [result["id"] for result in networks["results"]] == [str(Network.objects.get(slug="mercociudades").pk)]


def test_shared_records_are_readable_but_only_curators_change_them(client, editors, curator):
    city = merco_membership().city
    client.force_login(editors[0])
    page = client.get(admin_url(city)).content.decode()
    assert 'name="_save"' not in page  # read-only for an editor
    client.force_login(curator)
    assert 'name="_save"' in client.get(admin_url(city)).content.decode()


def test_a_curator_opens_every_networks_records(client, curator):
    client.force_login(curator)
    assert client.get(admin_url(c40_membership())).status_code == 200
    assert client.get(admin_url(merco_membership())).status_code == 200


def test_editors_of_a_network_are_added_in_one_step(editors):
    merco, _ = editors
    assert merco.is_staff and NetworkEditor.objects.filter(user=merco, network__slug="mercociudades").exists()
    assert merco.has_perm("networks.change_membership") and not merco.has_perm("networks.curate_all")


def test_grant_editor_command(django_user_model, capsys):
    django_user_model.objects.create_user("new-editor")
    call_command("grant_editor", "new-editor", "eurocities")
    assert NetworkEditor.objects.filter(user__username="new-editor", network__slug="eurocities").exists()
    assert "new-editor now edits" in capsys.readouterr().out


# API -------------------------------------------------------------------------------------


def token(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def api_url(membership):
    return f"/api/v1/memberships/{membership.network.slug}~{membership.city.slug}~{membership.start or ''}/"


def test_api_writes_to_another_networks_records_are_refused(editors):
    api = token(editors[0])
    membership = c40_membership()
    assert api.patch(api_url(membership), {"category": "observer"}, format="json").status_code == 403
    assert api.delete(api_url(membership)).status_code == 403
    created = api.post("/api/v1/memberships/", {"network": "c40", "city": "montevideo-uy"}, format="json")
    assert created.status_code == 403
    assert Membership.objects.filter(network__slug="c40", city__slug="montevideo-uy").count() == 0


def test_api_writes_to_own_networks_records_succeed(editors):
    api = token(editors[0])
    membership = merco_membership()
    response = api.patch(api_url(membership), {"notes": "Checked against the Founding Act."}, format="json")
    assert response.status_code == 200, response.content
    membership.refresh_from_db()
    assert membership.notes == "Checked against the Founding Act."
    assert membership.history.latest().history_user == editors[0]


def test_api_moving_a_record_to_another_network_is_refused(editors):
    api = token(editors[0])
    response = api.patch(api_url(merco_membership()), {"network": "c40"}, format="json")
    assert response.status_code == 403


def test_editors_add_shared_records_but_only_curators_change_them(editors, curator):
    api = token(editors[0])
    created = api.post(
        "/api/v1/cities/",
        {"slug": "ciudad-sintetica-uy", "name_i18n": {"es": "Ciudad sintética"}, "country": "UY"},
        format="json",
    )
    assert created.status_code == 201
    assert api.patch("/api/v1/cities/montevideo-uy/", {"population": 1}, format="json").status_code == 403
    assert (
        token(curator).patch("/api/v1/cities/ciudad-sintetica-uy/", {"population": 1}, format="json").status_code == 200
    )


# History ---------------------------------------------------------------------------------


def form_data(form):
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form.initial.get(name))
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


def test_history_records_translated_edits_and_a_revert_restores_them(client, curator):
    summit = Summit.objects.get(network__slug="mercociudades", number=20)
    original = summit.motto_es  # its first version is the load's baseline (core.history)
    summit.motto_es = "Lema corregido"
    summit._history_user = curator
    summit.save()
    versions = list(summit.history.order_by("history_date"))
    assert [v.motto_es for v in versions] == [original, "Lema corregido"]
    delta = versions[1].diff_against(versions[0])
    assert "motto_es" in delta.changed_fields and versions[1].history_user == curator
    assert versions[0].history_type == "+" and versions[0].history_user is None

    client.force_login(curator)
    history_page = client.get(admin_url(summit, "history")).content.decode()
    assert "curator" in history_page
    revert_url = reverse("admin:networks_summit_simple_history", args=[summit.pk, versions[0].history_id])
    response = client.get(revert_url)
    assert response.status_code == 200
    posted = client.post(
        revert_url,
        {
            **form_data(response.context["adminform"].form),
            **{f"{key}": value for key, value in management_forms(response).items()},
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:3000]
    summit.refresh_from_db()
    assert summit.motto_es == original


def management_forms(response):
    data = {}
    for formset in response.context.get("inline_admin_formsets", []) or []:
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def test_an_editor_cannot_read_another_networks_history(client, editors, curator):
    summit = Summit.objects.filter(network__slug="c40").first()
    summit._history_user = curator
    summit.save()
    client.force_login(editors[0])
    assert client.get(admin_url(summit, "history")).status_code == 403
    version = summit.history.latest()
    url = reverse("admin:networks_summit_simple_history", args=[summit.pk, version.history_id])
    assert client.get(url).status_code == 403


# Exports and worklists -------------------------------------------------------------------


def test_an_editor_exports_only_their_networks_rows(client, editors):
    client.force_login(editors[0])
    selected = list(Membership.objects.values_list("pk", flat=True))  # tries to export every network's rows
    response = client.post(
        reverse("admin:networks_membership_changelist"), {"action": "export_csv", "_selected_action": selected}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(csv_text(response))))
    merco = Network.objects.get(slug="mercociudades")
    assert rows and {int(row["network_id"]) for row in rows} == {merco.pk}
    assert len(rows) == Membership.objects.filter(network=merco).count()


def test_worklists_on_the_admin_index_are_counted_and_scoped(client, editors, curator):
    client.force_login(curator)
    content = client.get(reverse("admin:index")).content.decode()
    assert "Data-quality worklists" in content and "Memberships with an unknown join date" in content
    unknown_all = Membership.objects.filter(start__isnull=True).count()
    unknown_merco = Membership.objects.filter(start__isnull=True, network__slug="mercociudades").count()
    assert unknown_all > unknown_merco > 0
    assert f"<td>{unknown_all}</td>" in content
    client.force_login(editors[0])
    editor_page = client.get(reverse("admin:index")).content.decode()
    assert f"<td>{unknown_merco}</td>" in editor_page
    changelist = client.get(reverse("admin:networks_membership_changelist"), {"join_date": "unknown"})
    assert changelist.context["cl"].result_count == unknown_merco


# Import through the admin ------------------------------------------------------------------


def member_file(rows):
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["city", "country", "latitude", "longitude", "joined"])
    writer.writerows(rows)
    return SimpleUploadedFile("members.csv", buffer.getvalue().encode(), content_type="text/csv")


def import_url(network):
    return reverse("admin:networks_network_import_members", args=[network.pk])


def test_admin_import_preview_names_exactly_the_bad_rows_then_imports_once(client, editors):
    network = Network.objects.get(slug="mercociudades")
    rows = [[f"Synthetic Town {n}", "UY", f"-33.{n:05d}", "-55.50000", str(2000 + n % 20)] for n in range(1, 51)]
    bad = [list(r) for r in rows]
    bad[4] = ["Synthetic Town 5", "Narnia", "-33.5", "-55.5", "2004"]  # row 6: unknown country
    bad[19] = ["Synthetic Town 20", "UY", "-33.5", "-55.5", "2019-13"]  # row 21: no month 13
    bad[37] = ["Synthetic Town 38", "UY", "95", "-55.5", "2017"]  # row 39: latitude out of range
    client.force_login(editors[0])
    before = Membership.objects.count()

    preview = client.post(import_url(network), {"file": member_file(bad), "_preview": "1"}, follow=True)
    assert preview.status_code == 200
    report = preview.context["report"]  # the job's page (core/jobs_admin.py)
    assert report["rows_with_errors"] == [6, 21, 39] and len(report["errors"]) == 3
    assert "Narnia" in preview.content.decode()
    assert Membership.objects.count() == before

    refused = client.post(import_url(network), {"file": member_file(bad), "_import": "1"}, follow=True)
    assert not refused.context["report"]["written"] and Membership.objects.count() == before

    imported = client.post(import_url(network), {"file": member_file(rows), "_import": "1"}, follow=True)
    assert imported.context["report"]["written"] and imported.context["report"]["created_memberships"] == 50
    assert Membership.objects.count() == before + 50
    again = client.post(import_url(network), {"file": member_file(rows), "_import": "1"}, follow=True).context["report"]
    assert again["created_memberships"] == 0 and again["updated_memberships"] == 0
    assert again["unchanged_memberships"] == 50 and Membership.objects.count() == before + 50


def test_an_editor_cannot_import_into_another_network(client, editors):
    client.force_login(editors[0])
    c40 = Network.objects.get(slug="c40")
    before = Membership.objects.count()
    response = client.post(
        import_url(c40), {"file": member_file([["Synthetic Town 1", "UY", "", "", "2001"]]), "_import": "1"}
    )
    assert response.status_code in (302, 403, 404)
    assert Membership.objects.count() == before


def test_the_import_command_refuses_another_networks_file_for_an_editor_via_the_service(editors):
    from django.core.exceptions import PermissionDenied

    from networks.services.member_import import import_members

    with pytest.raises(PermissionDenied):
        import_members(Network.objects.get(slug="c40"), [], dry_run=True, user=editors[0])


def test_an_editor_may_fix_a_shared_record_they_added_until_others_use_it(editors):
    merco_editor, c40_editor = editors
    api, c40_api = token(merco_editor), token(c40_editor)
    created = api.post(
        "/api/v1/cities/",
        {"slug": "ciudad-con-errata-uy", "name_i18n": {"es": "Ciudad con errata"}, "country": "UY"},
        format="json",
    )
    assert created.status_code == 201
    url = "/api/v1/cities/ciudad-con-errata-uy/"
    assert api.patch(url, {"name_i18n": {"es": "Ciudad sin errata"}}, format="json").status_code == 200
    assert c40_api.patch(url, {"population": 1}, format="json").status_code == 403  # not theirs
    own = api.post(
        "/api/v1/memberships/",
        {"network": "mercociudades", "city": "ciudad-con-errata-uy", "start": "2024"},
        format="json",
    )
    assert own.status_code == 201, own.content  # their own network may use it
    assert api.patch(url, {"population": 2}, format="json").status_code == 200
    c40_use = c40_api.post(
        "/api/v1/memberships/", {"network": "c40", "city": "ciudad-con-errata-uy", "start": "2024"}, format="json"
    )
    assert c40_use.status_code == 201
    assert api.patch(url, {"population": 3}, format="json").status_code == 403  # now used by another network
    assert api.delete(url).status_code == 403
