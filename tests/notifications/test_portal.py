"""The portal's side: the sender of an answered feedback is told, and a citizen chooses how to be
told of their dossiers."""

from datetime import date

from motcua.notifications.models import Delivery, Preference
from motcua.people import sms
from motcua.people.models import Role, User
from motcua.people.services import assign_role
from motcua.portal import services
from motcua.units.services import unit_on

DAY = date(2026, 11, 30)


def test_the_sender_of_an_answered_feedback_is_told_once(demo, django_capture_on_commit_callbacks):
    feedback = services.send_feedback(
        services.FeedbackInput(unit_on("04105", DAY), "Sáng", "0912 345 678", "Hẹn trả chậm", "Nội dung")
    )
    leader = User.objects.create_user("leader.maison", password="x-not-used-1")
    assign_role(leader, Role.UNIT_LEADER, unit_on("04105", DAY))
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_feedback(leader, feedback, "Đã trả kết quả ngày 01/12.", publish=False)
        services.answer_feedback(leader, feedback, "Đã trả kết quả ngày 01/12/2026.", publish=True)
    (row,) = Delivery.objects.all()
    assert (row.event, row.channel, row.recipient, row.status, row.feedback_code) == (
        "feedback", "sms", "0912345678", "sent", feedback.code,
    )  # fmt: skip
    unit = unit_on("04105", DAY).name
    assert sms.outbox == [
        ("0912345678", f"{unit} trả lời phản ánh, kiến nghị {feedback.code}: Đã trả kết quả ngày 01/12.")
    ]


def test_a_citizen_chooses_the_channels_and_the_language(client, demo):
    citizen = User.objects.create_user("0912345678", password="x-not-used-1", phone="0912345678")
    assert client.post("/ca-nhan/thong-bao/", {"sms": "on", "language": "vi"}).status_code == 302
    assert not Preference.objects.exists()  # not signed in: sent to the sign-in page
    client.force_login(citizen)
    page = client.get("/ca-nhan/").content.decode()
    assert 'id="notices"' in page and 'name="sms" checked' in page and 'name="email" checked' in page
    refused = client.post("/ca-nhan/thong-bao/", {"language": "vi"}, follow=True)
    assert "Hãy chọn ít nhất một cách nhận thông báo" in refused.content.decode()
    assert not Preference.objects.exists()
    response = client.post("/ca-nhan/thong-bao/", {"email": "on", "language": "en"})
    assert response.status_code == 302 and response["Location"] == "/ca-nhan/#notices"
    chosen = Preference.objects.get(user=citizen)
    assert (chosen.sms, chosen.email, chosen.language) == (False, True, "en")
    page = client.get("/ca-nhan/").content.decode()
    assert 'name="sms">' in page and 'name="email" checked' in page and '<option value="en" selected>' in page


def test_a_bad_language_is_refused(client, demo):
    citizen = User.objects.create_user("0912345679", password="x-not-used-1", phone="0912345679")
    client.force_login(citizen)
    response = client.post("/ca-nhan/thong-bao/", {"sms": "on", "language": "fr"}, follow=True)
    assert "Hãy chọn tiếng Việt hoặc tiếng Anh" in response.content.decode()
    assert not Preference.objects.exists()


def test_the_administration_shows_the_log_and_refuses_a_template_with_an_unknown_placeholder(client, demo):
    from motcua.notifications.models import Template

    admin = User.objects.create_superuser("root", password="x-not-used-1")
    client.force_login(admin)
    assert client.get("/quan-tri/notifications/delivery/").status_code == 200
    template = Template.objects.get(event="receipt", channel="sms", language="vi")
    response = client.post(
        f"/quan-tri/notifications/template/{template.pk}/change/",
        {"event": "receipt", "channel": "sms", "language": "vi", "subject": "", "body": "Mã {secret}"},
    )
    assert response.status_code == 200 and "secret" in response.content.decode()
    template.refresh_from_db()
    assert template.body.startswith("{unit} đã tiếp nhận hồ sơ {code}")
