from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SYNCED = "synced", _("Synchronised")
    FAILED = "failed", _("Failed; retried later")


class SyncState(models.Model):
    """Where a dossier stands with the national public service portal: the version of the dossier
    that should be there, the last version the portal acknowledged, and the retries."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, primary_key=True, related_name="sync_state"
    )
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    wanted_version = models.PositiveIntegerField()
    synced_version = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=SyncStatus.choices, default=SyncStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    first_synced_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=~models.Q(status="synced"), name="sync_due_idx"),
            models.Index(fields=["province", "status"], name="sync_province_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.wanted_version}: {self.status}"
