from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Follow-up surveys")

    def ready(self):
        from . import tasks  # noqa: F401 (the beat schedule names surveys_send_due: registered at start)
