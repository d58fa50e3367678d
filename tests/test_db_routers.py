"""paradiplo.db_routers: reads to a replica, writes to the primary, and reads that must see a
write (inside a transaction, after a write in the request, shortly after a browser wrote) to the
primary; then real requests served through a replica alias that mirrors the test database."""

from collections import Counter

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from networks.models import Network
from paradiplo.db_routers import PIN_COOKIE, PrimaryPinMiddleware, PrimaryReplicaRouter, unpin

from .factories import NetworkFactory

REPLICAS = ["replica1", "replica2"]


@pytest.fixture
def router():
    unpin()  # as at the start of a request
    router = PrimaryReplicaRouter()
    router.replicas = list(REPLICAS)
    yield router
    unpin()


def test_reads_are_spread_over_the_replicas(router):
    chosen = Counter(router.db_for_read(Network) for _ in range(200))
    assert set(chosen) == set(REPLICAS)
    assert min(chosen.values()) > 50  # random choice, not always the first


def test_writes_go_to_the_primary(router):
    assert router.db_for_write(Network) == DEFAULT_DB_ALIAS


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(router):
    assert router.db_for_read(Network) in REPLICAS
    router.db_for_write(Network)
    assert router.db_for_read(Network) == DEFAULT_DB_ALIAS
    unpin()  # what the next request starts with (request_started)
    assert router.db_for_read(Network) in REPLICAS


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_go_to_the_primary(router):
    # The test runs inside a transaction on the primary (and outside one, the tests above read
    # from a replica).
    assert connections[DEFAULT_DB_ALIAS].in_atomic_block
    assert router.db_for_read(Network) == DEFAULT_DB_ALIAS
    with transaction.atomic():
        assert router.db_for_read(Network) == DEFAULT_DB_ALIAS


def test_relations_are_allowed_and_migrations_run_on_the_primary_only(router):
    assert router.allow_relation(Network(), Network()) is True
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "networks") is True
    assert router.allow_migrate("replica1", "networks") is False


def test_without_replicas_everything_goes_to_the_primary():
    router = PrimaryReplicaRouter()
    router.replicas = []
    assert router.db_for_read(Network) == DEFAULT_DB_ALIAS


@pytest.fixture
def replica(settings):
    """The router and the pin middleware installed as the settings install them with
    DATABASE_REPLICA_URL, over the test settings' ``replica1`` alias (a mirror of the test
    database: what a replica holds once replication caught up)."""
    assert settings.DATABASES["replica1"]["TEST"]["MIRROR"] == DEFAULT_DB_ALIAS
    settings.DATABASE_ROUTERS = ["paradiplo.db_routers.PrimaryReplicaRouter"]
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "paradiplo.db_routers.PrimaryPinMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    settings.DATABASE_REPLICA_PIN_SECONDS = 5
    return "replica1"


def tables_read(queries) -> set[str]:
    return {table for query in queries for table in ["networks_network"] if table in query["sql"]}


# Committed rows (not a test transaction's), which a second connection can read.
replica_db = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, "replica1"])


@replica_db
def test_a_page_is_read_from_the_replica(replica, client):
    network = NetworkFactory()  # a write in this thread, before the request: not pinning it
    with (
        CaptureQueriesContext(connections[replica]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get("/en/networks/")
    assert response.status_code == 200
    assert network.name_en in response.content.decode()
    assert tables_read(on_replica.captured_queries) == {"networks_network"}
    assert not tables_read(on_primary.captured_queries)
    assert PIN_COOKIE not in response.cookies


@replica_db
def test_after_a_write_the_browser_reads_from_the_primary_for_a_while(replica, client, django_user_model):
    django_user_model.objects.create_superuser("curator", "curator@example.org", "pw")
    # Signing in writes (the session, last_login): the answer pins this browser to the primary.
    response = client.post("/admin/login/", {"username": "curator", "password": "pw", "next": "/admin/"})
    assert response.status_code == 302
    pin = response.cookies[PIN_COOKIE]
    assert pin["max-age"] == 5
    assert pin["httponly"]

    NetworkFactory()
    with CaptureQueriesContext(connections[replica]) as on_replica:
        response = client.get("/en/networks/")
    assert response.status_code == 200
    assert not on_replica.captured_queries  # the session, the user and the page: all on the primary
    assert PIN_COOKIE not in response.cookies  # reading does not renew the pin

    # Once the cookie has expired, reads go back to the replica.
    del client.cookies[PIN_COOKIE]
    with CaptureQueriesContext(connections[replica]) as on_replica:
        assert client.get("/en/networks/").status_code == 200
    assert tables_read(on_replica.captured_queries) == {"networks_network"}


def test_the_pin_middleware_reads_its_delay_from_the_settings(settings):
    settings.DATABASE_REPLICA_PIN_SECONDS = 12
    assert PrimaryPinMiddleware(lambda request: None).seconds == 12
