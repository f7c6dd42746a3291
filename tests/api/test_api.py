import pytest

pytestmark = pytest.mark.usefixtures("demo")


def test_units_as_of_a_day(client):
    before = client.get("/api/units", {"on": "2024-06-01", "parent": "125", "kind": "commune"}).json()
    assert len(before) == 22 and {u["parent_code"] for u in before} == {"125"}
    after = client.get("/api/units", {"on": "2025-08-01", "kind": "commune"}).json()
    assert len(after) == 75
    assert client.get("/api/units", {"on": "2025-08-01", "kind": "district"}).json() == []


def test_unit_detail_with_succession(client):
    body = client.get("/api/units/03979", {"on": "2024-12-31"}).json()
    assert body["name"] == "Thị trấn Mộc Châu"
    assert {s["name"] for s in body["successors"]} == {"Phường Mộc Sơn", "Phường Mộc Lỵ"}
    assert client.get("/api/units/03979", {"on": "2007-01-01"}).status_code == 404


def test_fields_and_procedures(client):
    fields = {f["code"]: f for f in client.get("/api/fields").json()}
    assert fields["HT"]["procedure_count"] == 14
    found = client.get("/api/procedures", {"q": "khai tu"}).json()
    assert "1.000656" in [p["code"] for p in found]
    detail = client.get("/api/procedures/1.012994").json()
    assert detail["process"]["total_hours"] == "168.00" or float(detail["process"]["total_hours"]) == 168
    assert detail["duration_unit"] == "working_days"
    assert client.get("/api/procedures/0.000000").status_code == 404


@pytest.mark.parametrize(
    ("procedure", "received_at", "due_at"),
    [
        ("1.004873", "2026-02-13T14:00:00+07:00", "2026-02-25T14:00:00+07:00"),  # 3 days over Tết
        ("1.004873", "2026-02-13T07:00:00Z", "2026-02-25T14:00:00+07:00"),  # same moment in UTC
        ("1.001193", "2026-11-23T16:00", "2026-11-25T17:30:00+07:00"),  # in the day, after 15:00
        ("1.009994", "2026-04-24T10:00", "2026-05-11T17:30:00+07:00"),  # 15 calendar days → Sat 9/5 → Mon
    ],
)
def test_due_endpoint(client, procedure, received_at, due_at):
    response = client.get("/api/calendar/due", {"procedure": procedure, "received_at": received_at})
    assert response.status_code == 200, response.content
    assert response.json()["due_at"] == due_at


def test_due_endpoint_refuses_bad_parameters_with_a_message(client):
    bad_time = client.get("/api/calendar/due", {"procedure": "1.004873", "received_at": "hôm qua"})
    assert bad_time.status_code == 422
    assert bad_time.json()["detail"] == "Tham số không hợp lệ: received_at"
    missing = client.get("/api/calendar/due", {"procedure": "1.004873"})
    assert missing.status_code == 422
    unknown = client.get("/api/calendar/due", {"procedure": "0.0", "received_at": "2026-01-05T08:00"})
    assert unknown.status_code == 404 and "0.0" in unknown.json()["detail"]
    far = client.get("/api/calendar/due", {"procedure": "1.004873", "received_at": "1200-01-05T08:00"})
    assert far.status_code == 422
    english = client.get("/api/calendar/due", {"procedure": "1.004873", "received_at": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Invalid parameters: received_at"


def test_bad_unit_date_is_a_4xx(client):
    assert client.get("/api/units", {"on": "2024-02-30"}).status_code == 422
    assert client.get("/api/units", {"parent": "nope"}).status_code == 404


def test_openapi_and_local_docs(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/calendar/due" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
