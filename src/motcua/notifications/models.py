"""Notices to applicants: the message templates (data, in Vietnamese and English), each citizen's
choice of channels, and the delivery log, one row per message, with its attempts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import rules


class Event(models.TextChoices):
    SUBMITTED = rules.Event.SUBMITTED, _("Submitted online")
    RECEIPT = rules.Event.RECEIPT, _("Dossier received")
    SUPPLEMENT = rules.Event.SUPPLEMENT, _("Supplement requested")
    TRANSFER = rules.Event.TRANSFER, _("Transferred, appointment moved")
    APOLOGY = rules.Event.APOLOGY, _("Apology and new date")
    RESULT = rules.Event.RESULT, _("Result ready")
    RETURNED = rules.Event.RETURNED, _("Result handed over")
    FEEDBACK = rules.Event.FEEDBACK, _("Feedback answered")


class Channel(models.TextChoices):
    SMS = rules.Channel.SMS, _("SMS")
    EMAIL = rules.Channel.EMAIL, _("E-mail")


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class Template(models.Model):
    """The words of one notice on one channel in one language; ``{code}``-style placeholders."""

    event = models.CharField(_("event"), max_length=12, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)  # e-mail only
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        ordering = ["event", "channel", "language"]
        constraints = [models.UniqueConstraint(fields=["event", "channel", "language"], name="notice_template_unique")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.get_channel_display()} · {self.language}"

    def clean(self):
        for name in ("subject", "body"):
            try:
                rules.placeholders_in(getattr(self, name))
            except rules.TemplateError as error:
                raise ValidationError({name: str(error.args[0])}) from None


class Preference(models.Model):
    """How a citizen with an account wants to be told: SMS, e-mail or both, in which language.
    Without a row, every contact given on the dossier is used, in Vietnamese."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference")
    sms = models.BooleanField(_("SMS"), default=True)
    email = models.BooleanField(_("E-mail"), default=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.VI)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: sms={self.sms} email={self.email} {self.language}"

    @property
    def channels(self) -> frozenset[rules.Channel]:
        return frozenset(c for c, on in ((rules.Channel.SMS, self.sms), (rules.Channel.EMAIL, self.email)) if on)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One message to one recipient on one channel, caused by one event: of a dossier (its
    sequence number) or of a feedback (its code). Unique per cause and channel: never sent twice."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("dossier")
    )
    seq = models.PositiveIntegerField(_("event number"), null=True, blank=True)  # the dossier's version
    feedback_code = models.CharField(_("feedback code"), max_length=30, blank=True)
    event = models.CharField(_("event"), max_length=12, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    # When to try (again); None once sent or given up.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "seq", "channel"],
                condition=models.Q(dossier__isnull=False),
                name="delivery_dossier_event_unique",
            ),
            models.UniqueConstraint(
                fields=["feedback_code", "event", "channel"],
                condition=~models.Q(feedback_code=""),
                name="delivery_feedback_event_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(next_attempt_at__isnull=False), name="delivery_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.recipient} ({self.status})"
