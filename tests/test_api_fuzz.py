"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis): every request
the fuzzer makes, anonymously and with the token of an editor of Mercociudades, must be answered
as the schema says (no 5xx, a documented status code, content type, body and headers). The
schema's examples are keys of the real data (core.api.schema.EXAMPLE_KEYS), so the fuzzer reads,
changes and deletes real records, inside the test's transaction. Runs on whichever database the
suite uses."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.api.schema import EXAMPLE_KEYS
from core.api.throttling import AnonymousRateThrottle, SignedInRateThrottle
from networks.models import Network
from networks.services import grant_editor
from paradiplo.wsgi import application

# Examples per operation. The type and range errors a fuzzer finds (an integer past 32 bits, a
# string the column cannot hold, a NUL byte) are PostgreSQL's: it is searched thoroughly there;
# SQLite, which accepts them, gets a shorter pass that still calls every operation.
EXAMPLES = 12 if "postgresql" in django_settings.DATABASES["default"]["ENGINE"] else 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

PLAIN = {"Accept-Encoding": "identity"}

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# The coverage phase (every boundary and wrong type of every parameter: hundreds of requests per
# list) is for a full run from the command line (docs/api.md); CI runs the schema's examples
# (real keys) and a few generated cases per operation.
schema.config.phases.coverage.enabled = False


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


@pytest.fixture(autouse=True)
def no_rate_limits(monkeypatch):
    # One address makes every request: a 429 is documented, but would hide the rest.
    for throttle in (AnonymousRateThrottle, SignedInRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", {"anon": None, "user": None})


@pytest.fixture
def editor_token(django_user_model):
    editor = django_user_model.objects.create_user("fuzz-editor")
    grant_editor(user=editor, network=Network.objects.get(slug="mercociudades"))
    return Token.objects.create(user=editor).key


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
)
@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
def test_every_answer_is_as_the_schema_says(case, editor_token):
    # Reads are public and answer the same with a token; writes are tried with the editor's
    # token, then without (401). The WSGI transport does not decompress: ask for no gzip.
    if case.method.upper() not in ("GET", "HEAD", "OPTIONS"):
        case.call_and_validate(checks=CHECKS, headers={**PLAIN, "Authorization": f"Token {editor_token}"})
    case.call_and_validate(checks=CHECKS, headers=PLAIN)


@pytest.mark.django_db
@pytest.mark.usefixtures("real_data")
def test_the_schemas_example_keys_are_records_of_the_real_data(client):
    for operation in schema.get_all_operations():
        operation = operation.ok()
        if operation.method != "get" or not operation.path.endswith("/{key}/"):
            continue
        key = next(p.definition["example"] for p in operation.path_parameters if p.name == "key")
        assert client.get(operation.path.replace("{key}", key)).status_code == 200, (operation.path, key)
    assert len(EXAMPLE_KEYS) == 16
