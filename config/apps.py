from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LaurelConfig(AppConfig):
    """The project itself as an app: registers Laurel's deployment checks (config/checks.py)."""

    default = True  # this module holds two configs: "config" in INSTALLED_APPS means this one
    name = "config"
    label = "laurel"
    verbose_name = "Laurel"

    def ready(self):
        from . import checks  # noqa: F401


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with config.staff_site.StaffSite as `admin.site`."""

    default = False
    default_site = "config.staff_site.StaffSite"
