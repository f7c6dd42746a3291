from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = _("Notices to applicants")

    def ready(self):
        from motcua.dossiers.projections import register

        from .projections import Notices

        register(Notices())  # the applicant's notices, decided with every dossier write
