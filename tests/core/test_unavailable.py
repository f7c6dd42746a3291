from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def server():
    """A client that gets the error pages a browser would, not the exception."""
    return Client(raise_request_exception=False)


def test_an_unreachable_database_answers_503_with_a_message(server):
    with mock.patch("motcua.portal.views.search_procedures", side_effect=OperationalError("server closed")):
        page = server.get("/thu-tuc/?q=ho+tich")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "thử lại" in page.content.decode()
    with mock.patch("motcua.catalog.services.search_procedures", side_effect=OperationalError("restarting")):
        answer = server.get("/api/procedures?q=ho")
    assert answer.status_code == 503 and "try again" in answer.json()["detail"]


def test_also_when_the_session_cannot_be_read(server, django_user_model):
    server.force_login(django_user_model.objects.create_user("someone", password=None))
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError("down")):
        assert server.get("/ca-nhan/").status_code == 503


def test_other_errors_stay_500(server):
    with mock.patch("motcua.portal.views.search_procedures", side_effect=ValueError("bug")):
        assert server.get("/thu-tuc/?q=x").status_code == 500
