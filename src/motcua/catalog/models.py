from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.units.models import Level
from motcua.workdays.rules import Duration
from motcua.workdays.rules import DurationUnit as _Unit


class DurationUnit(models.TextChoices):
    WORKING_DAYS = _Unit.WORKING_DAYS.value, _("working days")
    CALENDAR_DAYS = _Unit.CALENDAR_DAYS.value, _("calendar days")
    WORKING_HOURS = _Unit.WORKING_HOURS.value, _("working hours")
    IN_DAY = _Unit.IN_DAY.value, _("in the day")


class ResultType(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")


class OnlineKind(models.TextChoices):
    FULL = "full", _("Full online service")
    PARTIAL = "partial", _("Partial online service")
    NONE = "none", _("Not online")


class StepRole(models.TextChoices):
    DESK = "desk", _("One-stop desk")
    LEADER = "leader", _("Leader of the processing agency")
    PROCESSOR = "processor", _("Processing officer")
    REVIEWER = "reviewer", _("Head of division (review)")
    SIGNER = "signer", _("Signing leader")
    CLERK = "clerk", _("Clerk (numbering, dispatch)")
    PARTNER = "partner", _("Co-operating agency")


class Field(models.Model):
    """A sector of procedures (lĩnh vực), e.g. Hộ tịch."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) as published in the catalog."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("field"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    duration_value = models.DecimalField(_("processing time"), max_digits=6, decimal_places=2)
    duration_unit = models.CharField(_("time unit"), max_length=16, choices=DurationUnit.choices)
    result_type = models.CharField(_("result type"), max_length=12, choices=ResultType.choices)
    online_kind = models.CharField(_("online service"), max_length=8, choices=OnlineKind.choices)
    multi_agency = models.BooleanField(_("multi-agency (liên thông)"), default=False)
    agency = models.CharField(_("competent agency"), max_length=255, blank=True)
    # The agency types that decide the procedure, by level: {"commune": ["PKT", "PKTHT"]}. A level
    # with none named is decided by the people's committee of that level or any of its agencies.
    deciders = models.JSONField(_("deciding agency types"), default=dict, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    # The elements published to the public (Decree 63/2010, Circular 02/2017/TT-VPCP): the steps the
    # applicant goes through (one a line), who may apply, and what they get.
    sequence = models.TextField(_("steps to follow"), blank=True, help_text=_("One step a line."))
    applicants = models.CharField(_("who may apply"), max_length=500, blank=True)
    result = models.CharField(_("result of the procedure"), max_length=500, blank=True)
    # Name folded to ASCII lowercase, so "ho tich" finds "Hộ tịch".
    search_text = models.TextField(editable=False, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["field__name", "code"]
        indexes = [models.Index(fields=["level", "field"], name="procedure_level_field_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def duration(self) -> Duration:
        return Duration(self.duration_value, self.duration_unit)

    @property
    def processing_time(self) -> str:
        """The legal processing time as people read it (``duration_label``)."""
        return duration_label(self.duration_value, self.duration_unit)

    @property
    def sequence_steps(self) -> list[str]:
        return [line.strip() for line in self.sequence.splitlines() if line.strip()]


def duration_label(value, unit: str) -> str:
    """A processing time as people read it: "Same day" (Trong ngày) for one settled in the day (its
    unit says so, or its time is zero), else the number and its unit ("2,5 ngày làm việc")."""
    if unit == DurationUnit.IN_DAY or not value:
        return gettext("Same day")
    value = value.quantize(1) if value == value.to_integral_value() else value.normalize()
    return f"{number_format(value)} {DurationUnit(unit).label}"


class WayChannel(models.TextChoices):
    """How a procedure can be done (cách thức thực hiện); the dossier channels' names."""

    IN_PERSON = "in_person", _("In person")
    POSTAL = "postal", _("Public postal service")
    ONLINE = "online", _("Online")


class Way(models.Model):
    """One way of doing a procedure, with its own processing time and fees where they differ."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="ways")
    channel = models.CharField(_("way"), max_length=10, choices=WayChannel.choices)
    # Empty: the procedure's own processing time.
    duration_value = models.DecimalField(_("processing time"), max_digits=6, decimal_places=2, null=True, blank=True)
    duration_unit = models.CharField(_("time unit"), max_length=16, choices=DurationUnit.choices, blank=True)
    fees = models.CharField(_("fees and charges"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("way of doing the procedure")
        verbose_name_plural = _("ways of doing the procedure")
        ordering = ["procedure", "id"]
        constraints = [models.UniqueConstraint(fields=["procedure", "channel"], name="way_channel_unique")]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.channel}"

    @property
    def duration_label(self) -> str:
        """Its own processing time, else the procedure's."""
        if self.duration_value is None:
            return self.procedure.processing_time
        return duration_label(self.duration_value, self.duration_unit)


class Component(models.Model):
    """A document the applicant submits (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=500)
    required = models.BooleanField(_("required"), default=True)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)  # bản chính
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)  # bản sao
    # The blank form (mẫu đơn, tờ khai) the applicant fills in, when the procedure prescribes one.
    form_file = models.FileField(_("form to fill in"), upload_to="forms/", blank=True)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["procedure", "order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="component_order_unique")]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """A fee or charge (phí, lệ phí) of a procedure, in đồng."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("name"), max_length=255)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["procedure", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class ProcessTemplate(models.Model):
    """A version of a procedure's internal process. Dossiers keep the version they started on."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="process_templates")
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("process template")
        verbose_name_plural = _("process templates")
        ordering = ["procedure", "-version"]
        constraints = [models.UniqueConstraint(fields=["procedure", "version"], name="process_template_version_unique")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"

    @property
    def total_hours(self):
        return sum(step.hours for step in self.steps.all())


class ProcessStep(models.Model):
    template = models.ForeignKey(ProcessTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("work"), max_length=255)
    role = models.CharField(_("role"), max_length=12, choices=StepRole.choices)
    hours = models.DecimalField(_("working hours"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="process_step_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title} ({self.hours} h)"
