"""Every record has a history from its first state: loaded records can be reverted to what was
loaded (values, translations, citations), deleted records wait in a scoped trash and come back
with their citations, one change can be undone, and a summit's history shows its inlines'."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cities.models import City, CityCitation
from cities.services.gazetteer import import_gazetteer
from cities.services.gazetteer.writing import HISTORY_REASON
from core.api.keys import record_key
from core.loading import LOAD_REASON
from core.models import Tombstone
from networks.models import Membership, MembershipCitation, Network, Office, Summit, SummitCitation
from networks.services import grant_editor
from networks.services.member_import import import_members

from .factories import MembershipFactory, NetworkFactory, SourceFactory
from .helpers import get_at_two_sizes
from .test_gazetteer import synthetic_places
from .test_import_members import csv_file, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

#: the trash page: session, user, grants, permissions, count, page of rows (with cities, networks
#: and users), and the rows' citations none: the same at any number of deleted records
TRASH_QUERIES = 7


@pytest.fixture
def editors(django_user_model):
    merco = django_user_model.objects.create_user("merco-editor", password="a-long-password-1")
    c40 = django_user_model.objects.create_user("c40-editor", password="a-long-password-1")
    grant_editor(user=merco, network=Network.objects.get(slug="mercociudades"))
    grant_editor(user=c40, network=Network.objects.get(slug="c40"))
    return merco, c40


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def citations(record) -> list[tuple[int, str]]:
    return sorted(record.citations.values_list("source_id", "locator"))


def form_data(form) -> dict:
    """What a browser posts for an unchanged form (its initial values)."""
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form.initial.get(name, field.initial))
        key = form.add_prefix(name)
        if isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = "" if value is None else str(value)
    return data


def change_form_data(response) -> dict:
    """The change form and every inline as the page shows them, ready to post."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.forms))
        for form in formset.forms:
            data.update(form_data(form))
    return data


def form_errors(response):
    context = response.context
    errors = [context["adminform"].form.errors] if context and "adminform" in context else []
    for inline in (context or {}).get("inline_admin_formsets", []):
        errors += [inline.formset.non_form_errors(), *inline.formset.errors]
    return errors


# Baselines -------------------------------------------------------------------------------


def test_every_loaded_record_and_citation_has_a_baseline_version_with_its_citations():
    membership = Membership.objects.get(network__slug="mercociudades", city__slug="montevideo-uy", founding=True)
    first = membership.history.earliest("history_date")
    assert (first.history_type, first.history_change_reason, first.history_user) == ("+", LOAD_REASON, None)
    assert [(item["source"], item["locator"]) for item in first.history_citations] == citations(membership)
    assert not Membership.objects.exclude(pk__in=Membership.history.values("id")).exists()
    assert not MembershipCitation.objects.exclude(pk__in=MembershipCitation.history.values("id")).exists()


# Revert ----------------------------------------------------------------------------------


def test_an_edited_loaded_record_reverts_to_its_loaded_values_translations_and_citations(client, editors):
    summit = Summit.objects.get(network__slug="mercociudades", number=20)
    loaded = (summit.motto_es, summit.motto_en, citations(summit))
    assert loaded[0] and len(loaded[2]) > 1  # the real data: a Spanish motto, several sources
    client.force_login(editors[0])

    page = client.get(admin_url(Summit, "change", summit.pk))
    data = change_form_data(page)
    data.update({"motto_es": "Lema corregido", "motto_en": "A corrected motto", "citations-0-DELETE": "on"})
    response = client.post(admin_url(Summit, "change", summit.pk), data)
    assert response.status_code == 302, form_errors(response)
    summit.refresh_from_db()
    assert (summit.motto_es, summit.motto_en) == ("Lema corregido", "A corrected motto")
    assert len(citations(summit)) == len(loaded[2]) - 1
    edit = summit.history.latest("history_id")
    assert len(edit.history_citations) == len(loaded[2]) - 1  # the inline's change is in the version

    history_page = client.get(admin_url(Summit, "history", summit.pk)).content.decode()
    assert LOAD_REASON in history_page and "A corrected motto" in history_page
    baseline = summit.history.get(history_type="+")
    revert_url = admin_url(Summit, "simple_history", summit.pk, baseline.history_id)
    form = client.get(revert_url)
    assert "Sources cited in this version" in form.content.decode()
    posted = client.post(revert_url, form_data(form.context["adminform"].form))
    assert posted.status_code == 302, posted.content.decode()[:2000]

    summit.refresh_from_db()
    assert (summit.motto_es, summit.motto_en, citations(summit)) == loaded
    assert summit.history.latest("history_id").history_citations == baseline.history_citations


# Trash -----------------------------------------------------------------------------------


def trash_of(client, model) -> str:
    """The trash page's list of records (not its messages)."""
    response = client.get(admin_url(model, "trash"))
    assert response.status_code == 200
    return response.content.decode().split('<div id="content-main">')[1]


def delete_in_admin(client, membership):
    response = client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_deleted_membership_is_restored_from_the_trash_with_its_citations(client, editors):
    membership = Membership.objects.get(network__slug="mercociudades", city__slug="montevideo-uy", founding=True)
    loaded = {field.attname: getattr(membership, field.attname) for field in Membership._meta.concrete_fields}
    cited = citations(membership)
    assert cited  # the real data cites the Founding Act
    client.force_login(editors[0])
    changelist = client.get(admin_url(Membership, "changelist")).content.decode()
    assert f'href="{admin_url(Membership, "trash")}"' in changelist
    delete_in_admin(client, membership)
    assert not MembershipCitation.objects.filter(record_id=membership.pk).exists()
    tombstone = Tombstone.objects.filter(model="networks.membership", key=record_key(membership))
    assert tombstone.exists()

    assert str(membership) in trash_of(client, Membership)
    deletion = Membership.history.get(id=membership.pk, history_type="-")
    restored = client.post(admin_url(Membership, "restore", deletion.history_id))
    assert restored.status_code == 302 and restored.url == admin_url(Membership, "change", membership.pk)

    membership = Membership.objects.get(pk=membership.pk)
    after = {field.attname: getattr(membership, field.attname) for field in Membership._meta.concrete_fields}
    assert {**after, "updated_at": None} == {**loaded, "updated_at": None}
    assert citations(membership) == cited
    assert str(membership) not in trash_of(client, Membership)
    assert not tombstone.exists()  # restored: partners mirroring the API must not delete it again


def test_another_networks_editor_neither_sees_nor_restores_a_deleted_membership(client, editors):
    membership = Membership.objects.get(network__slug="mercociudades", city__slug="montevideo-uy", founding=True)
    client.force_login(editors[0])
    delete_in_admin(client, membership)
    deletion = Membership.history.get(id=membership.pk, history_type="-")

    client.force_login(editors[1])
    assert str(membership) not in trash_of(client, Membership)
    assert client.post(admin_url(Membership, "restore", deletion.history_id)).status_code == 404
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_trash_lists_its_rows_in_a_fixed_number_of_queries(client, editors, django_assert_num_queries):
    network = Network.objects.get(slug="mercociudades")
    client.force_login(editors[0])

    def delete_some(count):
        for membership in MembershipFactory.create_batch(count, network=network):
            membership.delete()

    delete_some(2)
    small, large = get_at_two_sizes(
        client, django_assert_num_queries, TRASH_QUERIES, admin_url(Membership, "trash"), lambda: delete_some(8)
    )
    assert small.content.decode().count('value="Restore"') == 2
    assert large.content.decode().count('value="Restore"') == 10


# Undo ------------------------------------------------------------------------------------


def test_one_change_is_undone_and_a_later_change_to_the_same_field_refuses_it(client, editors):
    membership = Membership.objects.get(network__slug="mercociudades", city__slug="montevideo-uy", founding=True)
    loaded_notes, loaded_certainty = membership.notes, membership.certainty
    membership.notes = "first edit"
    membership.save()
    notes_change = membership.history.latest("history_id")
    membership.certainty = "uncertain" if loaded_certainty != "uncertain" else "probable"
    membership.save()
    client.force_login(editors[0])

    history_page = client.get(admin_url(Membership, "history", membership.pk)).content.decode()
    assert admin_url(Membership, "undo", membership.pk, notes_change.history_id) in history_page
    response = client.post(admin_url(Membership, "undo", membership.pk, notes_change.history_id), follow=True)
    assert "The change was undone." in response.content.decode()
    membership.refresh_from_db()
    assert membership.notes == loaded_notes and membership.certainty != loaded_certainty  # the later change kept

    membership.notes = "second edit"
    membership.save()
    membership.notes = "third edit"
    membership.save()
    second = membership.history.filter(notes="second edit").latest("history_id")
    response = client.post(admin_url(Membership, "undo", membership.pk, second.history_id), follow=True)
    assert "A later change modified the same fields (notes)" in response.content.decode()
    membership.refresh_from_db()
    assert membership.notes == "third edit"


def test_undoing_a_change_of_citations_puts_them_back(client, editors):
    summit = Summit.objects.get(network__slug="mercociudades", number=20)
    loaded = citations(summit)
    SummitCitation.objects.create(record=summit, source=SourceFactory(), locator="p. 1")
    summit.save()  # a version whose only change is one more citation
    change = summit.history.latest("history_id")
    client.force_login(editors[0])
    client.post(admin_url(Summit, "undo", summit.pk, change.history_id))
    assert citations(summit) == loaded


# A summit's inlines --------------------------------------------------------------------------


def test_a_summits_history_lists_the_members_it_admitted_and_the_offices_it_elected(client, editors):
    summit = Summit.objects.get(network__slug="mercociudades", number=1)
    admitted = summit.admissions.select_related("city").first()
    office = Office.objects.filter(network__slug="mercociudades").first()
    office.elected_at = summit
    office.save()
    client.force_login(editors[0])
    page = client.get(admin_url(Summit, "history", summit.pk)).content.decode()
    assert "History of the memberships linked here (admitted at)" in page
    assert admin_url(Membership, "history", admitted.pk) in page
    assert admin_url(Office, "history", office.pk) in page
    assert "elected at:" in page  # the change that linked the office to the summit


def test_the_gazetteer_writes_each_citys_first_version_with_its_geonames_citation(tmp_path):
    path = synthetic_places(tmp_path, [(990000001, "Synthetic Town", 600), (990000002, "Synthetic Village", 90)])
    import_gazetteer(countries=["UY"], path=path, batch_size=1)

    for city in City.objects.filter(geonames_id__in=[990000001, 990000002]):
        (version,) = city.history.all()
        citation = city.citations.get()
        assert (version.history_type, version.history_change_reason) == ("+", HISTORY_REASON)
        assert version.name_en == city.name_en and version.slug == city.slug
        assert version.history_citations == [{"source": citation.source_id, "locator": citation.locator}]
        assert CityCitation.history.filter(id=citation.pk, history_type="+").count() == 1


def test_an_imported_memberships_version_names_the_source_the_import_cited():
    network = NetworkFactory()
    url = "https://www.example.org/synthetic-members"
    data = csv_file([row("Montevideo", "UY", joined="2001", source_url=url)])
    report = import_members(network, io.BytesIO(data), filename="members.csv", dry_run=False)
    assert report.ok
    membership = Membership.objects.get(network=network)
    (version,) = membership.history.all()
    assert version.history_citations == [{"source": membership.citations.get().source_id, "locator": ""}]


def test_the_baseline_command_gives_a_first_version_to_records_without_history_once():
    membership = MembershipFactory()
    membership.history.all().delete()
    call_command("history_baseline", stdout=io.StringIO())
    call_command("history_baseline", stdout=io.StringIO())
    (version,) = membership.history.all()
    assert (version.history_type, version.network_id, version.history_citations) == ("+", membership.network_id, [])
