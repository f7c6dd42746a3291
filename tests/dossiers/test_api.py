"""The dossier API: intake to rating through HTTP, with the services' rules and errors."""

import pytest
from django.test import Client
from django.utils import timezone

from motcua.dossiers.models import Dossier


@pytest.fixture
def as_user(people):
    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    return client_for


INTAKE = {
    "procedure": "1.001612",  # household business registration: 3 working days, four steps
    "receiving_unit": "04105.TTPVHCC",
    "processing_unit": "04105.PKT",
    "channel": 1,
    "applicant": {"name": "Cầm Thị Lan", "id_number": "014190001234", "phone": "0987654321"},
    "components": [{"order": 1, "provided": True, "digitized": True}, {"order": 2}, {"order": 3}],
    "decision": "accept",
}


def post(client, path, body, lang="vi"):
    return client.post(path, body, content_type="application/json", headers={"accept-language": lang})


def test_intake_to_rating_through_the_api(people, as_user):
    desk, processor, leader = as_user(people.desk), as_user(people.processor), as_user(people.leader)
    response = post(desk, "/api/dossiers", INTAKE)
    assert response.status_code == 201, response.content
    body = response.json()
    today = timezone.localdate().strftime("%y%m%d")
    assert body["code"].startswith(f"04105.TTPVHCC-{today}-") and body["status"] == 2
    code = body["code"]
    assert "forward" in body["actions"] and "hand_over" not in body["actions"]
    assert post(desk, f"/api/dossiers/{code}/forward", {}).json()["current_step"] == 2
    assert post(processor, f"/api/dossiers/{code}/forward", {}).json()["current_step"] == 3
    body = post(leader, f"/api/dossiers/{code}/leader-approve", {}).json()
    assert body["current_step"] == 4 and body["events"][-1]["action"] == "leader_approve"
    body = post(processor, f"/api/dossiers/{code}/result", {"result_number": "GCN HKD 24A8001234"}).json()
    assert body["status"] == 9 and body["outcome"] == "approved"
    body = post(desk, f"/api/dossiers/{code}/return", {"method": "desk"}).json()
    assert body["status"] == 10
    secret = body["secret"]
    anonymous = Client()
    looked = post(anonymous, "/api/lookup", {"code": code, "secret": secret}).json()
    assert looked["status"] == 10 and looked["result_ready"] and all(e["by"] == "" for e in looked["timeline"])
    rated = post(anonymous, "/api/lookup/rate", {"code": code, "secret": secret, "rating": "satisfied"})
    assert rated.status_code == 200
    again = post(anonymous, "/api/lookup/rate", {"code": code, "secret": secret, "rating": "satisfied"})
    assert again.status_code == 409
    assert post(anonymous, "/api/lookup", {"code": code, "secret": "XXXXXXXX"}).status_code == 404


def test_errors_are_clear_in_both_languages_and_change_nothing(people, as_user):
    desk = as_user(people.desk)
    code = post(desk, "/api/dossiers", INTAKE).json()["code"]
    vi = post(desk, f"/api/dossiers/{code}/return", {"method": "desk"})
    en = post(desk, f"/api/dossiers/{code}/return", {"method": "desk"}, lang="en")
    assert vi.status_code == en.status_code == 409
    assert "không được phép" in vi.json()["detail"] and "not allowed" in en.json()["detail"]
    missing = {**INTAKE, "components": [{"order": 2}]}
    response = post(desk, "/api/dossiers", missing, lang="en")
    assert response.status_code == 422 and "Required documents are missing" in response.json()["detail"]
    assert Dossier.objects.count() == 1 and Dossier.objects.get().events.count() == 1


def test_scope_hides_other_units_dossiers(people, as_user):
    code = post(as_user(people.desk), "/api/dossiers", INTAKE).json()["code"]
    other = as_user(people.other_desk)
    assert other.get(f"/api/dossiers/{code}").status_code == 404
    assert post(other, f"/api/dossiers/{code}/forward", {}).status_code == 404
    assert other.get("/api/dossiers").json() == []
    assert post(other, "/api/dossiers", INTAKE).status_code == 403  # not a desk of that unit
    assert Client().get("/api/dossiers").status_code == 401


def test_wrong_version_is_a_conflict(people, as_user):
    desk = as_user(people.desk)
    body = post(desk, "/api/dossiers", INTAKE).json()
    response = post(desk, f"/api/dossiers/{body['code']}/forward", {"version": body["version"] - 1})
    assert response.status_code == 409


def test_an_intake_repeated_with_its_idempotency_key_makes_one_dossier(people, as_user):
    desk = as_user(people.desk)
    key = {"Idempotency-Key": "intake-2026-12-06-000001"}
    first = desk.post("/api/dossiers", INTAKE, content_type="application/json", headers=key)
    again = desk.post("/api/dossiers", INTAKE, content_type="application/json", headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["code"] == first.json()["code"] and Dossier.objects.count() == 1
    other = desk.post(
        "/api/dossiers",
        INTAKE,
        content_type="application/json",
        headers={"Idempotency-Key": "intake-2026-12-06-000002"},
    )
    assert other.status_code == 201 and Dossier.objects.count() == 2
    bad = desk.post("/api/dossiers", INTAKE, content_type="application/json", headers={"Idempotency-Key": "x"})
    assert bad.status_code == 422 and Dossier.objects.count() == 2
