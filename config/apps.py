from django.apps import AppConfig


class LaurelConfig(AppConfig):
    """The project itself as an app: registers Laurel's deployment checks (config/checks.py)."""

    name = "config"
    label = "laurel"
    verbose_name = "Laurel"

    def ready(self):
        from . import checks  # noqa: F401
