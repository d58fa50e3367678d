"""The trash in a real browser: a Mercociudades editor deletes a membership with citations, finds
it in the trash from the members' list and restores it with its citations."""

import re

import pytest

from networks.models import Membership, Network
from networks.services import grant_editor

from ..helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_deletes_a_membership_and_restores_it_from_the_trash(page, real_data, django_user_model):
    editor = django_user_model.objects.create_user("merco-editor", password="a-long-password-1")
    grant_editor(user=editor, network=Network.objects.get(slug="mercociudades"))
    membership = Membership.objects.get(network__slug="mercociudades", city__slug="montevideo-uy", founding=True)
    cited = sorted(membership.citations.values_list("source_id", "locator"))
    assert cited

    page.goto(f"/admin/login/?next=/admin/networks/membership/{membership.pk}/delete/")
    page.fill("#id_username", "merco-editor")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.locator("input[type=submit]").click()  # "Yes, I'm sure"
    page.wait_for_url(re.compile(r"/admin/networks/membership/$"))
    assert not Membership.objects.filter(pk=membership.pk).exists()

    page.get_by_role("link", name="Trash").click()
    row = page.locator("#trash tr", has_text="Montevideo")
    row.get_by_role("button", name="Restore").click()
    page.wait_for_url(re.compile(rf"/admin/networks/membership/{membership.pk}/change/$"))
    assert page.get_by_text("was restored with its citations").is_visible()
    screenshot(page, "admin-trash-restored")
    restored = Membership.objects.get(pk=membership.pk)
    assert sorted(restored.citations.values_list("source_id", "locator")) == cited
    assert page.external_requests == [], page.external_requests
