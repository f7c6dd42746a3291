from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "motcua.quality"
    verbose_name = _("Service index")

    def ready(self):
        from motcua.core.imports import register

        from . import receivers  # noqa: F401  (connects the counters to dossier writes)

        register("indicators", "motcua.quality.sets.import_indicators")
