"""Staff console for the outbox: what was sent, what failed and why, and a retry for failed emails.

Found by the admin's autodiscovery (outbox.admin).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import access

from . import services
from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "language", "state", "attempts", "sent_at", "short_error"]
    list_filter = ["state", "kind", "language"]
    search_fields = ["to_email", "dedupe_key", "award__public_id", "award__recipient_name"]
    list_select_related = ["award"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method == "GET" and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return access.allows(request.user, "outbox.change_outboxemail")

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.action(description=_("Retry the selected failed emails"), permissions=["retry"])
    def retry_failed(self, request, queryset):
        retried = sum(services.outbox_retry(email=email, actor=request.user) for email in queryset)
        skipped = queryset.count() - retried
        if retried:
            self.message_user(
                request,
                ngettext("%(count)d email queued again.", "%(count)d emails queued again.", retried)
                % {"count": retried},
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email skipped: only failed emails can be retried.",
                    "%(count)d emails skipped: only failed emails can be retried.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
