from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "motcua.plans"
    verbose_name = _("Reform plans")

    def ready(self):
        from motcua.core.imports import register

        register("plan", "motcua.plans.imports.import_plan")
        register("quotas", "motcua.plans.imports.import_quotas")
