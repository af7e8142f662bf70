"""Staff console for issuers, achievements and awards. Thin: every write goes through credentials.services.

Each view and action checks the permission of what it does before calling the service (which checks it
again): issuing `credentials.add_award`, revoking `credentials.revoke_award`, reissuing both, rotating an
issuer's key `credentials.change_issuer`.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

import access
from multilingual.forms import TranslationsAdminMixin, translatable_form

from . import imagelimits, services
from .links import award_links
from .models import Achievement, Award, Issuer, SigningKey, StatusList

ISSUE = "credentials.add_award"
REVOKE = "credentials.revoke_award"
REISSUE = (REVOKE, ISSUE)  # a reissue revokes and issues


class SigningKeyInline(admin.TabularInline):
    model = SigningKey
    fields = ["did", "is_active", "created_at", "retired_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class IssuerForm(forms.ModelForm):
    class Meta:
        model = Issuer
        fields = ["slug", "name", "url", "email", "description", "image", "linkedin_organization_id"]

    def clean_image(self):
        """The header only (PNG or JPEG, pixel size), so a bomb is refused with a message, never decoded."""
        image = self.cleaned_data.get("image")
        imagelimits.validate_logo(image)
        return image


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    form = IssuerForm
    list_display = ["name", "slug", "url", "email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SigningKeyInline]
    actions = ["rotate_key"]

    def save_model(self, request, obj, form, change):
        if change:
            services.issuer_update(issuer=obj, actor=request.user)
        else:
            created = services.issuer_create(
                slug=obj.slug,
                name=obj.name,
                url=obj.url,
                email=obj.email,
                description=obj.description,
                image=obj.image,
                linkedin_organization_id=obj.linkedin_organization_id,
                actor=request.user,
            )
            obj.pk = created.pk

    @admin.action(description=_("Rotate the signing key (earlier credentials stay verifiable)"), permissions=["change"])
    def rotate_key(self, request, queryset):
        for issuer in queryset:
            key = services.issuer_rotate_key(issuer=issuer, actor=request.user)
            self.message_user(request, _("%(issuer)s now signs with %(did)s") % {"issuer": issuer, "did": key.did})


class AchievementForm(forms.ModelForm):
    esco_alignments = forms.CharField(
        label=_("ESCO skills"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One skill a line: its ESCO URI, then “|”, then its label."),
    )

    class Meta:
        model = Achievement
        fields = [
            "slug",
            "issuer",
            "tier",
            "category",
            "mode",
            "companions",
            "eqf_level",
            "name",
            "description",
            "criteria_narrative",
            "criteria_url",
            "assessment_method",
            "evidence_required",
            "hours",
            "ects_credits",
            "level",
            "esco_alignments",
            "tags",
            "language",
            "validity_days",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["esco_alignments"] = services.esco_alignments_text(self.instance.alignments)
        if "companions" in self.fields:
            self.fields["companions"].queryset = Achievement.objects.filter(mode=Achievement.Mode.BADGE)

    def clean_esco_alignments(self):
        try:
            return services.esco_alignments_parse(self.cleaned_data.get("esco_alignments") or "")
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean(self):
        data = super().clean()
        for field, value in data.items():
            if field == "esco_alignments":
                self.instance.alignments = value
            elif field != "companions":
                setattr(self.instance, field, value)
        try:
            services.achievement_validate(self.instance, companions=list(data.get("companions") or []))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                raise
        return data


@admin.register(Achievement)
class AchievementAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    form = translatable_form(AchievementForm)
    list_display = ["thumbnail", "name", "slug", "issuer", "tier", "category", "is_active"]
    list_display_links = ["name"]
    list_filter = ["issuer", "tier", "category", "is_active"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["issuer", "tier", "category"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["preview"]

    def _img(self, obj, size):
        url = reverse("credentials:achievement_image", kwargs={"slug": obj.slug})
        return format_html('<img src="{}" width="{}" height="{}" alt="{}">', url, size, size, obj.name)

    @admin.display(description=_("badge"))
    def thumbnail(self, obj):
        return self._img(obj, 40)

    @admin.display(description=_("image preview"))
    def preview(self, obj):
        return self._img(obj, 240) if obj.pk else _("Save to see the image.")

    def save_model(self, request, obj, form, change):
        companions = form.cleaned_data.get("companions")
        services.achievement_save(
            achievement=obj, actor=request.user, companions=None if companions is None else list(companions)
        )


class IssueForm(forms.Form):
    achievement = forms.ModelChoiceField(Achievement.objects.filter(is_active=True), label=_("Achievement"))
    recipient_name = forms.CharField(label=_("Recipient name"), max_length=200)
    recipient_email = forms.EmailField(label=_("Recipient email"))
    recipient_kind = forms.ChoiceField(choices=Award.RecipientKind.choices, label=_("Recipient"))
    expires_at = forms.DateTimeField(
        label=_("Expires"), required=False, help_text=_("Empty: the achievement's default validity.")
    )
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea, required=False)
    evidence_url = forms.URLField(label=_("Evidence URL"), required=False, assume_scheme="https")


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to verifiers)"), widget=forms.Textarea, max_length=1000)


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "recipient_name",
        "recipient_email",
        "achievement",
        "issued_at",
        "state",
        "verification",
    ]
    list_filter = ["state", "achievement__issuer", "achievement"]
    search_fields = ["public_id", "recipient_email", "recipient_name", "external_id"]
    list_select_related = ["achievement"]
    date_hierarchy = "issued_at"
    readonly_fields = [f.name for f in Award._meta.fields] + ["machine_links"]
    actions = ["revoke", "reissue"]

    def has_change_permission(self, request, obj=None):
        return request.method == "GET" and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("verification page"))
    def verification(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))

    @admin.display(description=_("links"))
    def machine_links(self, obj):
        from django.utils.html import format_html_join
        from django.utils.safestring import mark_safe

        items = [(k, v, v) for k, v in award_links(obj).items() if k != "id"]
        return format_html_join(mark_safe("<br>"), '{}: <a href="{}">{}</a>', items)  # noqa: S308

    def get_urls(self):
        return [
            path("issue/", self.admin_site.admin_view(self.issue_view), name="credentials_award_issue"),
            path("revoke/", self.admin_site.admin_view(self.revoke_view), name="credentials_award_revoke"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("admin:credentials_award_issue")

    def has_add_permission(self, request):
        return access.allows(request.user, ISSUE)

    def has_revoke_permission(self, request):
        return access.allows(request.user, REVOKE)

    def has_reissue_permission(self, request):
        return access.allows(request.user, REISSUE)

    def issue_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IssueForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            evidence = [{"url": data["evidence_url"]}] if data["evidence_url"] else []
            try:
                award = services.award_issue(
                    achievement=data["achievement"],
                    recipient=services.Recipient(
                        email=data["recipient_email"],
                        name=data["recipient_name"],
                        kind=data["recipient_kind"],
                        expires_at=data["expires_at"],
                        narrative=data["narrative"],
                        evidence=evidence,
                    ),
                    actor=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(
                    request, _("Issued %(id)s to %(name)s.") % {"id": award.public_id, "name": award.recipient_name}
                )
                return redirect("admin:credentials_award_change", award.pk)
        return render(
            request,
            "admin/credentials/award/issue.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "title": _("Issue a credential"),
                "opts": self.model._meta,
            },
        )

    def revoke_view(self, request):
        mode = "reissue" if (request.GET.get("mode") or request.POST.get("mode")) == "reissue" else "revoke"
        allowed = self.has_reissue_permission if mode == "reissue" else self.has_revoke_permission
        if not allowed(request):
            raise PermissionDenied
        ids = request.GET.get("ids", "").split(",") if request.method == "GET" else request.POST.getlist("ids")
        awards = list(Award.objects.filter(pk__in=[i for i in ids if i.isdigit()]).select_related("achievement"))
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            for award in awards:
                try:
                    if mode == "reissue":
                        new = services.award_reissue(
                            award=award, reason=form.cleaned_data["reason"], actor=request.user
                        )
                        self.message_user(
                            request, _("Reissued %(old)s as %(new)s.") % {"old": award.public_id, "new": new.public_id}
                        )
                    else:
                        services.award_revoke(award=award, reason=form.cleaned_data["reason"], actor=request.user)
                        self.message_user(request, _("Revoked %(id)s.") % {"id": award.public_id})
                except ValidationError as exc:
                    self.message_user(request, f"{award.public_id}: {' '.join(exc.messages)}", messages.ERROR)
            return redirect("admin:credentials_award_changelist")
        return render(
            request,
            "admin/credentials/award/revoke.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "awards": awards,
                "mode": mode,
                "title": _("Reissue credentials") if mode == "reissue" else _("Revoke credentials"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Revoke the selected credentials…"), permissions=["revoke"])
    def revoke(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(reverse("admin:credentials_award_revoke") + f"?ids={ids}&mode=revoke")

    @admin.action(description=_("Correct (revoke and reissue) the selected credentials…"), permissions=["reissue"])
    def reissue(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(reverse("admin:credentials_award_revoke") + f"?ids={ids}&mode=reissue")


@admin.register(StatusList)
class StatusListAdmin(admin.ModelAdmin):
    list_display = ["id", "key", "size", "updated_at"]
    readonly_fields = ["key", "purpose", "size", "used", "updated_at", "created_at"]
    exclude = ["bits", "signed_credential"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from .bulk import admin as bulk_admin  # noqa: E402, F401 (registers the bulk issuing console)
