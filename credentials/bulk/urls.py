"""Routes of the bulk issuance console. They live inside the Django admin (staff login, permissions,
breadcrumbs): `BulkJobAdmin.get_urls()` mounts them under /admin/credentials/bulkjob/, so config/urls.py
needs no change. Names are admin names: reverse("admin:credentials_bulkjob_progress", args=[job.pk]).
"""

from django.urls import path


def console_urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view
    return [
        path("template.csv", wrap(model_admin.template_view), name="credentials_bulkjob_template"),
        path("<int:pk>/start/", wrap(model_admin.start_view), name="credentials_bulkjob_start"),
        path("<int:pk>/progress.json", wrap(model_admin.progress_view), name="credentials_bulkjob_progress"),
        path("<int:pk>/report.csv", wrap(model_admin.report_view), name="credentials_bulkjob_report"),
    ]
