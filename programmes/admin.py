"""Programmes, staff roles and invitations in Django's admin, for platform administrators (programme staff hold no
global permission, so they do not see these pages: they manage their team at /staff/p/<slug>/team/). Thin: every
save goes through programmes.services, which checks the permission again and writes the audit entry."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from multilingual.forms import TranslationsAdminMixin, translatable_model_form

from . import services
from .models import Programme, StaffInvite, StaffRole


@admin.register(Programme)
class ProgrammeAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    form = translatable_model_form(Programme)
    list_display = ["name", "slug", "contact_email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "contact_name", "contact_email", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # a programme is deactivated, never deleted: its awards and audit entries keep pointing to it

    def save_model(self, request, obj, form, change):
        if change:
            fields = services.PROGRAMME_FIELDS + services.ADMIN_ONLY_FIELDS
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in fields}
            stored = Programme.objects.get(pk=obj.pk)
            if obj.translations != stored.translations:
                changes["translations"] = obj.translations
            # the service applies the changes to the stored row
            services.programme_update(programme=stored, actor=request.user, **changes)
        else:
            created = services.programme_create(
                slug=obj.slug,
                name=obj.name,
                description=obj.description,
                contact_name=obj.contact_name,
                contact_email=obj.contact_email,
                translations=obj.translations,
                actor=request.user,
            )
            if not obj.is_active:
                services.programme_update(programme=created, is_active=False, actor=request.user)
            obj.pk = created.pk


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "role", "created_at", "created_by"]
    list_filter = ["programme", "role"]
    search_fields = ["user__email", "user__username", "programme__name"]
    list_select_related = ["user", "programme", "created_by"]
    readonly_fields = ["created_at", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user", "programme"] if obj else self.readonly_fields

    # Django's model permission and managing staff (what the services ask), so the admin never offers a page
    # whose save the service would refuse.
    def has_add_permission(self, request):
        return request.user.has_perms(["programmes.add_staffrole", "programmes.manage_staff"])

    def has_change_permission(self, request, obj=None):
        return request.user.has_perms(["programmes.change_staffrole", "programmes.manage_staff"])

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perms(["programmes.delete_staffrole", "programmes.manage_staff"])

    def save_model(self, request, obj, form, change):
        saved = services.staff_role_set(programme=obj.programme, user=obj.user, role=obj.role, actor=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.staff_role_remove(staff_role=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for staff_role in queryset.select_related("user", "programme"):
            services.staff_role_remove(staff_role=staff_role, actor=request.user)


class StaffInviteForm(forms.ModelForm):
    class Meta:
        model = StaffInvite
        fields = ["email", "programme", "role", "language"]

    def clean(self):
        data = super().clean()
        if data.get("programme") and data.get("email") and data.get("role") and data.get("language"):
            try:
                services.staff_invite_check(
                    programme=data["programme"], email=data["email"], role=data["role"], language=data["language"]
                )
            except ValidationError as exc:
                raise ValidationError(exc.message_dict) from exc
        return data


@admin.register(StaffInvite)
class StaffInviteAdmin(admin.ModelAdmin):
    form = StaffInviteForm
    list_display = ["email", "programme", "role", "language", "created_at", "expires_at", "status"]
    list_filter = ["programme", "role"]
    search_fields = ["email", "programme__name"]
    list_select_related = ["programme"]
    actions = ["withdraw"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "programme", "role", "language"]
        return [
            "email",
            "programme",
            "role",
            "language",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "accepted_by",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj else []

    def has_add_permission(self, request):
        return request.user.has_perms(["programmes.add_staffinvite", "programmes.manage_staff"])

    def has_change_permission(self, request, obj=None):
        return False  # an invitation is withdrawn and sent again, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def status(self, invite):
        if invite.accepted_at:
            return _("accepted")
        if invite.revoked_at:
            return _("withdrawn")
        return _("open") if invite.is_open else _("expired")

    def save_model(self, request, obj, form, change):
        created = services.staff_invite_create(
            programme=obj.programme, email=obj.email, role=obj.role, language=obj.language, actor=request.user
        )
        obj.pk = created.pk

    @admin.action(description=_("Withdraw the selected invitations"), permissions=["withdraw"])
    def withdraw(self, request, queryset):
        done = 0
        for invite in queryset.select_related("programme").filter(accepted_at__isnull=True, revoked_at__isnull=True):
            services.staff_invite_withdraw(invite=invite, actor=request.user)
            done += 1
        self.message_user(request, _("%(count)d invitation(s) withdrawn.") % {"count": done}, messages.SUCCESS)

    def has_withdraw_permission(self, request):
        return request.user.has_perm("programmes.manage_staff")
