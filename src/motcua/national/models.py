from django.db import models


class NationalDossier(models.Model):
    """A province's dossier as the national layer holds it: the synchronisation payload, with the
    fields national figures read pulled out. One row per province and code; the highest version wins."""

    province = models.CharField(max_length=10)  # the sending instance's province, from its token
    code = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    procedure_code = models.CharField(max_length=40)
    field_code = models.CharField(max_length=40)
    channel = models.PositiveSmallIntegerField()
    status = models.PositiveSmallIntegerField()
    received_at = models.DateTimeField(null=True)
    appointment_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    returned_at = models.DateTimeField(null=True)
    payload = models.JSONField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="national_dossier_unique")]
        indexes = [
            models.Index(fields=["province", "received_at"], name="national_received_idx"),
            models.Index(fields=["province", "finished_at"], name="national_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.province}/{self.code}"
