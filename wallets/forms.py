"""Forms: parsing and field-level messages only; the rules live in wallets.services."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import RecipientEvidence
from .selectors import FILTER_STATES, STATE_LABELS


class ClaimAccountForm(forms.Form):
    """Create a wallet from the claim link: the address is proven by the link, so only a password."""

    display_name = forms.CharField(label=_("Your name"), max_length=120)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str = "", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            probe = get_user_model()(email=self.email, username=self.email, first_name=data.get("display_name", ""))
            try:
                password_validation.validate_password(one, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        choices=RecipientEvidence.Kind.choices,
        widget=forms.RadioSelect,
        initial=RecipientEvidence.Kind.NARRATIVE,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    narrative = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    url = forms.CharField(
        label=_("Link"), max_length=500, required=False, widget=forms.URLInput(attrs={"placeholder": "https://"})
    )
    file = forms.FileField(
        label=_("File (PDF, PNG or JPEG, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )
    is_public = forms.BooleanField(label=_("Show it on the verification page"), required=False, initial=True)


class EndorsementRequestForm(forms.Form):
    endorser_name = forms.CharField(label=_("Their name"), max_length=200)
    endorser_email = forms.EmailField(label=_("Their email address"))
    message = forms.CharField(
        label=_("A message for them (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EndorseForm(forms.Form):
    endorser_name = forms.CharField(label=_("Your name"), max_length=200)
    endorser_title = forms.CharField(
        label=_("Your role or relationship (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: “Supervisor at the Ministry of Labour”."),
    )
    comment = forms.CharField(label=_("Your endorsement"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))


class CollectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(label=_("Public: anyone with the link can see it"), required=False)


class ProfileForm(forms.Form):
    handle = forms.CharField(label=_("Profile address"), max_length=40)
    display_name = forms.CharField(label=_("Name shown on your profile"), max_length=120)
    headline = forms.CharField(label=_("Headline (optional)"), max_length=200, required=False)
    is_public = forms.BooleanField(
        label=_("Public profile: anyone can see my public credentials and collections"), required=False
    )

    def __init__(self, *args, profile_url: str = "", **kwargs):
        """profile_url: the profile's address today (https://…/u/<handle>/), shown in the handle's help text
        (escaped: the help text is HTML, and a raw "<address>" would vanish as an unknown tag)."""
        super().__init__(*args, **kwargs)
        self.fields["handle"].help_text = format_html(
            "{} <code>{}</code><br>{}",
            _("Your profile's address:"),
            profile_url or "/u/…/",
            _("The last part is this field: lower-case letters, digits and dashes."),
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("A badge image (PNG or SVG) or a JSON file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.svg,.json,image/png,image/svg+xml,application/json"}),
    )
    url = forms.CharField(
        label=_("Or the address of an Open Badges 2.0 assertion"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    text = forms.CharField(
        label=_("Or paste an Open Badges 3.0 credential (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        data = super().clean()
        given = [name for name in ("file", "url", "text") if data.get(name)]
        if not given:
            raise forms.ValidationError(_("Choose a file, enter an address or paste a credential."))
        if len(given) > 1:
            raise forms.ValidationError(_("Give one thing at a time: a file, an address or pasted JSON."))
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=_("I understand that my wallet, evidence, collections and imported credentials are deleted for good.")
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("All kinds")),
            ("certificate", _("Certificates")),
            ("badge", _("Badges")),
            ("external", _("Imported")),
        ],
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    group = forms.ChoiceField(label=_("Tier or category"), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All but declined"))] + [(s, STATE_LABELS[s]) for s in FILTER_STATES]
        self.fields["group"].choices = [("", _("All tiers and categories")), *groups]

    def values(self) -> dict:
        if not self.is_valid():
            return {"q": "", "kind": "", "state": "", "group": ""}
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "kind", "state", "group")}
