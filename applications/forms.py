from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ApplicationRoute
from .services.common import COMMENT_LENGTH, MAX_FILES, MAX_LINKS, NARRATIVE_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; checked and cleaned by the services (wallets.uploads), not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        return list(data) if isinstance(data, (list, tuple)) else [data]


class EvidenceForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narrative: what you did, where, and what you learned"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=NARRATIVE_LENGTH,
        required=False,
    )
    links = forms.CharField(
        label=_("Links to your work (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://"}),
        required=False,
        help_text=_("At most %(n)d links, each starting with https:// or http://.") % {"n": MAX_LINKS},
    )
    files = MultipleFileField(
        label=_("Files (PDF, PNG or JPEG)"),
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
        required=False,
        help_text=_("At most %(n)d files of 10 MB each. Images are re-encoded (their hidden data is removed).")
        % {"n": MAX_FILES},
    )

    def link_list(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("links") or "").splitlines() if line.strip()]


class ApplyForm(EvidenceForm):
    email = forms.ChoiceField(label=_("Send the credential to"))
    nominee_name = forms.CharField(label=_("Their name"), max_length=200, required=False)
    nominee_email = forms.EmailField(label=_("Their email"), required=False)
    nominee_language = forms.ChoiceField(label=_("Language of the email to them"), choices=settings.LANGUAGES)

    def __init__(self, *args, emails=(), route: ApplicationRoute | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].choices = [(email, email) for email in emails]
        if route is None or not route.nominee:
            for name in ("nominee_name", "nominee_email", "nominee_language"):
                del self.fields[name]
        if route is not None and route.narrative_required:
            self.fields["narrative"].required = True

    def nominee_fields(self):
        return [self[name] for name in ("nominee_name", "nominee_email", "nominee_language") if name in self.fields]

    def evidence_fields(self):
        return [self[name] for name in ("narrative", "links", "files")]


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (the applicant reads it; required to ask for changes or decline)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_LENGTH,
        required=False,
    )


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=1, max_value=600)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class RouteForm(forms.ModelForm):
    class Meta:
        model = ApplicationRoute
        fields = ["is_open", "instructions", "nominee", "sessions_required", "narrative_required", "min_files",
                  "min_links"]  # fmt: skip
        widgets = {"instructions": forms.Textarea(attrs={"rows": 4})}


class GoalForm(forms.Form):
    achievement = forms.ChoiceField(label=_("Credential you aim at"))
    note = forms.CharField(label=_("Why (optional, only you see it)"), max_length=500, required=False)

    def __init__(self, *args, achievements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievement"].choices = [("", "—")] + [(a.slug, a.name) for a in achievements]
