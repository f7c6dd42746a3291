"""The leader's decision at the signing step and the step duties, through the pages and the API."""

import pytest
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Status

from .conftest import vn

SIGNED: list = []


def signer_for_tests(decision):
    """A signer a deployment could configure: it is handed the decision and names what it signed."""
    SIGNED.append(decision)
    return f"sig-{decision.code}"


@pytest.fixture
def signing(accepted, people):
    """The land dossier (six steps) brought to the leader's signing step, step 5."""
    d = services.forward(people.desk, accepted, at=vn(2026, 11, 16, 10))
    d = services.forward(people.leader, d, at=vn(2026, 11, 16, 14))
    d = services.forward(people.processor, d, at=vn(2026, 11, 17, 9))
    d = services.forward(people.leader, d, at=vn(2026, 11, 17, 14))
    assert d.current_step == 5
    return Dossier.objects.get(pk=d.pk)


def client_for(user, lang="vi"):
    client = Client(headers={"accept-language": lang})
    client.force_login(user)
    return client


def act(client, d, action, **data):
    return client.post(f"/ho-so/{d.pk}/thao-tac/{action}/", {"version": d.version, **data})


def unchanged(d) -> bool:
    fresh = Dossier.objects.get(pk=d.pk)
    return (fresh.version, fresh.status, fresh.current_step, fresh.events.count()) == (
        d.version, d.status, d.current_step, d.events.count())  # fmt: skip


def test_the_page_shows_the_leader_the_decision_and_the_officer_nothing_of_it(signing, people):
    leader_page = client_for(people.leader).get(f"/ho-so/{signing.pk}/").content.decode()
    assert "Ký duyệt kết quả" in leader_page  # the current step, named
    for action in ("leader_approve", "leader_return", "leader_refuse"):
        assert f"/thao-tac/{action}/" in leader_page
    for action in ("forward", "issue_result", "send_back"):
        assert f"/thao-tac/{action}/" not in leader_page
    officer_page = client_for(people.processor).get(f"/ho-so/{signing.pk}/").content.decode()
    assert "/thao-tac/apologize/" in officer_page
    for action in ("leader_approve", "leader_return", "leader_refuse", "forward", "issue_result", "send_back"):
        assert f"/thao-tac/{action}/" not in officer_page


def test_leader_approves_then_the_clerk_issues_the_approved_result(signing, people):
    response = act(client_for(people.leader), signing, "leader_approve", note="Đồng ý")
    assert response.status_code == 302
    d = Dossier.objects.get(pk=signing.pk)
    assert (d.status, d.current_step) == (Status.PROCESSING, 6)
    event = d.events.order_by("seq").last()
    assert (event.action, event.actor, event.step, event.note) == ("leader_approve", people.leader, 6, "Đồng ý")
    assert "signature" not in event.changes  # no signer configured: an approval, nothing claims a signature
    step5 = d.steps.get(order=5)
    assert step5.finished_by == people.leader and step5.finished_at is not None
    page = client_for(people.processor).get(f"/ho-so/{d.pk}/").content.decode()
    assert "Lãnh đạo phê duyệt" in page and "/thao-tac/issue_result/" in page
    assert "/thao-tac/leader_approve/" not in page
    # The result follows the decision: a refusal is a conflict and changes nothing.
    response = act(client_for(people.processor), d, "issue_result", approved="0", note="Không đủ điều kiện")
    assert response.status_code == 409 and unchanged(d)  # the page again, with why
    act(client_for(people.processor), d, "issue_result", approved="1", result_number="GCN 1")
    d = Dossier.objects.get(pk=d.pk)
    assert (d.status, d.outcome, d.result_number) == (Status.RESULT_READY, "approved", "GCN 1")


def test_leader_returns_with_the_reason_to_the_previous_step(signing, people):
    leader = client_for(people.leader)
    act(leader, signing, "leader_return", note="   ")  # the reason is required
    assert unchanged(signing)
    act(leader, signing, "leader_return", note="Bổ sung ý kiến thẩm định về ranh giới thửa đất")
    d = Dossier.objects.get(pk=signing.pk)
    assert (d.status, d.current_step, d.version) == (Status.PROCESSING, 4, signing.version + 1)
    event = d.events.order_by("seq").last()
    assert (event.action, event.actor_name, event.note) == (
        "leader_return", str(people.leader), "Bổ sung ý kiến thẩm định về ranh giới thửa đất")  # fmt: skip
    assert d.steps.filter(order=4, finished_at=None).count() == 1  # the review step opened again
    page = leader.get(f"/ho-so/{d.pk}/").content.decode()
    assert "Lãnh đạo trả lại: Bổ sung ý kiến thẩm định về ranh giới thửa đất" in page
    assert "/thao-tac/forward/" in page and "/thao-tac/leader_approve/" not in page  # the review step's work
    assert services.differences(d) == {}


def test_leader_refuses_and_the_refusal_is_issued_with_the_leaders_reasons(signing, people):
    leader = client_for(people.leader)
    act(leader, signing, "leader_refuse", note="")
    assert unchanged(signing)
    act(leader, signing, "leader_refuse", note="Thửa đất đang có tranh chấp")
    d = Dossier.objects.get(pk=signing.pk)
    assert (d.status, d.current_step) == (Status.PROCESSING, 6)
    assert d.events.order_by("seq").last().action == "leader_refuse"
    officer = client_for(people.processor)
    page = officer.get(f"/ho-so/{d.pk}/").content.decode()
    assert "Lãnh đạo đã từ chối yêu cầu này: Thửa đất đang có tranh chấp" in page
    act(officer, d, "issue_result", approved="1")  # against the decision: refused, nothing changed
    assert unchanged(d)
    act(officer, d, "issue_result", approved="0", note="")
    d = Dossier.objects.get(pk=d.pk)
    assert (d.status, d.outcome, d.reasons) == (Status.RESULT_READY, "refused", "Thửa đất đang có tranh chấp")


def test_a_processing_officer_cannot_issue_the_result_at_the_leaders_step(signing, people):
    for lang, words in (("vi", "Lãnh đạo ký duyệt"), ("en", "Signing leader")):
        response = act(client_for(people.processor, lang), signing, "issue_result", approved="1", result_number="1")
        assert response.status_code == 403 and words in response.content.decode()
        assert unchanged(signing)
    for action in ("forward", "leader_approve"):
        assert act(client_for(people.processor), signing, action).status_code == 403
    # The leader may not skip the decision either: at the signing step nobody forwards (409).
    response = act(client_for(people.leader), signing, "forward")
    assert response.status_code == 409 and "ký duyệt" in response.content.decode()
    assert act(client_for(people.leader), signing, "issue_result", approved="1").status_code == 409
    assert unchanged(signing)


def post_api(user, path, body, lang="vi"):
    client = client_for(user, lang)
    return client.post(path, body, content_type="application/json", headers={"accept-language": lang})


def test_the_api_refuses_the_same(signing, people):
    base = f"/api/dossiers/{signing.code}"
    refused = post_api(people.processor, f"{base}/result", {"result_number": "1"})
    assert refused.status_code == 403 and "Lãnh đạo ký duyệt" in refused.json()["detail"]
    english = post_api(people.processor, f"{base}/result", {"result_number": "1"}, lang="en")
    assert english.status_code == 403 and "only its holder may act" in english.json()["detail"]
    assert post_api(people.processor, f"{base}/leader-approve", {}).status_code == 403
    assert post_api(people.leader, f"{base}/forward", {}).status_code == 409
    assert post_api(people.leader, f"{base}/leader-return", {"reasons": " "}).status_code == 422
    assert unchanged(signing)
    body = post_api(people.leader, f"{base}/leader-return", {"reasons": "Xem lại"}).json()
    assert body["current_step"] == 4 and body["events"][-1]["note"] == "Xem lại"
    assert "forward" in body["actions"] and "leader_approve" not in body["actions"]


def test_a_configured_signer_is_handed_the_decision(signing, people, settings):
    settings.MOTCUA_DECISION_SIGNER = "tests.dossiers.test_decisions.signer_for_tests"
    SIGNED.clear()
    d = services.leader_approve(people.leader, signing, at=vn(2026, 11, 18, 9))
    assert [(s.code, s.action, s.signer_username) for s in SIGNED] == [(d.code, "leader_approve", "leader")]
    assert d.events.order_by("seq").last().changes["signature"] == f"sig-{d.code}"
