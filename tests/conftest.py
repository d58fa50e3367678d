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


@pytest.fixture(scope="session", autouse=True)
def flush_by_delete_on_postgresql():
    """A transactional test ends with ``flush``, which PostgreSQL runs as one ``TRUNCATE`` of
    the hundred tables: about 4 s, whatever they hold (each table and index gets new files).
    ``DELETE`` of the few thousand rows a test leaves takes milliseconds; Django's foreign keys
    are deferred, so the order of the tables does not matter inside flush's transaction. SQLite
    flushes this way already. Only the tests' connections are concerned (the setting does not
    reach production code), and a flush that must cascade or reset sequences keeps TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(scope="session")
def real_data(django_db_setup, django_db_blocker):
    """The real data of fixtures/, loaded once, outside the tests' transactions so that it stays."""
    with django_db_blocker.unblock():
        call_command("load_real_data", verbosity=0)
    _committed["real_data"] = True


# Whether the real data loaded by the session fixture above is still in the database: a
# transactional test empties the database when it ends (Django's TransactionTestCase).
_committed = {"real_data": False}


def _is_transactional(item) -> bool:
    """As pytest-django decides it: a django_db(transaction=True) mark, or a fixture that needs it."""
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    if kwargs.get("transaction") or kwargs.get("reset_sequences") or (marker and any(marker.args[:1])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True)
def real_data_as_each_test_expects(request, django_db_blocker):
    """No test depends on the tests that ran before it in the same worker: pytest-django runs the
    transactional tests after the others and pytest-xdist keeps that order in each worker, but a
    transactional test that follows a test with the session's real data must not find it, and a
    test asking for the real data after a transactional test must not find it gone."""
    transactional = _is_transactional(request.node)
    if transactional and _committed["real_data"] and "real_data" not in request.fixturenames:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        _committed["real_data"] = False
    elif not transactional and not _committed["real_data"] and "real_data" in request.fixturenames:
        with django_db_blocker.unblock():
            call_command("load_real_data", verbosity=0)
        _committed["real_data"] = True
    yield
    if transactional:
        _committed["real_data"] = False


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
def content_version_changes_at_once_in_a_test_transaction(monkeypatch):
    """Django's TestCase (and pytest-django's ``db``) runs each test inside a transaction that it
    rolls back, so ``transaction.on_commit`` callbacks never run there, and the content version
    (core.contentversion.bump: a new token once the transaction commits) would never change in
    such a test. There, the token changes at once instead, inside that transaction, and rolls
    back with the test's data; elsewhere (transactional tests, the real data's load), bump()
    waits for the commit as in production. Django's own durable-atomic check recognizes the
    test's blocks the same way."""
    from django.db import connections

    from core import contentversion

    after_commit = contentversion.bump

    def bump():
        blocks = connections[contentversion.DATABASE].atomic_blocks
        if blocks and getattr(blocks[0], "_from_testcase", False):
            contentversion._store_new_token()
        else:
            after_commit()

    monkeypatch.setattr(contentversion, "bump", bump)


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached pages (the sitemaps) and rate-limit counters must not leak from one test to another.
    cache.clear()
    yield


# --- the order of the tests, for pytest-xdist ---------------------------------------------------

# Tests that take a minute or more on CI (a command in a subprocess of its own, real gunicorn
# servers, 20,000 rows, the OpenAPI validation, the schema fuzzing). pytest-xdist's `load`
# distribution hands the tests out in their collection order, so a long test that comes last
# leaves one worker running it while the other waits: they are moved to the front of their group
# (pytest-django runs the tests in three groups: database tests, transactional tests, the rest),
# where the other worker has plenty of short tests to run meanwhile, the longest first. Only the
# order changes.
LONG_TESTS = (
    "tests/browser/test_csp.py::test_the_api_docs_work_under_the_policy",
    "tests/browser/test_pages.py::test_main_pages_pass_axe_and_load_nothing_from_elsewhere",
    "tests/test_scale_data.py::test_the_command_writes_",
    "tests/test_profile_scale.py::",
    "tests/test_api_fuzz.py::",
    "tests/test_api.py::test_schema_validates_without_warnings",
    "tests/test_production.py::test_the_anonymous_rate_limit_holds_across_four_workers",
    "tests/test_exports.py::test_a_client_of_gunicorn_",
)


def _group(item) -> int:
    """pytest-django's order: database tests, then transactional tests, then the others."""
    if _is_transactional(item):
        return 1
    return 0 if item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ()) else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    position = {id(item): index for index, item in enumerate(items)}

    def rank(item) -> int:
        """The longest first: LONG_TESTS's order, then every other test."""
        return next((n for n, prefix in enumerate(LONG_TESTS) if item.nodeid.startswith(prefix)), len(LONG_TESTS))

    items.sort(key=lambda item: (_group(item), rank(item), position[id(item)]))
