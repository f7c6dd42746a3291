"""Citizen accounts: sign up with an e-mail address or a phone number, proved by a one-time code."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from motcua.core.errors import Refused
from motcua.core.messages import Message as _

from .models import CitizenProfile, ContactCheck, User
from .sms import send_sms

CODE_LIFETIME = timedelta(minutes=15)
CODE_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)


class AccountError(Refused):
    """A refused sign-up, code or password change."""


@dataclass(frozen=True)
class Contact:
    kind: str  # "email" or "phone"
    value: str


def parse_contact(text: str) -> Contact:
    """An e-mail address (lower-cased) or a Vietnamese mobile number (0 and nine digits; +84 read as 0)."""
    text = (text or "").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise AccountError(_("“%(contact)s” is not a valid e-mail address.") % {"contact": text}) from None
        return Contact("email", text.lower())
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0[35789]\d{8}", digits):
        raise AccountError(_("Give an e-mail address or a mobile number of ten digits starting with 0."))
    return Contact("phone", digits)


def register_citizen(contact_text: str, full_name: str, password: str, at: datetime | None = None) -> User:
    """Create the account, inactive until the code sent to the contact is entered.

    Signing up again before verifying replaces the name and password and sends a new code; a
    verified contact cannot be taken over this way.
    """
    at = at or timezone.now()
    contact = parse_contact(contact_text)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise AccountError(_("Give your full name."))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=contact.value).first()
        if user is not None and user.is_active:
            raise AccountError(_("An account with this contact already exists: log in instead."))
        user = user or User(username=contact.value, is_active=False)
        user.full_name = full_name
        user.email = contact.value if contact.kind == "email" else ""
        user.phone = contact.value if contact.kind == "phone" else ""
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise AccountError(" ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        send_code(user, at)
    return user


def send_code(user: User, at: datetime | None = None) -> ContactCheck:
    """Send a fresh six-digit code to the account's contact; earlier codes stop working."""
    at = at or timezone.now()
    contact = user.email or user.phone
    last = ContactCheck.objects.filter(user=user).first()
    if last is not None and last.verified_at is None and at - last.sent_at < RESEND_AFTER:
        raise AccountError(_("A code was sent less than a minute ago; wait a moment before asking again."))
    code = f"{secrets.randbelow(10**6):06d}"
    ContactCheck.objects.filter(user=user, verified_at__isnull=True).delete()
    check = ContactCheck.objects.create(
        user=user, contact=contact, code_digest=_digest(code), sent_at=at, expires_at=at + CODE_LIFETIME
    )
    text = str(_("Your motcua verification code is %(code)s. It is valid for 15 minutes.") % {"code": code})
    if user.email:
        send_mail(str(_("motcua: verification code")), text, None, [user.email])
    else:
        send_sms(user.phone, text)
    return check


def verify_contact(contact_text: str, code: str, at: datetime | None = None) -> User:
    """Activate the account when the code matches; a few wrong tries spend the code."""
    at = at or timezone.now()
    check = _spend_code(parse_contact(contact_text).value, code, at)
    user = check.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def _spend_code(username: str, code: str, at: datetime) -> ContactCheck:
    """Mark the account's open code used if ``code`` matches it; count a wrong try otherwise."""
    wrong = AccountError(_("The code is wrong or has expired. Ask for a new one."))
    with transaction.atomic():
        check = (
            ContactCheck.objects.select_for_update()
            .filter(user__username=username, verified_at__isnull=True)
            .select_related("user")
            .first()
        )
        if check is None or check.expires_at < at or check.attempts >= CODE_ATTEMPTS:
            raise wrong
        matched = hmac.compare_digest(check.code_digest, _digest((code or "").strip()))
        if matched:
            check.verified_at = at
            check.save(update_fields=["verified_at"])
        else:  # the wrong try is kept: raising inside the block would roll it back
            check.attempts += 1
            check.save(update_fields=["attempts"])
    if not matched:
        raise wrong
    return check


def request_password_reset(contact_text: str, at: datetime | None = None) -> None:
    """Send a reset code to an active account's contact; says nothing of whether one exists."""
    contact = parse_contact(contact_text)
    user = User.objects.filter(username=contact.value, is_active=True).first()
    if user is not None:
        with contextlib.suppress(AccountError):  # a code sent a moment ago still works
            send_code(user, at)


def reset_password(contact_text: str, code: str, password: str, at: datetime | None = None) -> User:
    """Set a new password when the code sent for it matches (the same rules as sign-up codes)."""
    at = at or timezone.now()
    contact = parse_contact(contact_text)
    user = User.objects.filter(username=contact.value, is_active=True).first()
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None
    checked = _spend_code(contact.value, code, at)
    if user is None or checked.user_id != user.pk:
        raise AccountError(_("The code is wrong or has expired. Ask for a new one."))
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@dataclass(frozen=True)
class Prefill:
    """What the account knows of its holder, to fill in an application form."""

    name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    commune: object = None  # a units.Unit, or None


def prefill_for(user: User) -> Prefill:
    """The account's name and contacts, with the ID number, address and commune it remembers."""
    profile = CitizenProfile.objects.filter(user=user).select_related("commune").first()
    contact = user.username if "@" in user.username else ""
    return Prefill(
        name=user.full_name or user.get_full_name(),
        id_number=profile.id_number if profile else "",
        phone=user.phone,
        email=user.email or contact,
        address=profile.address if profile else "",
        commune=profile.commune if profile else None,
    )


def remember_details(user: User, *, id_number: str, address: str, commune) -> None:
    """Keep the applicant's ID number, address and commune for the next applications."""
    CitizenProfile.objects.update_or_create(
        user=user, defaults={"id_number": id_number.strip(), "address": address.strip(), "commune": commune}
    )


def is_official(user: User) -> bool:
    """Whether the user holds any role other than citizen (officials work in the back office).

    Read once per user object (one request): the access check, the menu and the second-step check ask it."""
    from .models import Role

    if not user.is_authenticated:
        return False
    cached = user.__dict__.get("_is_official")
    if cached is None:
        cached = user._is_official = user.is_staff or user.roles.exclude(role=Role.CITIZEN).exists()
    return cached


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()
