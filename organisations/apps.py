from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from wallets.export import register_export_section

        from . import receivers  # noqa: F401 (connects to the credentials app's signals)
        from .selectors import export_of

        register_export_section("organisations.json", export_of)
