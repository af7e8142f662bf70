"""The staff console's admin site: Django's, with its "view on site" shortcut behind a permission.

Django's `/admin/r/<content type>/<id>/` redirects any member of staff to any object's public page,
whatever their permissions: a staff account allowed nothing could walk award ids to learners' names.
Here it needs the view (or change) permission of that model, like the object's page in the console.
Installed by `config.apps.StaffAdminConfig` (INSTALLED_APPS), so `admin.site` and `@admin.register` use it.
"""

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path

import access


class StaffSite(admin.AdminSite):
    def get_urls(self):
        urls = super().get_urls()
        view_on_site = path(
            "r/<path:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site), name="view_on_site"
        )
        return [view_on_site if getattr(url, "name", None) == "view_on_site" else url for url in urls]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            content_type = ContentType.objects.get_for_id(int(content_type_id))
        except (ValueError, ContentType.DoesNotExist) as exc:
            raise Http404 from exc
        label, model = content_type.app_label, content_type.model
        if not any(access.allows(request.user, f"{label}.{action}_{model}") for action in ("view", "change")):
            raise PermissionDenied
        return contenttype_views.shortcut(request, content_type_id, object_id)
