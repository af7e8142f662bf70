from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """django.contrib.admin with config.staff_site.StaffSite as `admin.site`."""

    default_site = "config.staff_site.StaffSite"
