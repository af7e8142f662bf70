"""Forms of the staff console. They parse and check shapes; the services decide (and check again)."""

import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from credentials.bulk import csvfile
from credentials.models import Achievement, Award, Issuer
from credentials.services import esco_alignment
from frameworks.models import BadgeCategory, CertificateTier, Framework
from multilingual.forms import translatable_form

from .selectors import SORTS, publishable_achievements

MODES = [("one", _("One recipient")), ("list", _("A pasted list")), ("csv", _("A CSV file"))]


class IssueForm(forms.Form):
    achievement = forms.ModelChoiceField(
        Achievement.objects.none(),
        label=_("Achievement"),
        empty_label=_("Choose an achievement"),
        help_text=_("Only published achievements of this programme can be issued."),
        error_messages={"invalid_choice": _("Choose a published achievement of this programme.")},
    )
    mode = forms.ChoiceField(label=_("Recipients"), choices=MODES, initial="one", widget=forms.RadioSelect)
    name = forms.CharField(label=_("Recipient name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Recipient email"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the claim email and certificate"), choices=settings.LANGUAGES, required=False
    )
    organisation = forms.BooleanField(
        label=_("The recipients are organisations"),
        required=False,
        help_text=_("Some badge categories are awarded to organisations, some to people, some to both."),
    )
    recipients = forms.CharField(
        label=_("Recipients, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("“Name <email>” or “name, email” on each line."),
    )
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "Columns email and name (required), and the optional ones of the bulk template. At most "
            "%(mb)s MB and %(rows)s rows."
        )
        % {"mb": csvfile.MAX_BYTES // 1024 // 1024, "rows": f"{csvfile.MAX_ROWS:,}"},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievement"].queryset = publishable_achievements(programme)

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == "one":
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Give the recipient's name."))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Give the recipient's email address."))
        elif mode == "list" and not (data.get("recipients") or "").strip():
            self.add_error("recipients", _("Paste at least one recipient."))
        achievement = data.get("achievement")
        kind = "organisation" if data.get("organisation") else "person"
        if achievement is not None and achievement.category_id and mode in ("one", "list"):
            kinds = achievement.category.recipient_kinds or []
            if kind not in kinds:
                if kinds == ["organisation"]:
                    message = _("%(category)s badges are awarded to organisations only: tick the box.")
                else:
                    message = _("%(category)s badges are not awarded to organisations.")
                self.add_error("organisation", message % {"category": achievement.category.name})
        if mode == "csv":
            upload = data.get("file")
            if upload is None:
                self.add_error("file", _("Choose a CSV file."))
            elif upload.size > csvfile.MAX_BYTES:
                self.add_error("file", csvfile.size_message(upload.size))
        return data


class ConfirmOneForm(forms.Form):
    """The preview's hidden fields for one recipient, checked again on confirmation."""

    achievement = forms.ModelChoiceField(Achievement.objects.none())
    name = forms.CharField(max_length=200)
    email = forms.EmailField()
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    organisation = forms.BooleanField(required=False)
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$")

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievement"].queryset = publishable_achievements(programme)


def kind_choices():
    """Tiers and categories of the current framework, as "tier:<pk>" / "category:<pk>" grouped."""
    framework = Framework.objects.filter(is_current=True).first()
    if framework is None:
        return [("", _("No published framework"))]
    tiers = [(f"tier:{t.pk}", t.name) for t in CertificateTier.objects.filter(framework=framework)]
    categories = [(f"category:{c.pk}", c.name) for c in BadgeCategory.objects.filter(framework=framework)]
    return [("", _("Choose a tier or category")), (_("Certificates"), tiers), (_("Badges"), categories)]


def kind_of(value: str):
    """The tier or category named by a kind choice, or None."""
    prefix, _sep, pk = (value or "").partition(":")
    model = {"tier": CertificateTier, "category": BadgeCategory}.get(prefix)
    if model is None or not pk.isdigit():
        return None
    # the current framework's only: a draft version's designs are for those who may see the draft
    return model.objects.select_related("framework").filter(pk=pk, framework__is_current=True).first()


ESCO_ROWS = 4  # empty rows offered for ESCO skills (an achievement with more shows its own plus two)


class AchievementForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("Tier or category"), choices=())
    companions = forms.ModelMultipleChoiceField(
        label=_("Companion badges"),
        queryset=Achievement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a certificate with companion badges: the badges issued with it (this programme's)."),
    )

    field_order = [
        "kind",
        "mode",
        "companions",
        "name",
        "description",
        "criteria_narrative",
        "criteria_url",
        "assessment_method",
        "evidence_required",
        "hours",
        "ects_credits",
        "level",
        "eqf_level",
        "validity_days",
        "language",
        "issuer",
        "slug",
    ]

    class Meta:
        model = Achievement
        fields = [
            "name",
            "slug",
            "issuer",
            "mode",
            "description",
            "criteria_narrative",
            "criteria_url",
            "assessment_method",
            "evidence_required",
            "hours",
            "ects_credits",
            "level",
            "eqf_level",
            "validity_days",
            "language",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria_narrative": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["mode"].choices = [("", _("As its kind: a tier's certificate, a category's badge"))] + list(
            Achievement.Mode.choices
        )
        self.fields["companions"].queryset = (
            Achievement.objects.filter(programme_id=self.instance.programme_id, mode=Achievement.Mode.BADGE)
            .exclude(status=Achievement.Status.ARCHIVED)
            .order_by("name")
        )
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Part of the achievement's public address; made from the name if empty.")
        self.fields["issuer"].queryset = Issuer.objects.order_by("name")
        alignments = list(self.instance.alignments or []) if self.instance.pk else []
        self.esco_rows = max(ESCO_ROWS, len(alignments) + 2)
        for number in range(1, self.esco_rows + 1):
            self.fields[f"esco_uri_{number}"] = forms.CharField(
                label=_("ESCO skill %(n)d: URI") % {"n": number},
                required=False,
                max_length=200,
                help_text=_("http://data.europa.eu/esco/skill/… (copy it from the ESCO portal)") if number == 1 else "",
            )
            self.fields[f"esco_label_{number}"] = forms.CharField(
                label=_("ESCO skill %(n)d: label") % {"n": number}, required=False, max_length=300
            )
        if self.instance.pk:
            kind = self.instance.kind
            self.initial["kind"] = f"{'tier' if self.instance.tier_id else 'category'}:{kind.pk}"
            self.initial["companions"] = list(self.instance.companions.values_list("pk", flat=True))
            for number, item in enumerate(alignments, start=1):
                self.initial[f"esco_uri_{number}"] = item.get("targetUrl", "")
                self.initial[f"esco_label_{number}"] = item.get("targetName", "")
            self.fields["slug"].disabled = True  # published ids stay stable
        elif Issuer.objects.count() == 1:
            self.initial["issuer"] = Issuer.objects.first().pk

    def esco_alignments(self) -> list[dict]:
        """The ESCO rows as stored alignments; each bad row gets its error on its own field."""
        items = []
        for number in range(1, self.esco_rows + 1):
            uri = (self.cleaned_data.get(f"esco_uri_{number}") or "").strip()
            label = (self.cleaned_data.get(f"esco_label_{number}") or "").strip()
            if not uri and not label:
                continue
            if not uri:
                self.add_error(f"esco_uri_{number}", _("Give the ESCO URI of “%(label)s”.") % {"label": label})
                continue
            try:
                items.append(esco_alignment(uri=uri, label=label))
            except ValidationError as exc:
                field = f"esco_label_{number}" if uri and not label else f"esco_uri_{number}"
                self.add_error(field, exc.messages)
        return items

    def clean(self):
        data = super().clean()
        data["alignments"] = self.esco_alignments()
        return data

    def clean_kind(self):
        kind = kind_of(self.cleaned_data["kind"])
        if kind is None:
            raise forms.ValidationError(_("Choose a certificate tier or a badge category."))
        return kind

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("name", ""))[:70]
        if not self.instance.pk:
            base, number = slug or "achievement", 2
            while Achievement.objects.filter(slug=slug).exists():
                slug, number = f"{base[:70]}-{number}", number + 1
        return slug or self.instance.slug

    def apply(self) -> Achievement:
        """The instance with the form's values (unsaved): achievement_save validates and writes it."""
        achievement = self.instance
        kind = self.cleaned_data["kind"]
        achievement.tier = kind if isinstance(kind, CertificateTier) else None
        achievement.category = kind if isinstance(kind, BadgeCategory) else None
        achievement.alignments = self.cleaned_data["alignments"]
        return achievement

    def _post_clean(self):
        # ModelForm's full_clean() would run before the tier/category are set; achievement_save validates.
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields)


# French and Spanish (or English) texts of the achievement, laid out apart on the page.
AchievementForm = translatable_form(AchievementForm)


def json_guidance(kinds) -> str:
    return json.dumps(kinds)


class AwardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *Award.State.choices])
    achievement = forms.ModelChoiceField(
        Achievement.objects.none(), label=_("Achievement"), required=False, empty_label=_("Any achievement")
    )
    since = forms.DateField(label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("name", _("Name A–Z")),
            ("-name", _("Name Z–A")),
            ("achievement", _("Achievement")),
        ],
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import achievements_of

        self.fields["achievement"].queryset = achievements_of(programme).order_by("name")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "state": data["state"],
            "achievement": data["achievement"],
            "since": data["since"],
            "until": data["until"],
            "sort": data["sort"] if data["sort"] in SORTS else "newest",
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to verifiers)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReissueForm(ReasonForm):
    recipient_name = forms.CharField(label=_("Corrected name"), max_length=200, required=False)
    recipient_email = forms.EmailField(label=_("Corrected email"), required=False)
