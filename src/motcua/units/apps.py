from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "motcua.units"
    verbose_name = _("Administrative units")

    def ready(self):
        from motcua.core.imports import register

        register("units", "motcua.units.services.import_units")
