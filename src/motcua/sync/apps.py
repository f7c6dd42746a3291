from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "motcua.sync"
    verbose_name = _("National portal synchronisation")

    def ready(self):
        from motcua.dossiers.projections import register

        from .projections import Outbox

        register(Outbox())  # the national portal's outbox, kept with every dossier write
