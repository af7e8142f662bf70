"""Staff console for the framework. Thin: every write goes through frameworks.services.

Permissions are the models' own, checked by Django here and again by the services: publishing a draft is a
change of the framework (`frameworks.change_framework`), a new version an addition (`add_framework`).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from multilingual.forms import TranslationsAdminMixin, translatable_form, translatable_model_form

from . import services
from .models import BadgeCategory, CertificateTier, Framework, GlossaryTerm, StackingRule


class FrozenWhenPublished:
    """Parts of a published framework are read-only; writes go through the audited services."""

    def _framework_of(self, obj):
        return obj if isinstance(obj, Framework) else getattr(obj, "framework", None)

    def has_change_permission(self, request, obj=None):
        framework = self._framework_of(obj) if obj else None
        if framework is not None and framework.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        framework = self._framework_of(obj) if obj else None
        if framework is not None and framework.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "framework" in form.base_fields:
            form.base_fields["framework"].queryset = Framework.objects.filter(status=Framework.Status.DRAFT)
        return form

    def save_model(self, request, obj, form, change):
        services.framework_part_save(part=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.framework_part_delete(part=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        """Also for "Delete selected": the audited service, one part at a time."""
        for part in queryset:
            services.framework_part_delete(part=part, actor=request.user)


@admin.register(Framework)
class FrameworkAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    form = translatable_model_form(Framework)
    list_display = ["version", "title", "status", "is_current", "published_at", "public_link"]
    readonly_fields = ["version", "status", "is_current", "published_at"]
    actions = ["publish", "new_version"]

    @admin.display(description=_("public page"))
    def public_link(self, obj):
        if not obj.is_published:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("view"))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            services.framework_update(framework=obj, actor=request.user)
        else:
            created = services.framework_create(
                title=obj.title,
                summary=obj.summary,
                description=obj.description,
                translations=obj.translations,
                actor=request.user,
            )
            obj.pk, obj.version = created.pk, created.version

    @admin.action(description=_("Publish the selected draft (it becomes current)"), permissions=["change"])
    def publish(self, request, queryset):
        for framework in queryset:
            try:
                services.framework_publish(framework=framework, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"v{framework.version}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Version %(v)s is published.") % {"v": framework.version})

    @admin.action(description=_("Start a new draft version from the selected one"), permissions=["add"])
    def new_version(self, request, queryset):
        for framework in queryset:
            draft = services.framework_new_version(source=framework, actor=request.user)
            self.message_user(request, _("Draft version %(v)s created.") % {"v": draft.version})


@admin.register(CertificateTier)
class CertificateTierAdmin(TranslationsAdminMixin, FrozenWhenPublished, admin.ModelAdmin):
    form = translatable_model_form(CertificateTier)
    list_display = ["name", "framework", "code", "achievement_type", "summative_assessment_required", "min_hours"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    readonly_fields = ["preview"]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return _("Save to see a preview.")
        url = reverse("frameworks:sample_certificate", kwargs={"pk": obj.pk})
        return format_html(
            '<iframe class="preview-frame" title="{}" src="{}"></iframe>',
            _("Certificate preview"),
            url,
        )


@admin.register(BadgeCategory)
class BadgeCategoryAdmin(TranslationsAdminMixin, FrozenWhenPublished, admin.ModelAdmin):
    form = translatable_model_form(BadgeCategory)
    list_display = ["thumbnail", "name", "framework", "code", "achievement_type", "shape"]
    list_display_links = ["name"]
    list_filter = ["framework", "shape"]
    list_select_related = ["framework"]
    readonly_fields = ["preview"]

    def _img(self, obj, size):
        url = reverse("frameworks:sample_badge", kwargs={"pk": obj.pk})
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">',
            url,
            size,
            size,
            _("Sample %(name)s badge") % {"name": obj.name},
        )

    @admin.display(description=_("badge"))
    def thumbnail(self, obj):
        return self._img(obj, 48)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return self._img(obj, 300) if obj.pk else _("Save to see a preview.")


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TranslationsAdminMixin, FrozenWhenPublished, admin.ModelAdmin):
    form = translatable_model_form(GlossaryTerm)
    list_display = ["term", "international_term", "source", "framework"]
    list_filter = ["framework", "source"]
    search_fields = ["term", "definition", "international_term"]
    list_select_related = ["framework"]
    prepopulated_fields = {"slug": ["term"]}


class StackingRuleForm(admin.ModelAdmin.form):
    def clean(self):
        data = super().clean()
        rule = self.instance
        for field in (
            "framework",
            "mode",
            "required_count",
            "components",
            "min_level",
            "result_achievement",
            "result_tier",
            "result_category",
        ):
            if field in data:
                setattr(rule, field, data[field])
        if rule.framework_id:
            try:
                services.stacking_rule_validate(
                    rule,
                    categories=list(data.get("allowed_categories") or []),
                    tiers=list(data.get("allowed_tiers") or []),
                )
            except ValidationError as exc:
                raise ValidationError(exc.message_dict) from exc
        return data


@admin.register(StackingRule)
class StackingRuleAdmin(TranslationsAdminMixin, FrozenWhenPublished, admin.ModelAdmin):
    form = translatable_form(forms.modelform_factory(StackingRule, form=StackingRuleForm, fields="__all__"))
    list_display = ["name", "framework", "mode", "required_count", "result_tier", "result_category"]
    list_filter = ["framework"]
    list_select_related = ["framework", "result_tier", "result_category"]
    filter_horizontal = ["allowed_categories", "allowed_tiers"]

    def save_model(self, request, obj, form, change):
        pass  # saved with its categories and tiers in save_related, through one audited service

    def save_related(self, request, form, formsets, change):
        services.stacking_rule_save(
            rule=form.instance,
            actor=request.user,
            categories=form.cleaned_data.get("allowed_categories") or [],
            tiers=form.cleaned_data.get("allowed_tiers") or [],
        )
