"""Inviting officials to set their password: a one-time link by e-mail.

The link is Django's password-reset link signed with our own salt (``tokens``): it works once (a
password set changes what it is signed over) and for ``PASSWORD_RESET_TIMEOUT`` (three days by
default); after that the official is invited again. The invitation is recorded in the transaction
that makes the account and handed to the task queue only after commit, so a refused import mails
nobody and an invitation is sent at most once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from motcua.core.messages import Message as _

from .models import Invitation, User

logger = logging.getLogger("motcua.people")


class InvitationTokens(PasswordResetTokenGenerator):
    key_salt = "motcua.people.invitations.InvitationTokens"


tokens = InvitationTokens()


def link(user: User) -> str:
    """The address where ``user`` sets a password, on the public address when configured."""
    path = reverse("set-password", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                           "token": tokens.make_token(user)})  # fmt: skip
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{path}"


def invite(users: Iterable[User]) -> list[int]:
    """Record an invitation for each user (inside the caller's transaction) and send them after commit.
    A user whose last invitation never went out has that one sent instead of a second."""
    users = list(users)
    pending = dict(
        Invitation.objects.filter(user__in=users, sent_at__isnull=True).values_list("user_id", "pk").order_by("pk")
    )
    now = timezone.now()
    fresh = [Invitation(user=u, email=u.email, created_at=now) for u in users if u.pk not in pending]
    ids = [*pending.values(), *(row.pk for row in Invitation.objects.bulk_create(fresh))]
    if ids:
        transaction.on_commit(partial(enqueue, ids), robust=True)
    return ids


def resend_unsent(users: Iterable[User]) -> list[int]:
    """Queue again, after commit, the invitations of ``users`` that never went out (a mail server down)."""
    ids = list(Invitation.objects.filter(user__in=list(users), sent_at__isnull=True).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(partial(enqueue, ids), robust=True)
    return ids


def enqueue(ids: list[int]) -> None:
    try:
        send_invitations.enqueue(ids)
    except Exception:
        logger.exception("Invitations %s not enqueued; a re-import of the officials queues them again", ids)


@task
def send_invitations(ids: list[int]) -> int:
    """Send the invitations among ``ids`` not sent yet; returns how many went. Each is claimed first
    (its attempt counted in one conditional update), so two workers never send it both."""
    sent = 0
    for invitation in Invitation.objects.filter(pk__in=ids, sent_at__isnull=True).select_related("user"):
        claimed = Invitation.objects.filter(
            pk=invitation.pk, sent_at__isnull=True, attempts=invitation.attempts
        ).update(attempts=F("attempts") + 1)
        if not claimed:
            continue
        try:
            _send(invitation)
        except Exception as error:  # a mail failure stays on the row, for the next re-import to retry
            logger.warning("Invitation %s to %s failed: %s", invitation.pk, invitation.email, error)
            Invitation.objects.filter(pk=invitation.pk).update(last_error=f"{type(error).__name__}: {error}"[:2000])
        else:
            Invitation.objects.filter(pk=invitation.pk).update(
                sent_at=timezone.now(), email=invitation.user.email, last_error=""
            )
            sent += 1
    return sent


def _send(invitation: Invitation) -> None:
    user = invitation.user
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    with translation.override(settings.LANGUAGE_CODE):
        body = "\n\n".join(
            str(part)
            for part in (
                _("Dear %(name)s,") % {"name": str(user)},
                _(
                    "An account has been made for you in motcua, the one-stop system: your username is "
                    "%(username)s. Set your password at this address within %(days)s days:"
                )
                % {"username": user.username, "days": days},
                link(user),
                _("The link works once. If it has expired, ask your administrator to invite you again."),
            )
        )
        send_mail(str(_("motcua: set your password")), body, None, [user.email])  # the address as it is now
