"""Dossiers and their history. The events are the record; the dossier row, its steps and its
consultations are the current reading of them, written only by ``services``."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import rules
from .folding import CodeNumber, Fold, PhoneDigits


def _choices(enum_cls, labels):
    return [(member.value, labels[member]) for member in enum_cls]


class Channel(models.IntegerChoices):
    IN_PERSON = rules.Channel.IN_PERSON, _("In person")
    ONLINE = rules.Channel.ONLINE, _("Online")
    POSTAL = rules.Channel.POSTAL, _("Public postal service")


class Outcome(models.TextChoices):
    APPROVED = rules.Outcome.APPROVED, _("Approved")
    REFUSED = rules.Outcome.REFUSED, _("Refused")
    STOPPED = rules.Outcome.STOPPED, _("Stopped")
    WITHDRAWN = rules.Outcome.WITHDRAWN, _("Withdrawn")


class IdKind(models.TextChoices):
    PERSONAL = "personal", _("Personal identification number")
    OTHER = "other", _("Other identity document")


class ReturnMethod(models.TextChoices):
    DESK = rules.ReturnMethod.DESK, _("At the desk")
    POST = rules.ReturnMethod.POST, _("By post")
    ONLINE = rules.ReturnMethod.ONLINE, _("Online")


class Rating(models.TextChoices):
    VERY_SATISFIED = rules.Rating.VERY_SATISFIED, _("Very satisfied")
    SATISFIED = rules.Rating.SATISFIED, _("Satisfied")
    NOT_SATISFIED = rules.Rating.NOT_SATISFIED, _("Not satisfied")


STATUS_CHOICES = _choices(rules.Status, rules.STATUS_LABELS)


class Dossier(models.Model):
    # Set at acceptance; a dossier refused or asked to supplement at intake has no code.
    code = models.CharField(_("code"), max_length=60, unique=True, null=True, blank=True)
    secret = models.CharField(_("lookup secret"), max_length=16)
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("procedure")
    )
    process = models.ForeignKey("catalog.ProcessTemplate", on_delete=models.PROTECT, null=True, related_name="+")
    # The tenant key: every dossier belongs to one province.
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    receiving_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="received_dossiers", verbose_name=_("receiving unit")
    )
    processing_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="processed_dossiers", verbose_name=_("processing unit")
    )
    address_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applicant's address unit"),
    )
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)

    applicant_name = models.CharField(_("applicant"), max_length=255)
    applicant_id_kind = models.CharField(_("ID kind"), max_length=10, choices=IdKind.choices, default=IdKind.PERSONAL)
    applicant_id = models.CharField(_("ID number"), max_length=30, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="own_dossiers"
    )
    # The search keys (dossiers/search.py), kept by the database from the columns they read.
    applicant_folded = models.GeneratedField(
        expression=Fold("applicant_name"), output_field=models.CharField(max_length=255), db_persist=True
    )
    phone_digits = models.GeneratedField(
        expression=PhoneDigits("applicant_phone"), output_field=models.CharField(max_length=20), db_persist=True
    )
    code_number = models.GeneratedField(
        expression=CodeNumber("code"), output_field=models.CharField(max_length=60, null=True), db_persist=True
    )

    status = models.PositiveSmallIntegerField(_("status"), choices=STATUS_CHOICES)
    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # The legal due time, by which lateness is judged; an apology moves only the appointment.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_method = models.CharField(_("return method"), max_length=8, choices=ReturnMethod.choices, blank=True)
    tracking_number = models.CharField(_("postal tracking number"), max_length=60, blank=True)

    current_step = models.PositiveSmallIntegerField(_("current step"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("assignee"),
    )
    rule_set = models.CharField(_("rule set"), max_length=40)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    supplement_started_at = models.DateTimeField(null=True, blank=True)
    supplement_seconds = models.PositiveIntegerField(default=0)  # waiting time, kept for the national index
    apology_count = models.PositiveSmallIntegerField(default=0)
    digitized = models.BooleanField(_("digitized"), default=False)
    reused = models.BooleanField(_("reuses data held"), default=False)  # a document taken from data held
    fee_bearing = models.BooleanField(_("fee-bearing"), default=False)  # its procedure charges a fee
    paid_online = models.BooleanField(_("paid online"), default=False)

    result_number = models.CharField(_("result document"), max_length=120, blank=True)
    result_electronic = models.BooleanField(_("electronic result"), default=False)
    result_file = models.FileField(_("result file"), upload_to="results/%Y/%m/", blank=True)
    reasons = models.TextField(_("reasons"), blank=True)

    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    migrated = models.BooleanField(default=False)
    # When the dossier last moved in the reports after its receipt (another unit, due time,
    # digitization, waiting for a supplement): the row stood the same at any earlier cut-off.
    report_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0)  # bumped on every event: a stale form is refused

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["receiving_unit", "received_at"], name="dossier_receiving_idx"),
            models.Index(fields=["processing_unit", "received_at"], name="dossier_processing_idx"),
            models.Index(fields=["province", "received_at"], name="dossier_province_idx"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due_idx"),
            # Reports read the period's intake, what finished in it and the open set, never all history.
            models.Index(fields=["finished_at"], name="dossier_finished_idx"),
            models.Index(
                fields=["processing_unit", "due_at"],
                condition=models.Q(finished_at__isnull=True),
                name="dossier_open_idx",
            ),
            models.Index(
                fields=["province", "due_at"],
                condition=models.Q(finished_at__isnull=True),
                name="dossier_province_open_idx",
            ),
            models.Index(
                fields=["report_changed_at"],
                condition=models.Q(report_changed_at__isnull=False),
                name="dossier_report_changed_idx",
            ),
            # The officers' search (dossiers/search.py); names by trigrams on PostgreSQL (migration 0008).
            models.Index(fields=["applicant_id"], name="dossier_applicant_id_idx"),
            models.Index(fields=["phone_digits"], name="dossier_phone_idx"),
            models.Index(fields=["code_number"], name="dossier_code_number_idx"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def state(self) -> rules.Status:
        return rules.Status(self.status)

    def get_status_display(self):
        return rules.STATUS_LABELS[rules.Status(self.status)]


class DossierCounter(models.Model):
    """The last sequence number given out per receiving unit and day; locked while a code is made."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="dossier_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.last}"


class LetterCounter(models.Model):
    """The last number a unit gave its letters in a year (Decree 30/2020: numbers run per organ and
    year); locked while a letter is numbered, so numbers have no gaps and no repeats."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="letter_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.last}"


class Letter(models.Model):
    """A numbered letter sent on a dossier (the apology, form 04): its number and who signs it,
    fixed when the event that sends it is recorded, so every print reads the same."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="letters")
    seq = models.PositiveIntegerField()  # the event that sent it
    form = models.CharField(max_length=2)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    notation = models.CharField(max_length=60)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(max_length=255, blank=True)
    signer_position = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="letter_event_unique"),
            models.UniqueConstraint(fields=["unit", "year", "number"], name="letter_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Số: {self.number}/{self.notation}"


class DossierComponent(models.Model):
    """One document of the dossier, checked against the procedure's published list."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey("catalog.Component", on_delete=models.SET_NULL, null=True, blank=True)
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=500)
    required = models.BooleanField(_("required"), default=True)
    provided = models.BooleanField(_("provided"), default=False)
    digitized = models.BooleanField(_("digitized"), default=False)
    reused = models.BooleanField(_("reused from existing data"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="dossier_component_unique")]

    def __str__(self) -> str:
        return self.name


class DossierFile(models.Model):
    """A scan or upload, stored outside the web root and served only to those entitled."""

    component = models.ForeignKey(DossierComponent, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class DossierFee(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("name"), max_length=255)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_online = models.BooleanField(_("paid online"), default=False)

    class Meta:
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class DossierStep(models.Model):
    """One pass through a step of the internal process: the lines of the control slip (form 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("step"))
    title = models.CharField(_("work"), max_length=255)
    role = models.CharField(_("role"), max_length=12)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    hours = models.DecimalField(_("working hours"), max_digits=6, decimal_places=2)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["dossier", "started_at", "id"]
        # Early warning reads the open steps falling due soon, or past due, across a unit's subtree.
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(finished_at__isnull=True), name="step_open_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def late(self) -> bool | None:
        if self.finished_at is None:
            return None
        return self.finished_at > self.due_at


class Consultation(models.Model):
    """Another agency asked for an opinion or a part of the work (liên thông), with its own deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="consultations")
    task = models.CharField(_("task"), max_length=500)
    asked_at = models.DateTimeField(_("asked at"))
    due_at = models.DateTimeField(_("due at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["dossier", "asked_at", "id"]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.task}"


class DossierEvent(models.Model):
    """An append-only record of one change: who, when, from which status to which, and what."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("action"), max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(_("by"), max_length=255)
    at = models.DateTimeField(_("at"))
    from_status = models.PositiveSmallIntegerField(null=True, choices=STATUS_CHOICES)
    to_status = models.PositiveSmallIntegerField(choices=STATUS_CHOICES)
    step = models.PositiveSmallIntegerField(null=True)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    # The fields of the dossier row this event set, so that replaying the events rebuilds the row.
    changes = models.JSONField(default=dict)
    internal = models.BooleanField(default=False)  # hidden from the applicant's timeline

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("dossier events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("dossier events are append-only")

    @property
    def action_label(self):
        try:
            return rules.ACTION_LABELS[rules.Action(self.action)]
        except ValueError:
            return self.action


class SubmissionKey(models.Model):
    """A form's one-time key: the first request carrying it makes the dossier, a repeat of it
    (a second click, a resent form) finds that dossier instead of making another."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The dossier's id, not a foreign key: a closed year's dossiers move to the archive schema.
    dossier_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


class HeldScan(models.Model):
    """A scan the desk's intake form accepted while the rest of the form was not yet right, kept
    against the form's key so that it need not be chosen again; it goes to the dossier on intake."""

    key = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to="held/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["key", "order", "id"]

    def __str__(self) -> str:
        return self.original_name
