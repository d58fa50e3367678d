"""Shared test set-up. The real, sourced data is loaded once per test session, so that tests can
check facts from the fixtures; each test runs in a transaction rolled back afterwards."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_real_data", verbosity=0)


@pytest.fixture
def mercociudades(db):
    from networks.models import Network

    return Network.objects.get(slug="mercociudades")


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "curator@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def english_by_default():
    # Requests activate their language in the test thread and Django does not reset it
    # afterwards; each test starts in English so messages do not leak between tests.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached pages (the sitemaps) and rate-limit counters must not leak from one test to another.
    from django.core.cache import cache

    cache.clear()
    yield
