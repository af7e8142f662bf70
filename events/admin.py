"""Staff console for events. Thin: every write goes through events.services; claims are read-only."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import ReadOnlyAdminMixin
from multilingual.forms import TranslationsAdminMixin, translatable_model_form

from . import selectors, services
from .models import Event, EventClaim


class EventClaimInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EventClaim
    fields = ["email", "name", "language", "state", "emails_sent", "created_at", "confirmed_at", "award_link"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("award")

    @admin.display(description=_("credential"))
    def award_link(self, claim):
        if claim.award_id is None:
            return "–"
        url = reverse("admin:credentials_award_change", args=[claim.award_id])
        return format_html('<a href="{}">{}</a>', url, claim.award.public_id)


@admin.register(Event)
class EventAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    form = translatable_model_form(Event)
    list_display = ["name", "code_display", "achievement", "opens_at", "closes_at", "is_active", "confirmed",
                    "pending", "links"]  # fmt: skip
    list_filter = ["is_active", "achievement"]
    search_fields = ["name", "code", "achievement__name"]
    fields = ["achievement", "name", "description", "opens_at", "closes_at", "is_active", "max_claims",
              "code_display", "links", "confirmed", "pending", "created_by", "created_at"]  # fmt: skip
    readonly_fields = ["code_display", "links", "confirmed", "pending", "created_by", "created_at"]
    inlines = [EventClaimInline]

    def get_queryset(self, request):
        return selectors.events_with_counts()

    @admin.display(description=_("claim code"), ordering="code")
    def code_display(self, event):
        return event.display_code if event.pk else _("Drawn when the event is saved.")

    @admin.display(description=_("confirmed claims"), ordering="confirmed_count")
    def confirmed(self, event):
        if not event.pk:
            return 0
        count = getattr(event, "confirmed_count", 0)
        return f"{count} / {event.max_claims}" if event.max_claims else count

    @admin.display(description=_("waiting for confirmation"), ordering="pending_count")
    def pending(self, event):
        return getattr(event, "pending_count", 0) if event.pk else 0

    @admin.display(description=_("links"))
    def links(self, event):
        if not event.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("events:event", kwargs={"code": event.code}),
            _("event page"),
            reverse("events:poster", kwargs={"code": event.code}),
            _("poster (QR code)"),
        )

    def save_model(self, request, obj, form, change):
        fields = {field: form.cleaned_data[field] for field in services.EVENT_FIELDS if field in form.cleaned_data}
        fields["translations"] = obj.translations  # packed from the translation fields by the form
        if change:
            changes = {field: fields[field] for field in form.changed_data if field in fields}
            if obj.translations != Event.objects.get(pk=obj.pk).translations:
                changes["translations"] = obj.translations
            services.event_update(event=obj, actor=request.user, **changes)
        else:
            created = services.event_create(actor=request.user, **fields)
            obj.pk, obj.code, obj.created_at = created.pk, created.code, created.created_at
