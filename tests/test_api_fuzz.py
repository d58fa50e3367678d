"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis): no request
the schema allows may make the server answer 5xx. Runs on whichever database the suite uses."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from paradiplo.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
def test_no_request_allowed_by_the_schema_makes_the_server_fail(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.text[:500]}"
