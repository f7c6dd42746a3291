"""The report ledger (kept by ``ledger``, from every change of a dossier) and signed-off reports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.units.maps import UnitMap


class Span(models.TextChoices):
    DAY = "d", _("day")
    HALF_MONTH = "h", _("half month")


class Tally(models.Model):
    """Signed counts one unit and procedure add to the settlement report on a day, or in a half
    month (1st–14th, 15th–end: both calendar and official periods are made of them)."""

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    span = models.CharField(max_length=1, choices=Span.choices)
    day = models.DateField()  # the day, or the first day of the half month
    new_online = models.IntegerField(default=0)
    new_offline = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    finished_digitized = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    open_digitized = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "procedure", "span", "day"], name="tally_unique")]
        indexes = [models.Index(fields=["province", "span", "day"], name="tally_province_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.procedure_id} {self.span}{self.day}"


class TallyMove(models.Model):
    """A transfer's move of a dossier's receipt to its new unit, for cut-offs from ``known`` on."""

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()  # the day of receipt
    known = models.DateField()  # the day of the transfer
    new_online = models.IntegerField(default=0)
    new_offline = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "procedure", "day", "known"], name="tally_move_unique")]
        indexes = [models.Index(fields=["province", "day"], name="tally_move_province_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.procedure_id} {self.day} ({self.known})"


class LedgerGeneration(models.Model):
    """Bumped whenever a province's ledger changes before today (a migration, a back-dated
    import): balances kept at earlier midnights are then read again. A province's generation is
    the sum of its stripes; each writer bumps the stripe of its database session, so two imports
    into one province do not wait on one row until the other commits."""

    province = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    stripe = models.PositiveSmallIntegerField(default=0)
    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "stripe"], name="ledger_generation_unique")]

    def __str__(self) -> str:
        return f"{self.province_id}/{self.stripe}: {self.number}"


class Checkpoint(models.Model):
    """The balances of a province at the midnight starting ``day`` (a half month's first day),
    valid while the province's generation is still ``generation``."""

    province = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    generation = models.PositiveBigIntegerField()
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "day"], name="checkpoint_unique")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.day} #{self.generation}"


class CheckpointBalance(models.Model):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="balances")
    province = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    open = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    open_digitized = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.checkpoint_id}: {self.unit_id}/{self.procedure_id}"


class SignedReport(models.Model):
    """A settlement report as a leader signed it off: the rows are kept as they were then."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    first = models.DateField(_("from"))
    last = models.DateField(_("to"))
    by = models.CharField(_("grouped by"), max_length=10)
    unit_map = models.CharField(_("unit map"), max_length=10, choices=UnitMap.choices, default=UnitMap.PERIOD)
    rows = models.JSONField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signed by"), max_length=255)
    signed_at = models.DateTimeField(_("signed at"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("signed-off report")
        verbose_name_plural = _("signed-off reports")
        ordering = ["-signed_at"]
        indexes = [models.Index(fields=["unit", "first", "last", "by", "unit_map"], name="signed_report_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.first}–{self.last} ({self.by})"
