"""Staff console for wallets: endorsements by issuers (through services), and read-only views of the rest."""

from allauth.account import admin as account_admin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import ReadOnlyAdminMixin
from credentials.models import Award, Issuer

from . import services
from .models import Collection, Endorsement, ExternalCredential, Profile, ShareEvent


class IssuerEndorsementForm(forms.ModelForm):
    """Staff endorse a learner's award in the name of an issuer (signed with that issuer's key)."""

    award = forms.ModelChoiceField(
        queryset=Award.objects.all(),
        widget=forms.TextInput,
        help_text=_("The award's internal number (see the awards list)."),
    )
    endorser_issuer = forms.ModelChoiceField(queryset=Issuer.objects.all(), label=_("Endorsing issuer"))

    class Meta:
        model = Endorsement
        fields = ["award", "endorser_issuer", "endorser_name", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["endorser_name"].required = False
        self.fields["comment"].required = True


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    """Staff add issuer endorsements (signed through wallets.services); learners hide them, not staff."""

    list_display = ["award", "endorser_name", "kind", "state", "is_hidden", "endorsed_at"]
    list_filter = ["kind", "state", "is_hidden"]
    search_fields = ["endorser_name", "award__public_id", "award__recipient_name"]
    readonly_fields = ["public_id", "credential", "requested_at", "endorsed_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = IssuerEndorsementForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["award", "endorser_issuer", "endorser_name", "comment"]
        return [
            "public_id",
            "award",
            "kind",
            "endorser_issuer",
            "endorser_name",
            "endorser_title",
            "comment",
            "state",
            "is_hidden",
            "requested_at",
            "endorsed_at",
            "credential",
        ]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # learner data changes only through wallets.services (audited)

    def save_model(self, request, obj, form, change):
        try:
            created = services.endorsement_issue(
                award=form.cleaned_data["award"],
                issuer=form.cleaned_data["endorser_issuer"],
                comment=form.cleaned_data["comment"],
                endorser_name=form.cleaned_data.get("endorser_name") or "",
                actor=request.user,
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        obj.pk = created.pk


@admin.register(ShareEvent)
class ShareEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["award", "channel", "at"]
    list_filter = ["channel"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return ["award", "channel", "at"]

    fields = ["award", "channel", "at"]


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["handle", "display_name", "is_public"]
    search_fields = ["handle", "display_name"]
    fields = ["handle", "display_name", "headline", "is_public"]


@admin.register(Collection)
class CollectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "user", "is_public"]
    fields = ["name", "description", "is_public"]


@admin.register(ExternalCredential)
class ExternalCredentialAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "issuer_name", "kind", "is_valid", "created_at"]
    fields = ["name", "issuer_name", "kind", "source", "is_valid", "report"]


# allauth's "Mark selected email addresses as verified" asks for no permission, so any member of staff who
# may only look at addresses could verify one, and a verified address holds the credentials sent to it.
# Registered again here (importing allauth's admin first registers it) with the change permission.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(account_admin.EmailAddressAdmin):
    @admin.action(description=_("Mark selected email addresses as verified"), permissions=["change"])
    def make_verified(self, request, queryset):
        return super().make_verified(request, queryset)
