"""The content version (core.contentversion): what changes it, when, and that every process
reads the same one."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from core import contentversion
from networks.models import Network
from projects.models import SDG

from .factories import NetworkFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def version_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "core_contentversion" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_saving_a_record_changes_the_version():
    before = contentversion.current()
    network = NetworkFactory()
    after_create = contentversion.current()
    network.name_en = "Synthetic renamed network"
    network.save()
    after_save = contentversion.current()
    network.delete()
    after_delete = contentversion.current()
    assert len({before, after_create, after_save, after_delete}) == 4


def test_a_many_to_many_change_changes_the_version():
    project = ProjectFactory()
    # SDG 17 is real data when another test of this worker loaded it; the link is what matters.
    sdg, _ = SDG.objects.get_or_create(number=17, defaults={"short_name_en": "Synthetic goal"})
    before = contentversion.current()
    project.sdgs.add(sdg)
    assert contentversion.current() != before


def test_users_and_history_rows_are_not_content():
    network = NetworkFactory()
    before = contentversion.current()
    get_user_model().objects.create_user("synthetic-reader")
    network.history.update(history_change_reason="synthetic reason")
    assert contentversion.current() == before


def test_a_queryset_update_needs_bump():
    network = NetworkFactory()
    before = contentversion.current()
    Network.objects.filter(pk=network.pk).update(name_en="Synthetic bulk rename")
    assert contentversion.current() == before  # no signal: bulk writers call bump() themselves
    contentversion.bump()
    assert contentversion.current() != before


def test_the_version_is_one_cheap_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        contentversion.current()


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_once_per_transaction_after_commit():
    before = contentversion.current()
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            for _ in range(3):
                NetworkFactory()
            with transaction.atomic():
                NetworkFactory()
            assert contentversion.current() == before  # not before the commit
    assert len(version_writes(queries)) == 1
    assert contentversion.current() != before


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_the_version():
    before = contentversion.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        NetworkFactory()
        raise RuntimeError
    assert contentversion.current() == before


@pytest.mark.django_db(transaction=True)
def test_a_change_kept_after_a_rolled_back_savepoint_still_changes_the_version():
    before = contentversion.current()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            NetworkFactory()
            raise RuntimeError
        NetworkFactory()
    assert contentversion.current() != before


@pytest.mark.django_db(transaction=True)
def test_loaddata_changes_the_version(tmp_path):
    fixture = tmp_path / "synthetic.json"
    fixture.write_text(
        '[{"model": "networks.network", "fields": {"slug": "synthetic-loaded", "name_en": "Synthetic loaded",'
        ' "founded": "1990"}}]'
    )
    before = contentversion.current()
    call_command("loaddata", str(fixture), verbosity=0)
    assert contentversion.current() != before


@pytest.mark.django_db(transaction=True)
def test_a_change_made_through_one_connection_is_read_through_another():
    other = connections.create_connection("default")
    try:
        before = contentversion.current()
        assert read_token(other) == before
        NetworkFactory()
        assert read_token(other) == contentversion.current() != before
    finally:
        other.close()


def read_token(database_connection) -> str:
    with database_connection.cursor() as cursor:
        cursor.execute("SELECT token FROM core_contentversion WHERE id = 1")
        return cursor.fetchone()[0]


READ_IN_ANOTHER_PROCESS = "import django; django.setup(); from core.contentversion import current; print(current())"


@pytest.mark.django_db(transaction=True)
def test_a_change_made_by_one_process_is_read_by_another():
    """A second Python process (another gunicorn worker, another server) reads the version that
    this one wrote."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and "memory" in str(database["NAME"]):
        pytest.skip("an in-memory SQLite database is invisible to other processes")
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    else:
        url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    NetworkFactory()
    written = contentversion.current()
    read = subprocess.run(
        [sys.executable, "-c", READ_IN_ANOTHER_PROCESS],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "paradiplo.settings.test"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert read.stdout.strip() == written


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_a_new_version():
    from core.models import ContentVersion

    before = contentversion.current()
    ContentVersion.objects.all().delete()
    after = contentversion.current()
    assert after and after != before
    assert contentversion.current() == after
