from django.contrib import admin

from .admin_mixins import ReadOnlyAdminMixin
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "action", "subject_type", "subject_id", "actor"]
    list_filter = ["action", "subject_type"]
    search_fields = ["subject_id", "action"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
