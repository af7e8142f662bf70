"""Forms: parsing and field-level messages only; the rules live in events.services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import EventClaim

HONEYPOT = "website"


class LinkedErrorsForm(forms.Form):
    """Each field's errors are announced with it: aria-describedby points at them (templates/account/_field.html
    renders them with the id `<auto_id>_errors`), next to its help text."""

    def full_clean(self):
        super().full_clean()
        self.link_errors()

    def add_error(self, field, error):
        super().add_error(field, error)
        self.link_errors()

    def link_errors(self):
        for name, field in self.fields.items():
            bound = self[name]
            ids = [f"{bound.auto_id}_errors"] if name in self.errors else []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class CodeForm(LinkedErrorsForm):
    code = forms.CharField(
        label=_("Event code"),
        max_length=32,
        help_text=_("The code on the event's poster or slides, for example ABCD-2345. Capitals are not needed."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "class": "code-input"}
        ),
    )


class ClaimForm(LinkedErrorsForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=EventClaim._meta.get_field("name").max_length,
        help_text=_("As it should appear on the credential."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name as it should appear on the credential.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=EventClaim._meta.get_field("email").max_length,
        help_text=_("We email you a link to confirm it is yours; the credential is sent to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter your email address."), "invalid": _("Enter a valid email address.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=settings.LANGUAGES,
    )
    # Honeypot: hidden from people (off-screen, out of the tab order, hidden from screen readers); a bot filling
    # in every field fills it in too.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT]
