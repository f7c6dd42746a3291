"""Which change of a dossier tells the applicant what, by which channel, in which words, and when a
failed message is tried again."""

from datetime import datetime, timedelta

import pytest

from motcua.dossiers.rules import Status
from motcua.notifications.rules import (
    MAX_ATTEMPTS,
    Channel,
    Event,
    TemplateError,
    channels_for,
    notice_due,
    render,
    retry_delay,
)

T0 = datetime(2026, 11, 16, 9, 0)
T1 = datetime(2026, 12, 15, 10, 30)
T2 = datetime(2026, 12, 22, 10, 30)


def row(status, received=T0, appointment=T1, apologies=0, unit=7, migrated=False):
    return {"status": status, "received_at": received, "appointment_at": appointment, "apology_count": apologies,
            "processing_unit_id": unit, "migrated": migrated}  # fmt: skip


CASES = [
    # accepted at the desk on arrival: the receipt
    (None, row(Status.ACCEPTED), Event.RECEIPT),
    # submitted online: its code at once, awaiting the desk
    (None, row(Status.SUBMITTED, received=None, appointment=None), Event.SUBMITTED),
    # an online dossier (not received yet) accepted from the queue: the receipt
    (row(Status.SUBMITTED, received=None, appointment=None), row(Status.ACCEPTED), Event.RECEIPT),
    # accepted once the intake supplement came in: the receipt
    (row(Status.WAITING_SUPPLEMENT, received=None, appointment=None), row(Status.ACCEPTED), Event.RECEIPT),
    # resumed after a processing supplement: back to accepted, received before, appointment moved: nothing
    (row(Status.WAITING_SUPPLEMENT), row(Status.ACCEPTED, appointment=T2), None),
    # supplement asked in processing
    (row(Status.PROCESSING), row(Status.WAITING_SUPPLEMENT), Event.SUPPLEMENT),
    # supplement asked of an online dossier waiting at the desk
    (row(Status.SUBMITTED), row(Status.WAITING_SUPPLEMENT), Event.SUPPLEMENT),
    # supplement asked at the desk on arrival, the applicant there with form 02: nothing
    (None, row(Status.WAITING_SUPPLEMENT, received=None, appointment=None), None),
    # transfer that moves the appointment
    (row(Status.PROCESSING), row(Status.PROCESSING, unit=8, appointment=T2), Event.TRANSFER),
    # transfer that keeps the appointment: nothing
    (row(Status.ACCEPTED), row(Status.PROCESSING, unit=8), None),
    # apology with a new date
    (row(Status.PROCESSING), row(Status.PROCESSING, appointment=T2, apologies=1), Event.APOLOGY),
    (row(Status.PROCESSING), row(Status.RESULT_READY), Event.RESULT),
    (row(Status.RESULT_READY), row(Status.RETURNED), Event.RETURNED),
    # forwarded, assigned, rated, refused at intake, stopped: nothing
    (row(Status.ACCEPTED), row(Status.PROCESSING), None),
    (row(Status.PROCESSING), row(Status.PROCESSING), None),
    (row(Status.SUBMITTED, received=None), row(Status.REFUSED, received=None), None),
    (row(Status.PROCESSING), row(Status.STOPPED), None),
    # a migrated dossier never
    (row(Status.PROCESSING, migrated=True), row(Status.RESULT_READY, migrated=True), None),
    (None, row(Status.ACCEPTED, migrated=True), None),
    (None, row(Status.SUBMITTED, received=None, migrated=True), None),
]


@pytest.mark.parametrize(("before", "after", "expected"), CASES)
def test_which_change_calls_for_which_notice(before, after, expected):
    assert notice_due(before, after) == expected


@pytest.mark.parametrize(
    ("phone", "email", "chosen", "expected"),
    [
        ("0912345678", "a@b.vn", None, [Channel.SMS, Channel.EMAIL]),  # no choice: every contact given
        ("0912345678", "", None, [Channel.SMS]),
        ("", "a@b.vn", frozenset({Channel.SMS, Channel.EMAIL}), [Channel.EMAIL]),
        ("0912345678", "a@b.vn", frozenset({Channel.EMAIL}), [Channel.EMAIL]),
        # chose SMS, gave only an e-mail on this dossier: the e-mail rather than silence
        ("", "a@b.vn", frozenset({Channel.SMS}), [Channel.EMAIL]),
        (" ", "", None, []),
    ],
)
def test_channels_are_the_chosen_ones_among_the_contacts_given(phone, email, chosen, expected):
    assert channels_for(phone, email, chosen) == expected


def test_a_template_renders_its_placeholders_and_braces():
    text = "Hồ sơ {code} hẹn trả lúc {appointment}; {{không phải chỗ điền}} {reasons}"
    values = {"code": "04105.TTPVHCC-261116-0001", "appointment": "17:30 15/12/2026"}
    assert (
        render(text, values) == "Hồ sơ 04105.TTPVHCC-261116-0001 hẹn trả lúc 17:30 15/12/2026; {không phải chỗ điền} "
    )


@pytest.mark.parametrize("text", ["{code.__class__}", "{secret}", "{0}", "{code", "{code[0]}"])
def test_a_template_names_only_known_placeholders(text):
    with pytest.raises(TemplateError):
        render(text, {"code": "X"})


def test_retries_wait_longer_each_time_and_stop_after_five_tries():
    delays = [retry_delay(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert delays == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), None]
