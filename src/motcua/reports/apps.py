from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the ledger to dossier writes)
