from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from wallets.export import register_export_section

        from .export import memberships_of

        register_export_section("communities.json", memberships_of)
