from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletsConfig(AppConfig):
    name = "wallets"
    verbose_name = _("Learner wallets")

    def ready(self):
        from credentials.claims import register_claim_url, register_holder_url

        from . import claim_urls, receivers  # noqa: F401 (receivers connect to credentials' signals)

        register_claim_url(claim_urls.claim_path)
        register_holder_url(claim_urls.holder_path)
