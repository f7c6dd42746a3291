"""The administrative-reform programme: yearly plans with directive documents and tasks, their
progress, inspection visits with the fixes they require, the yearly task-completion rating
rules, and staffing quotas."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReformArea(models.Model):
    """A reform area (lĩnh vực cải cách), the same as the PAR index's areas."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("reform area")
        verbose_name_plural = _("reform areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Plan(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("reform plan")
        verbose_name_plural = _("reform plans")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "title"], name="plan_unique")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Directive(models.Model):
    """A directive document (văn bản chỉ đạo) issued under the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="directives")
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=255)
    title = models.CharField(_("title"), max_length=500)
    file = models.FileField(_("file"), upload_to="plans/%Y/", blank=True)

    class Meta:
        verbose_name = _("directive document")
        verbose_name_plural = _("directive documents")
        ordering = ["plan", "issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    # The task's number in the plan's document (e.g. "3.2"): how a re-imported plan finds its tasks.
    code = models.CharField(_("number"), max_length=20, blank=True)
    area = models.ForeignKey(ReformArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    title = models.CharField(_("task"), max_length=500)
    lead_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("lead unit"))
    partners = models.ManyToManyField("units.Unit", related_name="+", blank=True, verbose_name=_("co-operating units"))
    output = models.CharField(_("output"), max_length=500, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    remarks = models.TextField(_("notes"), blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reform task")
        verbose_name_plural = _("reform tasks")
        ordering = ["plan", "deadline", "id"]
        indexes = [models.Index(fields=["lead_unit", "deadline"], name="task_lead_deadline_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], condition=~models.Q(code=""), name="task_code_unique_in_plan"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProgressNote(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField(_("at"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(_("by"), max_length=255)
    text = models.TextField(_("progress"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices)
    file = models.FileField(_("evidence"), upload_to="plans/%Y/", blank=True)

    class Meta:
        ordering = ["task", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.at:%Y-%m-%d}"


class InspectionKind(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SURPRISE = "surprise", _("Surprise")


class Inspection(models.Model):
    """A public-service inspection visit (kiểm tra công vụ, kiểm tra CCHC)."""

    organiser = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organised by")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    visited_on = models.DateField(_("date"))
    team = models.TextField(_("team"))
    units = models.ManyToManyField("units.Unit", related_name="+", verbose_name=_("units visited"))
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on}"


class Fix(models.Model):
    """A fix an inspection requires of a unit, by a deadline, and its follow-up."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="fixes")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    description = models.TextField(_("required fix"))
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("required fix")
        verbose_name_plural = _("required fixes")
        ordering = ["inspection", "deadline", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class RatingRule(models.Model):
    """How a year's task completion is rated, as data: what a task done on time and one done late
    count for, what an unfixed inspection finding costs, and the bands."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    on_time_weight = models.DecimalField(_("a task done on time counts"), max_digits=4, decimal_places=2, default=1)
    late_weight = models.DecimalField(_("a task done late counts"), max_digits=4, decimal_places=2, default="0.5")
    fix_penalty = models.DecimalField(
        _("points off per fix not made in time"), max_digits=5, decimal_places=2, default=5
    )
    # [{"code": "excellent", "label": "Hoàn thành xuất sắc", "min": 90}, …], highest first.
    bands = models.JSONField(_("bands"))

    class Meta:
        verbose_name = _("task-completion rating rule")
        verbose_name_plural = _("task-completion rating rules")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class StaffKind(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servants")
    PUBLIC_EMPLOYEE = "public_employee", _("Public-service employees")
    CONTRACT = "contract", _("Contract staff (Decree 111/2022)")


class Quota(models.Model):
    """A unit's approved staffing quota (biên chế) and actual headcount for a year."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=StaffKind.choices)
    approved = models.PositiveIntegerField(_("approved quota"))
    actual = models.PositiveIntegerField(_("actual headcount"), default=0)

    class Meta:
        verbose_name = _("staffing quota")
        verbose_name_plural = _("staffing quotas")
        ordering = ["year", "unit__path", "kind"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="quota_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.kind}: {self.approved}"


class QuotaChange(models.Model):
    """A change of a quota, with the decision that made it."""

    quota = models.ForeignKey(Quota, on_delete=models.CASCADE, related_name="changes")
    approved_before = models.PositiveIntegerField(null=True)
    approved_after = models.PositiveIntegerField()
    actual_before = models.PositiveIntegerField(null=True)
    actual_after = models.PositiveIntegerField()
    decision = models.CharField(_("decision"), max_length=120)
    decided_on = models.DateField(_("decided on"))
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["quota", "decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.quota_id}: {self.approved_before} → {self.approved_after} ({self.decision})"
