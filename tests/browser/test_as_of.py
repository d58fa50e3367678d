"""A network's profile as of a date in a real browser: the date picker (a plain GET form, no
script) leads to the permanent ?at= address, which shows the banner and the members of then."""

import pytest

from ..factories import CityFactory, MembershipFactory, NetworkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_date_picker_shows_the_profile_as_of_the_chosen_day(page):
    network = NetworkFactory()
    left, stayed = CityFactory(), CityFactory()
    MembershipFactory(network=network, city=left, start="2000", end="2005")
    MembershipFactory(network=network, city=stayed, start="2000")
    page.goto(f"/en/networks/{network.slug}/")
    assert page.locator(".as-of-banner").count() == 0
    page.fill('input[type="date"][name="at"]', "2003-05-11")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(f"**/en/networks/{network.slug}/?at=2003-05-11")
    banner = page.locator(".as-of-banner")
    assert banner.is_visible()
    assert banner.inner_text().startswith("As of May 11, 2003")
    members = page.locator("#member-preview-heading + .table-scroll tbody tr")
    assert members.count() == 2
    # Later, the city that left is no longer listed; the banner's link goes back to today.
    page.fill('input[type="date"][name="at"]', "2006-01-01")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**?at=2006-01-01")
    assert page.locator("#member-preview-heading + .table-scroll tbody tr").count() == 1
    page.get_by_role("link", name="see today's state").click()
    page.wait_for_url(f"**/en/networks/{network.slug}/")
    assert page.locator(".as-of-banner").count() == 0
    assert page.external_requests == []
