"""Shared test set-up. The test database starts empty (migrated only); the real, sourced data is
loaded by the `real_data` fixture, once per session (per xdist worker), only when a test asks for
it. Each test runs in a transaction rolled back afterwards."""

import hashlib
import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, django_db_keepdb):
    """With --reuse-db, SQLite's test database is a file kept between runs (one per xdist worker),
    not an in-memory one that --reuse-db could not keep."""
    database = settings.DATABASES["default"]
    if (
        django_db_keepdb
        and database["ENGINE"] == "django.db.backends.sqlite3"
        and not database.setdefault("TEST", {}).get("NAME")
    ):
        checkout = hashlib.sha1(str(settings.BASE_DIR).encode()).hexdigest()[:8]
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        database["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / f"paradiplo-test-{checkout}-{worker}.sqlite3")


@pytest.fixture(scope="session")
def real_data(django_db_setup, django_db_blocker):
    """The real data of fixtures/, loaded once, outside the tests' transactions so that it stays."""
    with django_db_blocker.unblock():
        call_command("load_real_data", verbosity=0)


@pytest.fixture
def mercociudades(real_data, db):
    from networks.models import Network

    return Network.objects.get(slug="mercociudades")


@pytest.fixture
def api():
    """A REST framework test client."""
    return APIClient()


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "curator@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def english_by_default():
    # Requests activate their language in the test thread and Django does not reset it
    # afterwards; each test starts in English so messages do not leak between tests.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached pages (the sitemaps) and rate-limit counters must not leak from one test to another.
    cache.clear()
    yield
