"""The service index's rule sets (weights and targets as data, one set per year) and its counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import Measure


class IndicatorGroup(models.IntegerChoices):
    PUBLICITY = 1, _("Publicity and transparency")
    PROGRESS = 2, _("Progress and results of settlement")
    ONLINE = 3, _("Online services and payment")
    DIGITIZATION = 4, _("Digitization of dossiers and results")
    SATISFACTION = 5, _("Satisfaction")


class IndicatorSet(models.Model):
    """The indicators in force from ``year`` on (until a later year's set), as decided."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Indicator(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=10)  # "2.1"
    group = models.PositiveSmallIntegerField(_("group"), choices=IndicatorGroup.choices)
    name = models.CharField(_("name"), max_length=255)
    measure = models.CharField(_("measure"), max_length=40, choices=[(m.value, m.value) for m in Measure])
    target = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2, default=100)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    # Points whose value no published text confirms (kept so that the groups add up to theirs).
    assumed = models.BooleanField(_("points assumed"), default=False)

    class Meta:
        ordering = ["indicator_set", "group", "code"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="indicator_unique_code")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Span(models.TextChoices):
    DAY = "d", _("day")
    MONTH = "m", _("month")


class IndexTally(models.Model):
    """What the dossiers of one unit and procedure add to the index's counters on a day, or in a
    month (``rules.COUNTERS``), as they now stand. Kept with every dossier change."""

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    span = models.CharField(max_length=1, choices=Span.choices)
    day = models.DateField()  # the day, or the first day of the month
    received = models.IntegerField(default=0)
    online = models.IntegerField(default=0)
    digitized = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    fee_bearing = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    finished = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    with_result = models.IntegerField(default=0)
    paper_result = models.IntegerField(default=0)
    e_result = models.IntegerField(default=0)
    disliked = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "procedure", "span", "day"], name="index_tally_unique")]
        indexes = [models.Index(fields=["province", "span", "day"], name="index_tally_province_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.procedure_id} {self.span}{self.day}"


class CounterMonth(models.Model):
    """Bumped whenever a change reaches a province's counters of a month before last month (a
    late e-result, payment or rating, a transfer, a back-dated import): the figures kept for that
    month (``MonthFigures``) are then counted again."""

    province = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "month"], name="counter_month_unique")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%m/%Y}: {self.version}"


class MonthFigures(models.Model):
    """A unit's index figures for a month before last month, as counted when the province's ledger
    generation and the month's counter version were those kept here (read by the month-by-month
    trend instead of counting again)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    units_on = models.DateField()  # the unit map the figures were counted on
    generation = models.PositiveBigIntegerField()
    version = models.PositiveBigIntegerField()
    figures = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="month_figures_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%m/%Y}"
