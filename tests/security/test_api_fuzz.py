"""Schemathesis drives every operation of the API with generated input, as a signed-in leader, on
the test database: no answer may be a server error or disagree with the published schema."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from motcua.api.api import api
from motcua.wsgi import application

CSRF = "k" * 32
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))
FIXED = "API_FUZZ_EXAMPLES" not in os.environ  # the same cases in CI; more, and random, when asked for
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
schema.app = application


@pytest.fixture
def leader_cookies(client, world):
    client.force_login(world.users["leader"])
    session = client.cookies["sessionid"].value
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"sessionid": session, "csrftoken": CSRF}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=FIXED, suppress_health_check=list(HealthCheck))
def test_the_api_answers_generated_input_without_server_errors(case, leader_cookies):
    case.call_and_validate(
        cookies=leader_cookies,
        headers={"X-CSRFToken": CSRF},
        checks=[schemathesis.checks.not_a_server_error, response_schema_conformance, content_type_conformance],
    )
