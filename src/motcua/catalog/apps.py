from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    verbose_name = _("Procedure catalog")

    def ready(self):
        from motcua.core.imports import register

        register("fields", "motcua.catalog.services.import_fields")
        register("procedures", "motcua.catalog.services.import_procedures", dated=True)
