from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _make_partitions(sender, using="default", **kwargs):
    from django.utils import timezone

    from motcua.dossiers import partitions

    if using == "default":
        partitions.forget()
        partitions.ensure_ahead(timezone.localdate())


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        post_migrate.connect(_make_partitions, sender=self)
        from motcua.core.imports import register

        register("dossiers", "motcua.dossiers.migration.import_dossiers", streamed=True)
