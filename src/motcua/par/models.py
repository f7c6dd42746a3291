"""PAR index frameworks (areas → criteria → sub-criteria with their points) and each unit's
assessment: self-scores with evidence, the council's appraisal, survey points, computed points."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SELF_ASSESSMENT = "self", _("Self-assessment")
    APPRAISAL = "appraisal", _("Appraisal")
    PUBLISHED = "published", _("Published")


class Source(models.TextChoices):
    SELF = "self", _("Self-scored, appraised by the council")
    SURVEY = "survey", _("Survey")
    COMPUTED = "computed", _("Computed from motcua's data")


class Measure(models.TextChoices):
    ON_TIME = "on_time", _("Dossiers settled on time")
    DIGITIZED = "digitized", _("Dossiers digitized")
    ONLINE = "online", _("Dossiers received online")
    PUBLISHED = "published", _("Procedures published")
    TASKS = "tasks", _("Reform tasks completed (the yearly rating)")


class Framework(models.Model):
    """One year's index for one scope of units (e.g. "the districts of Sơn La, 2022")."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    owner = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province running it")
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next", verbose_name=_("last year's")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFT)
    self_deadline = models.DateField(_("self-assessment due"), null=True, blank=True)
    decision = models.CharField(_("publishing decision"), max_length=120, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The results as published: frozen, whatever changes afterwards.
    published_rows = models.JSONField(default=list, blank=True, editable=False)
    published_summary = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("PAR framework")
        verbose_name_plural = _("PAR frameworks")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def max_points(self):
        return sum((c.max_points for c in self.criteria.filter(parent__isnull=True)), 0)


class GroupBand(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("group"), max_length=10)
    label = models.CharField(_("label"), max_length=100, blank=True)
    min_percent = models.DecimalField(_("from (percent of the maximum)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["framework", "-min_percent"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="par_band_unique")]

    def __str__(self) -> str:
        return f"{self.code} ≥ {self.min_percent}%"


class FrameworkUnit(models.Model):
    """A unit the framework assesses."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scope")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "unit"], name="par_scope_unique")]

    def __str__(self) -> str:
        return str(self.unit)


class Criterion(models.Model):
    """An area, criterion or sub-criterion. Points are scored on the leaves; a parent's maximum is
    the sum of its children's."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    source = models.CharField(_("scored by"), max_length=10, choices=Source.choices, default=Source.SELF)
    measure = models.CharField(_("computed from"), max_length=12, choices=Measure.choices, blank=True)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    evidence = models.TextField(_("evidence required"), blank=True)
    order = models.PositiveIntegerField(default=0)
    # The reform tasks serving the criterion; the table predates the link's move from plans.
    tasks = models.ManyToManyField(
        "plans.Task",
        related_name="criteria",
        blank=True,
        db_table="plans_task_criteria",
        verbose_name=_("reform tasks"),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="par_criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Assignment(models.Model):
    """A unit responsible for preparing a criterion (seed 004), by a deadline."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["criterion", "unit"], name="par_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.criterion.code} → {self.unit}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessing")
    SUBMITTED = "submitted", _("Submitted for appraisal")
    APPRAISED = "appraised", _("Appraised: the unit may respond")
    RESPONDED = "responded", _("The unit responded")
    FINAL = "final", _("Final")


class Assessment(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    appraised_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "unit"], name="par_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.framework.code} · {self.unit}"


class Score(models.Model):
    """One leaf criterion of one unit's assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    self_score = models.DecimalField(_("self-score"), max_digits=7, decimal_places=2, null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    appraised_score = models.DecimalField(_("appraised score"), max_digits=7, decimal_places=2, null=True, blank=True)
    appraisal_reason = models.TextField(_("reason for the adjustment"), blank=True)
    response = models.TextField(_("the unit's response"), blank=True)
    survey_score = models.DecimalField(_("survey points"), max_digits=7, decimal_places=2, null=True, blank=True)
    computed_score = models.DecimalField(_("computed points"), max_digits=7, decimal_places=2, null=True, blank=True)
    computed_figures = models.JSONField(default=dict, blank=True)
    # Set by the council: the criterion does not apply to this unit, whose maximum is lower by its points.
    not_applicable = models.BooleanField(_("not applicable to the unit"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="par_score_unique")]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.criterion.code}"


class Evidence(models.Model):
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="par/%Y/")
    original_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name
