"""Notices through the services: written with the dossier's change, sent after commit, logged,
retried when a gateway fails, and never holding up or undoing the change."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Action, Status
from motcua.notifications import sending
from motcua.notifications import services as notices
from motcua.notifications.models import Delivery, Preference
from motcua.people import sms
from motcua.units.services import unit_on
from tests.dossiers.conftest import DAY, vn

from .conftest import intake

CODE = "04105.TTPVHCC-261116-0001"
LINK = f"https://dichvucong.sonla.gov.vn/tra-cuu/?code={CODE}"  # the code only, never the secret


def test_a_receipt_goes_by_sms_and_by_e_mail_with_the_receipt_form_after_commit(receive):
    dossier = receive()
    rows = list(Delivery.objects.order_by("channel"))
    assert [(r.channel, r.event, r.recipient, r.status, r.attempts, r.seq) for r in rows] == [
        ("email", "receipt", "minh@example.vn", "sent", 1, 1),
        ("sms", "receipt", "0912345678", "sent", 1, 1),
    ]
    desk = dossier.receiving_unit.name
    assert sms.outbox == [
        (
            "0912345678",
            f"{desk} đã tiếp nhận hồ sơ {CODE}, hẹn trả kết quả lúc 09:00 16/12/2026. Tra cứu: {LINK}",
        )
    ]
    (message,) = mail.outbox
    assert (message.subject, message.to) == (f"Tiếp nhận hồ sơ {CODE}", ["minh@example.vn"])
    assert f"- Mã số hồ sơ: {CODE}\n- Thủ tục: {dossier.procedure.name}\n" in message.body
    assert f"tra cứu tình trạng giải quyết hồ sơ tại: {LINK}\n\nTrân trọng." in message.body
    assert dossier.secret not in sms.outbox[0][1] and dossier.secret not in message.body
    ((name, content, kind),) = message.attachments
    assert (name, kind, content[:5]) == (f"giay-tiep-nhan-{CODE}.pdf", "application/pdf", b"%PDF-")


def test_nothing_is_sent_before_commit(receive):
    receive(execute=False)
    assert list(Delivery.objects.values_list("status", flat=True)) == ["pending", "pending"]
    assert sms.outbox == [] and mail.outbox == []


def test_a_rolled_back_action_leaves_no_notice(people, land, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.receive(people.desk, intake(land), Action.ACCEPT, at=vn(2026, 11, 16, 9))
        raise RuntimeError("the caller's next step failed")
    assert callbacks == [] and not Delivery.objects.exists() and sms.outbox == []


def test_a_failing_gateway_is_logged_retried_and_never_touches_the_dossier(receive, settings):
    settings.MOTCUA_SMS_BACKEND = "tests.notifications.conftest.BrokenGateway"
    dossier = receive(email="")
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "ConnectionError: SMS gateway unreachable")
    assert row.next_attempt_at - row.created_at < timedelta(minutes=1, seconds=5)  # a minute after the try
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.status, stored.code, stored.version) == (Status.ACCEPTED, CODE, 1)
    # Not due yet: nothing is tried.
    assert sending.send_due(now=vn(2026, 11, 16, 9)).as_dict() == {"sent": 0, "failed": 0, "skipped": 0}
    settings.MOTCUA_SMS_BACKEND = "motcua.people.sms.MemoryBackend"
    later = row.next_attempt_at + timedelta(seconds=1)
    assert sending.send_due(now=later).as_dict() == {"sent": 1, "failed": 0, "skipped": 0}
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("sent", 2, None)
    assert [phone for phone, _text in sms.outbox] == ["0912345678"]
    assert sending.send_due(now=later + timedelta(days=1)).sent == 0  # never twice


def test_a_delivery_is_given_up_after_five_tries(receive, settings):
    settings.MOTCUA_SMS_BACKEND = "tests.notifications.conftest.BrokenGateway"
    receive(email="")
    row = Delivery.objects.get()
    moment = row.created_at
    for _try in range(4):
        moment += timedelta(hours=3)
        sending.send_due(now=moment)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 5, None)
    assert sending.send_due(now=moment + timedelta(days=7)).failed == 0
    assert notices.summary(moment)["given_up"] == 1


def test_two_workers_never_send_the_same_delivery(receive):
    receive(email="", execute=False)
    row = Delivery.objects.get()
    assert sending._claim(row, row.created_at) is True
    stale = Delivery.objects.get(pk=row.pk)
    stale.attempts = 0  # the second worker read the row before the first claimed it
    assert sending._claim(stale, row.created_at) is False


def test_no_notice_without_a_contact(receive):
    receive(phone="", email="")
    assert not Delivery.objects.exists()


def test_the_days_of_a_dossier_each_tell_the_applicant(receive, people, django_capture_on_commit_callbacks):
    d = receive(email="")
    with django_capture_on_commit_callbacks(execute=True):
        d = services.forward(people.desk, d, at=vn(2026, 11, 16, 10))
        d = services.assign(people.leader, d, people.processor, at=vn(2026, 11, 16, 11))
        d = services.forward(people.leader, d, at=vn(2026, 11, 16, 14))
        d = services.request_supplement(people.processor, d, "Thiếu bản vẽ sơ đồ thửa đất", at=vn(2026, 11, 17, 9))
        d = services.resume(people.desk, d, at=vn(2026, 11, 18, 9))
        d = services.apologize(people.processor, d, vn(2027, 1, 5, 17, 30), "Chờ ý kiến cơ quan thuế",
                               at=vn(2026, 12, 1, 9))  # fmt: skip
        d = services.transfer(people.processor, d, unit_on("04105.PVHXH", DAY), "Xác minh", at=vn(2026, 12, 2, 10))
    events = list(Delivery.objects.order_by("seq").values_list("seq", "event"))
    # accept 1, forward 2, assign 3, forward 4, supplement 5, resume 6, apology 7, transfer 8 (appointment kept)
    assert events == [(1, "receipt"), (5, "supplement"), (7, "apology")]
    texts = [text for _phone, text in sms.outbox]
    link = LINK
    assert not any(d.secret in text for text in texts)
    assert texts[1] == f"Hồ sơ {CODE} cần bổ sung, hoàn thiện: Thiếu bản vẽ sơ đồ thửa đất. Chi tiết: {link}"
    assert texts[2] == (
        f"{unit_on('04105.PKT', DAY).name} xin lỗi Ông/Bà vì hồ sơ {CODE} chậm so với hẹn; hẹn trả kết quả mới lúc "
        f"17:30 05/01/2027. Tra cứu: {link}"
    )


def test_result_ready_and_handed_over(receive, people, django_capture_on_commit_callbacks):
    d = receive(email="")
    with django_capture_on_commit_callbacks(execute=True):
        d = services.forward(people.desk, d, at=vn(2026, 11, 16, 10))
        d = services.assign(people.leader, d, people.processor, at=vn(2026, 11, 16, 11))
        d = services.forward(people.leader, d, at=vn(2026, 11, 16, 14))
        d = services.forward(people.processor, d, at=vn(2026, 11, 17, 9))
        d = services.forward(people.leader, d, at=vn(2026, 11, 18, 9))  # the review
        d = services.leader_approve(people.leader, d, at=vn(2026, 11, 19, 9))  # the signature
        d = services.issue_result(people.processor, d, approved=True, result_number="GCN 1", at=vn(2026, 11, 20, 10))
        d = services.hand_over(people.desk, d, "desk", at=vn(2026, 11, 23, 8))
    assert list(Delivery.objects.order_by("seq").values_list("event", flat=True)) == ["receipt", "result", "returned"]
    assert sms.outbox[-1][1] == f"Hồ sơ {CODE} đã được trả kết quả. Mời Ông/Bà đánh giá mức độ hài lòng tại: {LINK}"
    assert not any(d.secret in text for _phone, text in sms.outbox)


def test_the_citizens_choice_of_channel_and_language(receive, people, land, django_capture_on_commit_callbacks):
    from motcua.people.models import User

    citizen = User.objects.create_user("minh@example.vn", password="x-not-used-1", email="minh@example.vn")
    Preference.objects.create(user=citizen, sms=False, email=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        d = services.receive(citizen, intake(land, channel_online=True), Action.SUBMIT, at=vn(2026, 11, 16, 9))
        (submitted,) = Delivery.objects.all()  # its code at once, awaiting the desk
        services.accept(people.desk, d, at=vn(2026, 11, 16, 10))
    submitted, received = Delivery.objects.order_by("pk")
    assert (submitted.channel, submitted.language, submitted.subject) == ("email", "en", f"Dossier {CODE} submitted")
    assert (received.channel, received.language, received.subject) == ("email", "en", f"Dossier {CODE} received")
    assert sms.outbox == [] and [m.subject for m in mail.outbox] == [
        f"Dossier {CODE} submitted",
        f"Dossier {CODE} received",
    ]
    assert mail.outbox[1].body.startswith("Dear Lò Văn Minh,\n\n")


def test_a_migrated_dossier_is_never_the_subject_of_a_notice(db, tmp_path, people, django_capture_on_commit_callbacks):
    path = tmp_path / "dossiers.csv"
    path.write_text(
        "code,procedure_code,receiving_unit,processing_unit,channel,received_at,due_at,finished_at,outcome,"
        "returned_at,digitized,result_digitized,applicant_name,applicant_id\n"
        "04105.TTPVHCC-260302-0002,1.001612,04105.TTPVHCC,04105.PKT,2,2026-03-02T09:00:00+07:00,,,,,0,0,Cầm Thị B,\n",
        encoding="utf-8",
    )
    call_command("import", "dossiers", str(path))
    Dossier.objects.update(applicant_phone="0987654321")
    d = Dossier.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        d = services.issue_result(people.processor, d, approved=True, result_number="GP 7", at=vn(2026, 3, 4, 9))
    assert d.status == Status.RESULT_READY
    assert not Delivery.objects.exists() and sms.outbox == []


def test_the_notify_command_sends_what_is_due(receive, capsys):
    receive(execute=False)
    call_command("notify")
    assert capsys.readouterr().out.strip() == '{"sent": 2, "failed": 0, "skipped": 0}'
    call_command("notify", "--summary")
    assert '"sent": 2' in capsys.readouterr().out


def test_made_up_histories_tell_no_one(receive):
    with notices.held_back():
        receive()
    assert not Delivery.objects.exists() and sms.outbox == []
