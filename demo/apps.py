from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a newcomer's first run (`make run`). Imports the other apps; nothing imports it."""

    name = "demo"
    verbose_name = "Demo data"
