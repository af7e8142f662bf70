from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        from wallets.export import register_export_section

        from . import receivers  # noqa: F401 (the achievement page's "Apply" button, file clean-up)
        from .export import applications_of

        register_export_section("applications.json", applications_of)
