"""When an applicant is told, by which channels, with which words, and when a failed message is
tried again. Pure: no ORM, no clock.

    change of the dossier row                                  notice
    a new dossier submitted online                             submitted: its code, awaiting the desk
    status → accepted, not received before                     receipt (with the receipt form 01)
    status → waiting for supplement (not on arrival at the     supplement request (form 02)
      desk, where the applicant holds form 02)
    processing unit and appointment both changed               transfer that moves the appointment
    apology count went up                                      apology with the new date (form 04)
    status → result ready                                      result ready
    status → returned                                          result handed over
    (feedback answered, told by the portal)                    feedback answered

A migrated dossier is never the subject of a notice: its applicant heard from the old system.
"""

from __future__ import annotations

import enum
import string
from datetime import timedelta

from motcua.core.messages import Message as _
from motcua.dossiers.rules import Status


class Event(enum.StrEnum):
    SUBMITTED = "submitted"
    RECEIPT = "receipt"
    SUPPLEMENT = "supplement"
    TRANSFER = "transfer"
    APOLOGY = "apology"
    RESULT = "result"
    RETURNED = "returned"
    FEEDBACK = "feedback"


class Channel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"


# The dossier row fields a notice is decided on (compared before and after each event).
WATCHED = ("status", "received_at", "appointment_at", "apology_count", "processing_unit_id", "migrated")


def notice_due(before: dict | None, after: dict) -> Event | None:
    """The notice one event of a dossier calls for, from its watched fields before and after."""
    if after.get("migrated"):
        return None
    old_status = None if before is None else before["status"]
    status = after["status"]
    if status != old_status:
        if status == Status.SUBMITTED and before is None:
            return Event.SUBMITTED
        if status == Status.ACCEPTED and (before is None or before["received_at"] is None) and after["received_at"]:
            return Event.RECEIPT
        if status == Status.WAITING_SUPPLEMENT and before is not None:  # on arrival: form 02 in hand
            return Event.SUPPLEMENT
        if status == Status.RESULT_READY:
            return Event.RESULT
        if status == Status.RETURNED:
            return Event.RETURNED
    if before is None:
        return None
    if after["apology_count"] > before["apology_count"]:
        return Event.APOLOGY
    if (
        after["processing_unit_id"] != before["processing_unit_id"]
        and after["appointment_at"] != before["appointment_at"]
        and after["appointment_at"] is not None
    ):
        return Event.TRANSFER
    return None


def channels_for(phone: str, email: str, chosen: frozenset[Channel] | None = None) -> list[Channel]:
    """The channels to use: those the applicant chose among the contacts the dossier holds; when
    none of the chosen ones has a contact (or nothing was chosen), every contact given."""
    available = [channel for channel, contact in ((Channel.SMS, phone), (Channel.EMAIL, email)) if contact.strip()]
    picked = [channel for channel in available if chosen and channel in chosen]
    return picked or available


# What a template may say; a value missing for an event renders empty.
PLACEHOLDERS = frozenset(
    {
        "code",  # the dossier's code
        "procedure",  # the procedure's name
        "applicant",  # the applicant's name
        "unit",  # the receiving desk
        "processing_unit",  # the agency processing the dossier now
        "appointment",  # the appointment, "17:30 15/12/2026" (Vietnam time)
        "lookup_url",  # the public lookup page with the dossier's code (never the secret)
        "reasons",  # what to supplement, why a date moved, why a request was refused
        "result",  # the result document's number
        "tracking",  # the postal tracking number of a result sent by post
        "feedback_code",
        "title",  # the feedback's title
        "answer",  # the unit's answer to a feedback
    }
)


class TemplateError(ValueError):
    pass


def placeholders_in(text: str) -> list[str]:
    """The placeholders ``text`` names, checked: only plain names from ``PLACEHOLDERS``."""
    try:
        fields = [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
    except ValueError:
        raise TemplateError(_("Unbalanced braces: write {{ and }} for a brace itself.")) from None
    unknown = sorted({name for name in fields if name not in PLACEHOLDERS})
    if unknown:
        raise TemplateError(
            _("Unknown placeholder(s): %(names)s. Use: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(sorted(PLACEHOLDERS))}
        )
    return fields


def render(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{name}`` replaced by its value (missing ones by nothing)."""
    placeholders_in(text)
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(str(values.get(name) or ""))
    return "".join(parts)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Waits between attempts: the first try is at once, then 1 min, 5 min, 30 min and 2 h after the
# last failure; after MAX_ATTEMPTS tries the delivery stays failed, in the log, for a person to see.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retry_delay(attempts: int) -> timedelta | None:
    """How long after try number ``attempts`` (1-based) to try again; None: give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[attempts - 1]
