"""The profile's lead sentence writes its count of members with the language's digit grouping
(Django's ``intcomma``): "1,234 members" in English, "1\xa0234" (a no-break space) in Spanish, never "1234 members"."""

import pytest
from django.test import Client

from .factories import NetworkFactory
from .helpers import page_of, url
from .test_profile_scale import add_members

pytestmark = pytest.mark.django_db

MEMBERS = 1_234


@pytest.mark.parametrize(("language", "grouped"), [("en", "1,234"), ("es", "1\xa0234"), ("pt", "1.234")])
def test_the_lead_groups_the_digits_of_the_member_count(language, grouped):
    network = NetworkFactory(slug="synthetic-grouped-network")
    add_members(network, MEMBERS)
    page = page_of(Client().get(url("network-detail", language, slug=network.slug)))
    lead = " ".join(part.split("</p>", 1)[0] for part in page.split('<p class="lead')[1:])
    assert grouped in lead
    assert "1234" not in lead
