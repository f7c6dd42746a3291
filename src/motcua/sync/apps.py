from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "motcua.sync"
    verbose_name = _("National portal synchronisation")

    def ready(self):
        from . import receivers  # noqa: F401  (marks a dossier to send whenever it changes)
