"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis): no request
the schema allows may make the server answer 5xx. Runs on whichever database the suite uses."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck, settings

from paradiplo.wsgi import application

# Examples per operation. The type and range errors a fuzzer finds (an integer past 32 bits, a
# string the column cannot hold, a NUL byte) are PostgreSQL's: it is searched thoroughly there;
# SQLite, which accepts them, gets a shorter pass that still calls every operation.
EXAMPLES = 12 if "postgresql" in django_settings.DATABASES["default"]["ENGINE"] else 4

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    # Calling the WSGI application directly fires request_started/finished, whose handler closes
    # the database connection, and with it the test's transaction (Django's test client does
    # the same disconnection for the same reason).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
def test_no_request_allowed_by_the_schema_makes_the_server_fail(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.text[:500]}"
