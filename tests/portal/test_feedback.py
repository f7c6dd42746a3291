import re
from datetime import date

import pytest

from motcua.dossiers import services as dossiers
from motcua.dossiers.rules import Action, Channel
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.portal import services
from motcua.portal.models import Feedback
from motcua.units.services import unit_on

from .conftest import captcha_answer

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 30)


def form(**extra):
    return {
        "name": "Quàng Văn Sáng",
        "contact": "0912 345 678",
        "title": "Hẹn trả kết quả chậm",
        "content": "Tôi nộp hồ sơ đã quá hẹn.\n\nĐề nghị xem xét.",
        **extra,
    }


def test_feedback_needs_the_captcha_and_goes_to_the_chosen_unit(client, demo):
    unit = unit_on("04105", DAY)
    page = client.get("/phan-anh-kien-nghi/")
    wrong = client.post(
        "/phan-anh-kien-nghi/", form(unit=unit.pk, captcha_0=captcha_answer(page)["captcha_0"], captcha_1="AAAAA")
    )
    assert wrong.status_code == 422 and not Feedback.objects.exists()
    response = client.post("/phan-anh-kien-nghi/", form(unit=unit.pk, **captcha_answer(wrong)))
    assert response.status_code == 302
    sent = Feedback.objects.get()
    assert (sent.unit, sent.contact, sent.status) == (unit, "0912345678", "new")
    assert sent.code.startswith("PAKN-")


def test_a_feedback_naming_a_dossier_goes_to_the_unit_handling_it(demo, birth):
    desk = User.objects.create_user("d", password="x-not-used-1")
    assign_role(desk, Role.DESK_OFFICER, unit_on("04105.TTPVHCC", DAY))
    intake = dossiers.Intake(
        birth,
        unit_on("04105.TTPVHCC", DAY),
        unit_on("04105.VP", DAY),  # civil status: the commune office
        Channel.IN_PERSON,
        dossiers.Applicant("Sáng"),
        [dossiers.ComponentInput(order=c.order) for c in birth.components.all()],
    )
    dossier = dossiers.receive(desk, intake, Action.ACCEPT)
    sent = services.send_feedback(
        services.FeedbackInput(
            unit=unit_on("14", DAY),
            name="Sáng",
            contact="sang@example.vn",
            title="Chậm",
            content="…",
            dossier_code=dossier.code,
        )
    )
    assert sent.unit == dossier.processing_unit
    with pytest.raises(services.DossierError):
        services.send_feedback(services.FeedbackInput(None, "Sáng", "sang@example.vn", "Chậm", "…", dossier_code="X"))
    with pytest.raises(services.DossierError):
        services.send_feedback(services.FeedbackInput(unit_on("14", DAY), "Sáng", "không liên lạc", "Chậm", "…"))


def test_the_unit_answers_publishes_and_others_cannot_see_it(client, demo):
    feedback = services.send_feedback(
        services.FeedbackInput(unit_on("04105", DAY), "Sáng", "0912345678", "Hẹn trả chậm", "Nội dung")
    )
    leader = User.objects.create_user("leader.maison", password="x-not-used-1")
    assign_role(leader, Role.UNIT_LEADER, unit_on("04105", DAY))
    stranger = User.objects.create_user("leader.other", password="x-not-used-1")
    assign_role(stranger, Role.UNIT_LEADER, unit_on("04078", DAY))
    client.force_login(stranger)
    assert feedback.code not in client.get("/phan-anh-kien-nghi/xu-ly/").content.decode()
    assert client.get(f"/phan-anh-kien-nghi/xu-ly/{feedback.pk}/").status_code == 404
    client.force_login(leader)
    assert feedback.code in client.get("/phan-anh-kien-nghi/xu-ly/").content.decode()
    assert client.post(f"/phan-anh-kien-nghi/xu-ly/{feedback.pk}/", {"answer": " "}).status_code == 422
    client.post(f"/phan-anh-kien-nghi/xu-ly/{feedback.pk}/", {"answer": "Đã trả kết quả ngày 01/12.", "publish": "on"})
    feedback.refresh_from_db()
    assert (feedback.status, feedback.published, feedback.answered_by) == ("answered", True, leader)
    client.logout()
    page = client.get("/phan-anh-kien-nghi/").content.decode()
    assert "Hẹn trả chậm" in page and "Đã trả kết quả ngày 01/12." in page
    assert "0912345678" not in page  # the sender's contact is never published


def test_feedback_from_one_address_is_throttled(client, demo):
    unit = unit_on("04105", DAY)
    for _ in range(5):
        page = client.get("/phan-anh-kien-nghi/")
        assert client.post("/phan-anh-kien-nghi/", form(unit=unit.pk, **captcha_answer(page))).status_code == 302
    page = client.get("/phan-anh-kien-nghi/")
    assert client.post("/phan-anh-kien-nghi/", form(unit=unit.pk, **captcha_answer(page))).status_code == 429
    assert Feedback.objects.count() == 5


def test_the_sender_looks_a_feedback_up_by_its_code_and_the_contact_given(client, demo):
    feedback = services.send_feedback(
        services.FeedbackInput(unit_on("04105", DAY), "Sáng", "0912 345 678", "Hẹn trả chậm", "Quá hẹn hai ngày.")
    )
    # Nothing is shown by an address, whatever it carries: the form, with the code.
    form = client.get("/phan-anh-kien-nghi/tra-cuu/", {"code": feedback.code, "contact": "0912345678"})
    page = form.content.decode()
    assert form.status_code == 200 and "Quá hẹn hai ngày." not in page
    assert f'name="code" value="{feedback.code}"' in page
    missed = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": feedback.code, "contact": "0987654321"})
    assert missed.status_code == 404 and "Quá hẹn hai ngày." not in missed.content.decode()
    assert client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": feedback.code}).status_code == 422

    def shown(contact):
        response = client.post("/phan-anh-kien-nghi/tra-cuu/", {"code": feedback.code.lower(), "contact": contact})
        assert response.status_code == 200
        page = response.content.decode()
        status = re.search(r'<span class="status">([^<]*)</span>', page)[1]
        answer = re.search(r'<div class="answer">(.*?)</div>', page, re.S)
        return status, answer[1] if answer else None, "Quá hẹn hai ngày." in page

    assert shown("+84 912 345 678") == ("Đã tiếp nhận", None, True)
    leader = User.objects.create_user("leader.maison", password="x-not-used-1")
    assign_role(leader, Role.UNIT_LEADER, unit_on("04105", DAY))
    services.answer_feedback(leader, feedback, "Đã trả kết quả ngày 01/12.", publish=False)
    status, answer, _content = shown("0912345678")
    assert (status, answer) == ("Đã trả lời", None)  # answered, not published: sent to the sender only
    services.answer_feedback(leader, feedback, "Đã trả kết quả ngày 01/12.", publish=True)
    assert shown("0912345678") == ("Đã trả lời", "<p>Đã trả kết quả ngày 01/12.</p>", True)


def test_feedback_lookup_misses_are_throttled(client, demo):
    feedback = services.send_feedback(
        services.FeedbackInput(unit_on("04105", DAY), "Sáng", "sang@example.vn", "Chậm", "Nội dung")
    )
    for n in range(10):
        guess = {"code": feedback.code, "contact": f"sang{n}@example.vn"}
        assert client.post("/phan-anh-kien-nghi/tra-cuu/", guess).status_code == 404
    right = {"code": feedback.code, "contact": "Sang@Example.vn"}
    assert client.post("/phan-anh-kien-nghi/tra-cuu/", right).status_code == 429
