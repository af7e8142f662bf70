from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StackingConfig(AppConfig):
    name = "stacking"
    verbose_name = _("Stacking")

    def ready(self):
        from . import receivers  # noqa: F401 (connects to the credentials app's signals)
