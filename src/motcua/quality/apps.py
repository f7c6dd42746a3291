from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "motcua.quality"
    verbose_name = _("Service index")

    def ready(self):
        from motcua.core import imports
        from motcua.dossiers import projections

        from .projections import IndexCounters

        projections.register(IndexCounters())  # the service index's counters, kept with every dossier write
        imports.register("indicators", "motcua.quality.sets.import_indicators")
