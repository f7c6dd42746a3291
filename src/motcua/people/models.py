from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Desk officer")
    PROCESSING_OFFICER = "processing_officer", _("Processing officer")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    REFORM_STAFF = "reform_staff", _("Reform staff")
    CITIZEN = "citizen", _("Citizen")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """A user holds a role on a unit; the role covers the unit's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("unit")
    )
    # The position printed over the holder's signature ("Giám đốc", "Chủ tịch"); a unit leader's
    # letters are signed with it.
    position = models.CharField(_("position"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class ContactCheck(models.Model):
    """A one-time code sent to a citizen's e-mail or phone to prove they hold it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_checks")
    contact = models.CharField(_("contact"), max_length=254)
    code_digest = models.CharField(max_length=64)  # HMAC of the code: a leaked table gives no codes
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact check")
        verbose_name_plural = _("contact checks")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.contact} {self.sent_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """An official asked, by e-mail, to set a password: recorded when decided (with the import that
    made the account), sent once after commit; a new invitation is a new row."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("user"))
    email = models.EmailField(_("e-mail"))
    created_at = models.DateTimeField(_("invited at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class CitizenProfile(models.Model):
    """What a citizen's account remembers to fill in their next online applications."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    id_number = models.CharField(_("personal identification number"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    commune = models.ForeignKey(
        "units.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune of residence"),
    )

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return str(self.user)
