from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "motcua.people"
    verbose_name = _("People and roles")

    def ready(self):
        from motcua.core.imports import Option, register

        reinvite = Option(
            "reinvite",
            "For officials: invite again everyone in the file, or the usernames given (comma-separated).",
            nargs="?",
            const="*",
        )
        register("officials", "motcua.people.roster.import_officials", options=(reinvite,))
