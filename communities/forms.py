from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from credentials.models import Achievement

from .models import MEMBERSHIP_CATEGORIES, Community, ContributionAward
from .services import STATEMENT_LENGTH


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("A few words about you and why you join"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=STATEMENT_LENGTH,
    )


class RenewForm(forms.Form):
    statement = forms.CharField(
        label=_("Anything the managers should know (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=STATEMENT_LENGTH,
        required=False,
    )


class ReasonForm(forms.Form):
    text = forms.CharField(label=_("Message to the applicant"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=STATEMENT_LENGTH)  # fmt: skip


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(label=_("Language of the email"), choices=settings.LANGUAGES)


class ContributionForm(forms.Form):
    achievement = forms.ChoiceField(label=_("Badge"))
    role = forms.ChoiceField(label=_("Contribution"), choices=ContributionAward.Role.choices)
    narrative = forms.CharField(label=_("What they did (optional)"), required=False, max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, achievements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievement"].choices = [(str(a.pk), a.name) for a in achievements]


class CommunityForm(forms.ModelForm):
    """A programme's community, as its managers create and change it in the console (the address is set once)."""

    class Meta:
        model = Community
        fields = ("name", "slug", "description", "how_to_join", "membership_achievement", "contribution_achievements",
                  "join_mode", "renewal_mode", "reminder_days", "is_active")  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "how_to_join": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        mine = Achievement.objects.filter(programme=programme, is_active=True).order_by("name")
        self.fields["membership_achievement"].queryset = mine.filter(category__code__in=MEMBERSHIP_CATEGORIES)
        self.fields["contribution_achievements"].queryset = mine
        self.fields["contribution_achievements"].widget = forms.CheckboxSelectMultiple()
        self.fields["contribution_achievements"].choices = [(a.pk, a.name) for a in mine]
        self.fields["manager_emails"] = forms.CharField(
            label=_("Community managers"),
            help_text=_("Email addresses of accounts that manage this community besides the programme's managers, "
                        "one a line."),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            initial="\n".join(user.email for user in self.instance.managers.all()) if self.instance.pk else "",
        )  # fmt: skip
        if self.instance.pk:
            del self.fields["slug"]
        else:
            del self.fields["is_active"]

    def clean_manager_emails(self):
        """The accounts named, by their address (each must exist)."""
        from django.contrib.auth import get_user_model

        emails = [line.strip().lower() for line in self.cleaned_data["manager_emails"].splitlines() if line.strip()]
        users = {user.email.lower(): user for user in get_user_model().objects.filter(email__in=emails, is_active=True)}
        unknown = [email for email in emails if email not in users]
        if unknown:
            raise forms.ValidationError(
                _("No account uses %(emails)s: ask them to create one first.") % {"emails": ", ".join(unknown)}
            )
        return list({user.pk: user for user in users.values()}.values())
