"""Stacking outcomes in the admin, read only: they are written by the stacking services."""

from django.contrib import admin

from .models import StackingOutcome


@admin.register(StackingOutcome)
class StackingOutcomeAdmin(admin.ModelAdmin):
    list_display = ["rule_slug", "result", "recipient_email", "state", "award", "created_at"]
    list_filter = ["state", "rule_slug"]
    search_fields = ["recipient_email", "identity", "rule_slug"]
    list_select_related = ["result", "award"]
    readonly_fields = [f.name for f in StackingOutcome._meta.fields] + ["counted"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
