from django.contrib import admin

from . import services
from .models import Community, CommunityInvite, ContributionAward, Membership


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "join_mode", "renewal_mode", "is_active")
    list_filter = ("programme", "join_mode", "is_active")
    search_fields = ("name", "slug")
    filter_horizontal = ("managers", "contribution_achievements")

    def get_readonly_fields(self, request, obj=None):
        return ("programme", "slug") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        """Saves go through the services (permission, validation, audit)."""
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in services.COMMUNITY_FIELDS}
            services.community_update(community=obj, actor=request.user, **changes)
            return
        fields = ("programme", "slug", "name", "description", "how_to_join", "membership_achievement", "join_mode",
                  "renewal_mode", "reminder_days")  # fmt: skip
        created = services.community_create(actor=request.user, **{name: form.cleaned_data[name] for name in fields})
        obj.pk, obj.created_at = created.pk, created.created_at

    def save_related(self, request, form, formsets, change):
        community = form.instance
        services.community_managers_set(
            community=community, users=list(form.cleaned_data["managers"]), actor=request.user
        )
        services.contribution_achievements_set(
            community=community, achievements=list(form.cleaned_data["contribution_achievements"]), actor=request.user
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("name", "community", "state", "expires_at", "in_directory")
    list_filter = ("community", "state")
    search_fields = ("name", "email")
    readonly_fields = [field.name for field in Membership._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CommunityInvite)
class CommunityInviteAdmin(admin.ModelAdmin):
    list_display = ("email", "community", "state", "created_at")
    readonly_fields = [field.name for field in CommunityInvite._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register(ContributionAward)
