"""Issuers, their keys, achievements (what can be earned) and awards (one issued credential).

An Award is immutable once issued: a correction is a revoke-and-reissue linked to its predecessor. Only
its state fields (accepted, declined, revoked, expired) change, and only through credentials.services.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks.models import BadgeCategory, CertificateTier
from frameworks.validators import url_field_errors
from multilingual.models import Translatable
from programmes.models import Programme


def new_public_id() -> str:
    """128 random bits, 22 URL-safe characters, never starting with "-" (a command line would read such an id
    as an option: `revoke_credential -abc…`)."""
    while True:
        public_id = secrets.token_urlsafe(16)
        if not public_id.startswith("-"):
            return public_id


class Issuer(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("website"))
    email = models.EmailField(_("contact email"))
    description = models.TextField(_("description"), blank=True)
    image = models.FileField(
        _("logo"),
        upload_to="issuers/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text=_("PNG or JPEG (no SVG: an uploaded SVG could carry scripts)."),
    )
    linkedin_organization_id = models.CharField(
        _("LinkedIn organisation id"),
        max_length=20,
        blank=True,
        help_text=_("Numeric company id, so LinkedIn shows your logo on learners' profiles."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("credentials:issuer", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if errors := url_field_errors(self, "url"):
            raise ValidationError(errors)


class SigningKey(models.Model):
    """An Ed25519 key of an issuer. The private key is encrypted at rest (credentials.keystore).

    Rotation: a new key becomes active; earlier keys stay, so what they signed (credentials, and the
    status lists they keep signing) remains verifiable.
    """

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="keys", verbose_name=_("issuer"))
    public_key = models.BinaryField(_("public key"))
    private_key_encrypted = models.BinaryField(_("private key (encrypted)"))
    did = models.CharField(_("did:key"), max_length=120, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["issuer", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["issuer"], condition=Q(is_active=True), name="one_active_key_per_issuer")
        ]

    def __str__(self):
        return f"{self.issuer} {self.did[:24]}…"

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.did.removeprefix('did:key:')}"


class Achievement(Translatable):
    """What can be earned: an Open Badges 2.0 BadgeClass / 3.0 Achievement.

    Defined either as a certificate of a framework tier or as a badge of a framework category; the tier's
    or category's content requirements are enforced by credentials.services. Written in `language`, with
    `translations` of its texts; an award is signed in its recipient's language when the achievement is fully
    translated into it (multilingual.text.content_language), else in `language`.
    """

    translatable_fields = ("name", "description", "criteria_narrative", "assessment_method", "evidence_required")

    class Mode(models.TextChoices):
        """How the achievement is published (the brief's three ways): empty means "from its kind" (set on save)."""

        CERTIFICATE = "certificate", _("Certificate")
        BADGE = "badge", _("Badge")
        CERTIFICATE_WITH_BADGES = "certificate_with_badges", _("Certificate with companion badges")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="achievements", verbose_name=_("issuer"))
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="achievements",
        verbose_name=_("programme"),
        help_text=_("The programme whose staff design, issue and follow this achievement."),
    )
    # Designed in the staff console as a draft, submitted, then published by a manager of its programme; only
    # a published achievement can be issued. Achievements made before programmes existed are published.
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    tier = models.ForeignKey(
        CertificateTier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="achievements",
        verbose_name=_("certificate tier"),
    )
    category = models.ForeignKey(
        BadgeCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="achievements",
        verbose_name=_("badge category"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    criteria_narrative = models.TextField(_("criteria"), blank=True)
    criteria_url = models.URLField(_("criteria page"), blank=True)
    assessment_method = models.CharField(_("assessment method"), max_length=300, blank=True)
    evidence_required = models.CharField(_("evidence required"), max_length=300, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=1, null=True, blank=True)
    ects_credits = models.DecimalField(_("ECTS credits"), max_digits=5, decimal_places=1, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    alignments = models.JSONField(
        _("skill alignments"),
        default=list,
        blank=True,
        help_text=_(
            '[{"targetName": "…", "targetUrl": "http://data.europa.eu/esco/skill/…", "targetFramework": "ESCO"}]'
        ),
    )
    mode = models.CharField(
        _("publishing mode"),
        max_length=24,
        choices=Mode.choices,
        blank=True,
        help_text=_(
            "Certificate: a PDF certificate (its badge image is the tier's seal). Badge: a badge image only, no "
            "certificate. Certificate with companion badges: issuing the certificate also issues the badges it lists."
        ),
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("European Qualifications Framework level (1–8), for certificates of tiers that state one."),
    )
    companions = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="companion_for",
        verbose_name=_("companion badges"),
        help_text=_("Badges issued together with this certificate (publishing mode: certificate with badges)."),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en", choices=settings.LANGUAGES)
    validity_days = models.PositiveIntegerField(_("validity (days)"), null=True, blank=True)
    is_active = models.BooleanField(_("can be issued"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["name"]
        permissions = [("publish_achievement", _("Can publish an achievement (it can then be issued)"))]
        constraints = [
            models.CheckConstraint(
                condition=(Q(tier__isnull=False) & Q(category__isnull=True))
                | (Q(tier__isnull=True) & Q(category__isnull=False)),
                name="achievement_tier_or_category",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.mode:
            self.mode = self.default_mode()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if errors := url_field_errors(self, "criteria_url"):
            raise ValidationError(errors)

    def default_mode(self) -> str:
        return self.Mode.CERTIFICATE if self.tier_id else self.Mode.BADGE

    @property
    def publishing_mode(self) -> str:
        return self.mode or self.default_mode()

    @property
    def has_certificate(self) -> bool:
        """A certificate PDF exists for its awards (badge mode: none)."""
        return self.publishing_mode != self.Mode.BADGE

    @property
    def kind(self):
        return self.tier or self.category

    @property
    def is_certificate(self) -> bool:
        return self.tier_id is not None

    @property
    def achievement_type(self) -> str:
        return self.kind.achievement_type

    def definition(self) -> dict:
        """The fields that content requirements are checked against."""
        return {
            field: getattr(self, field)
            for field in ("criteria_narrative", "criteria_url", "assessment_method", "evidence_required", "hours",
                          "ects_credits", "level", "alignments", "validity_days", "eqf_level")
        }  # fmt: skip


class StatusList(models.Model):
    """A Bitstring Status List (revocation) of one signing key: the list credential has the same issuer."""

    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(max_length=20, default="revocation")
    size = models.PositiveIntegerField(default=131072)
    bits = models.BinaryField()
    used = models.PositiveIntegerField(default=0)
    signed_credential = models.JSONField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")

    def __str__(self):
        return f"status list {self.pk} ({self.used}/{self.size})"

    def get_absolute_url(self):
        return reverse("credentials:status_list", kwargs={"pk": self.pk})


class Award(models.Model):
    """One issued credential."""

    class State(models.TextChoices):
        ISSUED = "issued", _("Issued")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    class RecipientKind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    public_id = models.CharField(_("public id"), max_length=32, unique=True, default=new_public_id, editable=False)
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="awards")
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="awards", editable=False)
    recipient_kind = models.CharField(
        _("recipient"), max_length=12, choices=RecipientKind.choices, default=RecipientKind.PERSON
    )
    recipient_email = models.EmailField(_("recipient email"))
    recipient_name = models.CharField(_("recipient name"), max_length=200)
    recipient_language = models.CharField(_("recipient language"), max_length=10, default="en")
    salt = models.CharField(max_length=64, editable=False)
    identity_hash = models.CharField(max_length=80, editable=False, db_index=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    evidence = models.JSONField(_("issuer evidence"), default=list, blank=True)
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ISSUED)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(_("revocation reason"), blank=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    companion_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="companions",
        verbose_name=_("companion of certificate"),
        editable=False,
    )
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="awards")
    status_index = models.PositiveIntegerField()
    credential = models.JSONField(_("signed Open Badges 3.0 credential"), editable=False)
    holder_did = models.CharField(max_length=200, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-issued_at", "-id"]
        # Awards never change otherwise (corrections are reissues), so "change" would say nothing: revoking,
        # and reissuing (which also needs add_award: it issues), is a permission of its own.
        permissions = [
            ("revoke_award", _("Can revoke and correct (reissue) awards")),
            ("resend_claim", _("Can send a recipient's claim email again")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"], name="unique_status_index"),
        ]
        # More on PostgreSQL (search): credentials/migrations/0009_award_search_and_figure_indexes.py
        indexes = [
            models.Index(fields=["recipient_email"]),
            models.Index(fields=["achievement", "state", "expires_at", "id"], name="award_figures"),
            # The console's figures: rollups plus the awards the last refresh has not seen (ADR 0023), found by
            # these three small range scans.
            models.Index(fields=["issued_at"], name="award_issued_at"),
            models.Index(fields=["state_changed_at"], name="award_state_changed_at"),
            models.Index(fields=["expires_at"], name="award_expires_at"),
        ]

    def __str__(self):
        return f"{self.achievement} → {self.recipient_name}"

    def get_absolute_url(self):
        return reverse("credentials:verify_page", kwargs={"public_id": self.public_id})

    @property
    def is_revoked(self) -> bool:
        return self.state == self.State.REVOKED

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def effective_state(self) -> str:
        """What a verifier sees: revoked beats expired beats the learner's answer."""
        if self.is_revoked:
            return self.State.REVOKED
        if self.is_expired or self.state == self.State.EXPIRED:
            return self.State.EXPIRED
        return self.state


class BulkJob(models.Model):
    """A CSV of recipients for one achievement: validated (dry run), then issued row by row by workers."""

    class State(models.TextChoices):
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to issue")
        RUNNING = "running", _("Issuing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="bulk_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who last started or resumed it (None: the system), holding credentials.add_award then; its awards name them.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    filename = models.CharField(_("file"), max_length=255)
    fingerprint = models.CharField(_("content hash"), max_length=64, db_index=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("separator"), max_length=1, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.READY)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    created_count = models.PositiveIntegerField(_("issued"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk issue")
        verbose_name_plural = _("bulk issues")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} → {self.achievement} ({self.get_state_display()})"


class BulkRow(models.Model):
    """One valid CSV row of a job; `idempotency_key` (achievement + email, or the external id) is passed to
    award_issue so that a re-upload or a resumed job never issues it twice."""

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("line"))
    data = models.JSONField(_("values"))
    idempotency_key = models.CharField(max_length=100)
    award = models.ForeignKey(Award, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    done = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["job", "line"]
        constraints = [models.UniqueConstraint(fields=["job", "line"], name="unique_bulk_line")]
        indexes = [models.Index(fields=["job", "done"])]

    def __str__(self):
        return f"{self.job_id}:{self.line}"
