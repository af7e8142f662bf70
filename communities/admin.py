from django.contrib import admin

from .models import Community, CommunityInvite, ContributionAward, Membership


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "join_mode", "renewal_mode", "is_active")
    list_filter = ("programme", "join_mode", "is_active")
    search_fields = ("name", "slug")
    filter_horizontal = ("managers", "contribution_achievements")


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
