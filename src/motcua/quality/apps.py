from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "motcua.quality"
    verbose_name = _("Service index")

    def ready(self):
        from motcua.dossiers.projections import register

        from .projections import IndexCounters

        register(IndexCounters())  # the service index's counters, kept with every dossier write
