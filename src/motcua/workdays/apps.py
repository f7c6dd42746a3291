from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "motcua.workdays"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from motcua.core.imports import register

        register("calendar", "motcua.workdays.services.import_overrides")
