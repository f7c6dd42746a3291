from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    AGENCY = "agency", _("Department or agency")
    SERVICE_CENTER = "service_center", _("Public service centre")


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Units in force on ``day`` (valid_from ≤ day ≤ valid_to, open-ended when valid_to is empty)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def subtree_of(self, unit: "Unit"):
        return self.filter(path__startswith=unit.path)

    def ancestors_of(self, unit: "Unit"):
        """The unit and every unit above it (whose path begins the unit's)."""
        return self.filter(path__in=unit.ancestor_paths())


class Unit(models.Model):
    """An administrative unit or an agency, as it was between valid_from and valid_to.

    A unit is never rewritten when the map changes: the old one gets a valid_to and succession
    links to the units that took over from it. A code is unique only among units valid on the
    same day, so identity is (code, valid_from).
    """

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The province the unit belongs to (itself for a province): the tenant key of every table.
    province = models.ForeignKey(
        "self", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Materialised path of ids from the root, "/1/14/203/": a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    electronic_id = models.CharField(
        _("electronic identifier"),
        max_length=40,
        blank=True,
        help_text=_("The agency’s electronic identifier (mã định danh điện tử), used in dossier codes when set."),
    )
    # What kind of agency this is, the same across communes (PKT: the economic division of a
    # commune; STP: the provincial Department of Justice): procedures name the kinds that decide them.
    agency_type = models.CharField(_("agency type"), max_length=20, blank=True, db_index=True)
    successors = models.ManyToManyField(
        "self", through="Succession", symmetrical=False, related_name="predecessors", blank=True
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def ancestor_paths(self) -> list[str]:
        """The paths of the unit and of every unit above it: "/1/14/203/" gives "/1/", "/1/14/", "/1/14/203/"."""
        ids = self.path.strip("/").split("/")
        return [f"/{'/'.join(ids[:n])}/" for n in range(1, len(ids) + 1)]


class Succession(models.Model):
    """``successor`` took over (part of) ``predecessor`` when the predecessor ended.

    Several successors of one predecessor is a split; several predecessors of one successor is
    a merge; the kind is read off the links rather than stored twice.
    """

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="succession_out")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="succession_in")

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
