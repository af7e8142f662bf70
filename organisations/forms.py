from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from credentials.models import Achievement

from .models import Organisation, OrganisationInvite
from .rules import accepts

MEMBER_ROWS = 3


class ProfileForm(forms.ModelForm):
    """What an organisation's admins change: the profile and the logo (the address and programme stay)."""

    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 2 MB and 2000 × 2000 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Organisation
        fields = ("name", "country", "sector", "website", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationInvite.Role.choices)
    language = forms.ChoiceField(label=_("Language of the email"), choices=settings.LANGUAGES)


class OrganisationForm(forms.ModelForm):
    """A new organisation, as programme staff create it in the console, with its first admin."""

    admin_email = forms.EmailField(
        label=_("First admin's email"),
        required=False,
        help_text=_("They receive an invitation to manage the organisation."),
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    class Meta:
        model = Organisation
        fields = ("name", "slug", "country", "sector", "website", "email", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    result = forms.ModelChoiceField(
        label=_("Credential issued to the organisation"), queryset=Achievement.objects.none()
    )
    required_achievements = forms.ModelMultipleChoiceField(
        label=_("Credentials the organisation must hold"),
        queryset=Achievement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        mine = list(
            Achievement.objects.filter(programme=programme, is_active=True, status=Achievement.Status.PUBLISHED)
            .select_related("category")
            .order_by("name")
        )
        for_organisations = [a.pk for a in mine if accepts(a, "organisation")]
        for_people = [(str(a.pk), a.name) for a in mine if accepts(a, "person")]
        self.fields["result"].queryset = Achievement.objects.filter(pk__in=for_organisations).order_by("name")
        self.fields["required_achievements"].queryset = Achievement.objects.filter(pk__in=for_organisations).order_by(
            "name"
        )
        self.people = {str(a.pk): a for a in mine if accepts(a, "person")}
        for index in range(1, MEMBER_ROWS + 1):
            self.fields[f"member_{index}"] = forms.ChoiceField(
                label=_("Member credential %(n)d") % {"n": index},
                choices=[("", "—"), *for_people],
                required=False,
            )
            self.fields[f"minimum_{index}"] = forms.IntegerField(
                label=_("Members who must share it (%(n)d)") % {"n": index},
                min_value=1,
                max_value=10_000,
                required=False,
            )

    def requirements(self) -> list[tuple]:
        rows = []
        for index in range(1, MEMBER_ROWS + 1):
            choice = self.cleaned_data.get(f"member_{index}")
            if choice:
                rows.append((self.people[choice], self.cleaned_data.get(f"minimum_{index}") or 1))
        return rows
