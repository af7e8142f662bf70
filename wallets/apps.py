from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletsConfig(AppConfig):
    name = "wallets"
    verbose_name = _("Learner wallets")

    def ready(self):
        from . import receivers  # noqa: F401
