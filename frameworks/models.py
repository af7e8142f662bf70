"""The published dual framework: certificate tiers, badge taxonomy, glossary and stacking rules.

A Framework is versioned. Staff edit a draft; publishing freezes it and makes it current. Older published
versions stay readable at /framework/v/<version>/. Every child row belongs to exactly one version.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from multilingual.models import Translatable
from multilingual.text import translated

from .requirements import REQUIREMENTS
from .validators import url_field_errors

# The 31 values of the Open Badges 3.0 AchievementType enumeration.
ACHIEVEMENT_TYPES = [
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree", "Award",
    "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification", "CommunityService",
    "Competency", "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork",
    "GeneralEducationDevelopment", "JourneymanCertificate", "LearningProgram", "License", "Membership",
    "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate", "MasterDegree",
    "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
]  # fmt: skip
ACHIEVEMENT_TYPE_CHOICES = [(value, value) for value in ACHIEVEMENT_TYPES]

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f6feb."))


class Framework(Translatable):
    translatable_fields = ("title", "summary", "description")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    is_current = models.BooleanField(_("current"), default=False, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_framework"),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(status="published"), name="current_framework_is_published"
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("frameworks:version", kwargs={"version": self.version})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class FrameworkPart(models.Model):
    """Common base: a row that belongs to one framework version and is frozen once it is published."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, verbose_name=_("framework"))

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.framework_id and self.framework.is_published:
            raise ValidationError(_("A published framework cannot be changed: create a new version."))


class Visual(models.Model):
    primary = models.CharField(_("primary colour"), max_length=7, validators=[hex_colour], default="#1d4e89")
    secondary = models.CharField(_("secondary colour"), max_length=7, validators=[hex_colour], default="#e8eef7")
    accent = models.CharField(_("accent colour"), max_length=7, validators=[hex_colour], default="#f2a900")
    ink = models.CharField(_("text colour"), max_length=7, validators=[hex_colour], default="#1b1f24")

    class Meta:
        abstract = True

    @property
    def palette(self):
        return {"primary": self.primary, "secondary": self.secondary, "accent": self.accent, "ink": self.ink}


class CertificateTier(FrameworkPart, Visual, Translatable):
    translatable_fields = ("name", "description")

    class Code(models.TextChoices):
        PARTICIPATION = "participation", _("Certificate of Participation")
        ACHIEVEMENT = "achievement", _("Certificate of Achievement")
        DIPLOMA = "diploma", _("Diploma")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"))
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    summative_assessment_required = models.BooleanField(_("summative assessment required"), default=False)
    min_hours = models.DecimalField(_("minimum hours"), max_digits=7, decimal_places=1, null=True, blank=True)
    min_ects = models.DecimalField(
        _("minimum ECTS credits"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("1 ECTS credit = 25 to 30 notional learning hours."),
    )
    min_courses = models.PositiveSmallIntegerField(
        _("number of courses"), null=True, blank=True, help_text=_("For a Diploma: how many courses it spans.")
    )
    achievement_type = models.CharField(
        _("Open Badges 3.0 achievementType"), max_length=40, choices=ACHIEVEMENT_TYPE_CHOICES
    )
    html_template = models.TextField(
        _("certificate template (HTML/CSS)"),
        help_text=_("Django template language; see the placeholders listed in the documentation."),
    )
    class EqfPolicy(models.TextChoices):
        NONE = "none", _("Not stated")
        OPTIONAL = "optional", _("Optional")
        REQUIRED = "required", _("Required")

    eqf_level_policy = models.CharField(
        _("EQF level"),
        max_length=10,
        choices=EqfPolicy.choices,
        default=EqfPolicy.NONE,
        help_text=_("Whether this tier's certificates state a European Qualifications Framework level (1–8)."),
    )
    icon_path = models.TextField(_("seal icon (SVG path data, 24×24)"), blank=True)
    svg_template = models.TextField(
        _("seal template (SVG)"),
        blank=True,
        help_text=_("The badge image of this tier's certificates (Open Badges need an image)."),
    )

    class Meta:
        verbose_name = _("certificate tier")
        verbose_name_plural = _("certificate tiers")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_tier_per_framework")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.code == self.Code.DIPLOMA and not self.min_courses:
            raise ValidationError({"min_courses": _("A Diploma must state how many courses it spans.")})
        if self.svg_template:
            from .svg import check_design

            check_design(self, name=self.name)

    level_marker = "none"
    max_level = 0


class BadgeCategory(FrameworkPart, Visual, Translatable):
    translatable_fields = ("name", "description", "purpose", "example_name")

    class Shape(models.TextChoices):
        CIRCLE = "circle", _("Circle")
        HEXAGON = "hexagon", _("Hexagon")
        SHIELD = "shield", _("Shield")
        ROUNDED_SQUARE = "rounded-square", _("Rounded square")
        DIAMOND = "diamond", _("Diamond")
        OCTAGON = "octagon", _("Octagon")
        PENTAGON = "pentagon", _("Pentagon")
        RIBBON = "ribbon", _("Ribbon")
        STAR = "star", _("Star")

    class LevelMarker(models.TextChoices):
        STARS = "stars", _("Stars")
        BARS = "bars", _("Bars")
        ROMAN = "roman", _("Roman numerals")
        NONE = "none", _("No level")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"))
    purpose = models.TextField(_("when to use it"), blank=True)
    achievement_type = models.CharField(
        _("Open Badges 3.0 achievementType"), max_length=40, choices=ACHIEVEMENT_TYPE_CHOICES
    )
    required_fields = models.JSONField(
        _("content requirements"),
        default=list,
        blank=True,
        help_text=_("Fields every badge of this category must fill."),
    )
    recipient_kinds = models.JSONField(_("recipients"), default=list, blank=True)
    shape = models.CharField(_("shape"), max_length=20, choices=Shape.choices)
    icon = models.CharField(_("icon name"), max_length=40)
    icon_path = models.TextField(_("icon (SVG path data, 24×24)"))
    level_marker = models.CharField(_("level marker"), max_length=10, choices=LevelMarker.choices)
    max_level = models.PositiveSmallIntegerField(_("highest level"), default=0, validators=[MaxValueValidator(5)])
    example_name = models.CharField(_("sample badge name"), max_length=120)
    example_level = models.PositiveSmallIntegerField(_("sample level"), default=0)
    svg_template = models.TextField(_("badge template (SVG)"))

    class Meta:
        verbose_name = _("badge category")
        verbose_name_plural = _("badge categories")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_category_per_framework")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        unknown = [name for name in self.required_fields or [] if name not in REQUIREMENTS]
        if unknown:
            raise ValidationError(
                {"required_fields": _("Unknown content requirement: %(names)s.") % {"names": ", ".join(unknown)}}
            )
        bad_kinds = [kind for kind in self.recipient_kinds or [] if kind not in ("person", "organisation")]
        if bad_kinds or not self.recipient_kinds:
            raise ValidationError({"recipient_kinds": _("Choose “person”, “organisation” or both.")})
        if self.example_level > self.max_level:
            raise ValidationError({"example_level": _("The sample level is above the highest level.")})
        from .svg import check_design

        check_design(self, name=self.example_name, level=self.example_level)

    @property
    def requirement_labels(self):
        return [REQUIREMENTS[name].label for name in self.required_fields if name in REQUIREMENTS]


class GlossaryTerm(FrameworkPart, Translatable):
    translatable_fields = ("term", "definition")

    class Source(models.TextChoices):
        OPEN_BADGES = "open_badges", _("1EdTech Open Badges")
        W3C_VC = "w3c_vc", _("W3C Verifiable Credentials")
        EQF = "eqf", _("European Qualifications Framework (EQF)")
        ESCO = "esco", _("ESCO")
        EUROPASS = "europass", _("Europass")
        ECTS = "ects", _("ECTS")

    slug = models.SlugField(_("slug"), max_length=80)
    term = models.CharField(_("term"), max_length=120)
    definition = models.TextField(_("definition"))
    international_term = models.CharField(_("aligned international term"), max_length=160)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_url = models.URLField(_("source link"), blank=True)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["framework", "term"]
        constraints = [models.UniqueConstraint(fields=["framework", "slug"], name="unique_term_per_framework")]

    def __str__(self):
        return self.term

    def clean(self):
        super().clean()
        if errors := url_field_errors(self, "source_url"):
            raise ValidationError(errors)
        for lang, entry in self.translations.items():
            if not isinstance(entry, dict) or not entry.get("term") or not entry.get("definition"):
                raise ValidationError(
                    {"translations": _("The “%(lang)s” translation needs a term and a definition.") % {"lang": lang}}
                )

    def term_in(self, lang: str) -> tuple[str, str]:
        """(term, definition) in `lang`, or both in English: never a translated term with an English definition."""
        entry = (self.translations or {}).get((lang or "en")[:2])
        if entry:
            return entry["term"], entry["definition"]
        return self.term, self.definition


class StackingRule(FrameworkPart, Translatable):
    """A certificate or badge earned by completing a set of badges: all of them, or n of them.

    The set is either listed (achievement slugs, resolved by the credentials app) or a pool described by
    constraints (badge categories and/or certificate tiers), or both: listed slugs narrowed by constraints.
    """

    translatable_fields = ("name", "description")

    class Mode(models.TextChoices):
        ALL = "all", _("All of")
        N_OF = "n_of", _("N of")

    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    result_tier = models.ForeignKey(
        CertificateTier,
        verbose_name=_("earns certificate"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="earned_by_rules",
    )
    result_category = models.ForeignKey(
        BadgeCategory,
        verbose_name=_("earns badge of category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="earned_by_rules",
    )
    result_achievement = models.SlugField(
        _("earns achievement (slug)"),
        max_length=80,
        blank=True,
        help_text=_("The achievement awarded; set when the credential is defined."),
    )
    class OnComplete(models.TextChoices):
        ISSUE = "issue", _("Issue the result automatically")
        SUGGEST = "suggest", _("Suggest it to staff for approval")

    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.N_OF)
    on_complete = models.CharField(
        _("when completed"),
        max_length=8,
        choices=OnComplete.choices,
        default=OnComplete.ISSUE,
        help_text=_("What happens when a recipient's credentials satisfy the rule (needs the result achievement)."),
    )
    required_count = models.PositiveSmallIntegerField(
        _("how many"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    components = models.JSONField(_("listed achievements (slugs)"), default=list, blank=True)
    allowed_categories = models.ManyToManyField(
        BadgeCategory, verbose_name=_("only badges of these categories"), blank=True, related_name="+"
    )
    allowed_tiers = models.ManyToManyField(
        CertificateTier, verbose_name=_("only certificates of these tiers"), blank=True, related_name="+"
    )
    min_level = models.PositiveSmallIntegerField(_("minimum level"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("stacking rule")
        verbose_name_plural = _("stacking rules")
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="unique_rule_per_framework"),
            models.CheckConstraint(
                condition=(Q(result_tier__isnull=False) & Q(result_category__isnull=True))
                | (Q(result_tier__isnull=True) & Q(result_category__isnull=False)),
                name="rule_has_one_result",
            ),
        ]

    def __str__(self):
        return self.name


def describe_rule(rule: StackingRule) -> str:
    """One plain sentence, in the active language: what a learner completes to earn the rule's result (uses
    prefetched M2M)."""
    categories = [translated(c, "name") for c in rule.allowed_categories.all()]
    tiers = [translated(t, "name") for t in rule.allowed_tiers.all()]
    pool = " / ".join(categories + tiers)
    if rule.mode == StackingRule.Mode.ALL:
        total = len(rule.components)
        text = ngettext("The %(n)s listed achievement", "All %(n)s listed achievements", total) % {"n": total}
    elif rule.components:
        total = len(rule.components)
        text = ngettext("%(n)s of %(total)s listed achievement", "%(n)s of %(total)s listed achievements", total) % {
            "n": rule.required_count,
            "total": total,
        }
    else:
        n = rule.required_count
        text = ngettext("Any %(n)s credential", "Any %(n)s credentials", n) % {"n": n}
    if pool:
        text += " " + _("of: %(pool)s") % {"pool": pool}
    if rule.min_level:
        text += " " + _("(level %(level)s or higher)") % {"level": rule.min_level}
    return text
