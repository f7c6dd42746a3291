from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = _("Reports")

    def ready(self):
        from motcua.dossiers.projections import register

        from .projections import Ledger

        register(Ledger())  # the report ledger, kept with every dossier write
