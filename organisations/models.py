"""Learning organisations: an organisation of a programme with its own credentials (awards whose recipient is the
organisation, issued to its `email`), admins, members, and the credentials its members chose to share with it.

- `Organisation`: profile (name, country, sector, logo, website, description) and the address its credentials
  are issued to (recipient kind "organisation").
- `OrganisationAdmin` / `OrganisationMember`: people with an account; admins manage the organisation, members
  may share credentials of their wallet with it.
- `OrganisationInvite`: an emailed, signed, expiring, single-use invitation to become an admin or a member.
- `SharedCredential`: one award of a member's wallet shared with the organisation (unsharing deletes the row).
- `OrganisationRule`: an organisation achievement issued automatically once the organisation holds the listed
  achievements and enough distinct members share the listed ones (`RuleRequirement` rows).
- `OrganisationOutcome`: what a rule earned one organisation; unique per organisation and result achievement,
  so the result is issued once, even when two shares complete it at the same moment.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credentials.models import Achievement, Award
from programmes.models import Programme

from .countries import COUNTRIES

#: Framework categories whose achievements may be issued to an organisation (read from the category itself).
ORGANISATION_KIND = Award.RecipientKind.ORGANISATION


def logo_path(instance, filename: str) -> str:
    return f"organisations/{instance.slug}/{filename}"


class Organisation(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("programme")
    )
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to=logo_path,
        blank=True,
        max_length=200,
        help_text=_("PNG or JPEG, at most 2 MB (no SVG: an uploaded SVG could carry scripts)."),
    )
    website = models.URLField(_("website"), blank=True, help_text=_("An address starting with https:// or http://."))
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(
        _("credential address"),
        unique=True,
        help_text=_("The address the organisation's own credentials are issued to."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:organisation", kwargs={"slug": self.slug})


class OrganisationAdmin(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="admins", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_admin_roles",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation admin")
        verbose_name_plural = _("organisation admins")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_admin_row_per_person")]

    def __str__(self):
        return f"{self.user} · {self.organisation}"


class OrganisationMember(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="members", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=200)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_member_row_per_person")]

    def __str__(self):
        return f"{self.name} · {self.organisation}"


class OrganisationInvite(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    class State(models.TextChoices):
        PENDING = "pending", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invites", verbose_name=_("organisation")
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("organisation invitation")
        verbose_name_plural = _("organisation invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.email} · {self.organisation} ({self.role})"


class SharedCredential(models.Model):
    member = models.ForeignKey(
        OrganisationMember, on_delete=models.CASCADE, related_name="shares", verbose_name=_("member")
    )
    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="organisation_shares", verbose_name=_("credential")
    )
    shared_at = models.DateTimeField(_("shared"), auto_now_add=True)

    class Meta:
        verbose_name = _("credential shared with an organisation")
        verbose_name_plural = _("credentials shared with organisations")
        ordering = ["-shared_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["member", "award"], name="one_share_per_member_award")]

    def __str__(self):
        return f"{self.award_id} → {self.member}"


class OrganisationRule(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="organisation_rules", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    result = models.ForeignKey(
        Achievement,
        on_delete=models.PROTECT,
        related_name="organisation_rules",
        verbose_name=_("result achievement"),
        help_text=_("Issued to the organisation when the rule is met: an achievement that organisations may receive."),
    )
    required_achievements = models.ManyToManyField(
        Achievement,
        blank=True,
        related_name="organisation_rules_requiring",
        verbose_name=_("credentials the organisation must hold"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation rule")
        verbose_name_plural = _("organisation rules")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class RuleRequirement(models.Model):
    rule = models.ForeignKey(
        OrganisationRule, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("rule")
    )
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="+", verbose_name=_("member credential")
    )
    minimum = models.PositiveSmallIntegerField(
        _("distinct members"), validators=[MinValueValidator(1)], help_text=_("How many members must share it.")
    )

    class Meta:
        verbose_name = _("member requirement")
        verbose_name_plural = _("member requirements")
        constraints = [models.UniqueConstraint(fields=["rule", "achievement"], name="one_requirement_per_achievement")]

    def __str__(self):
        return f"{self.minimum} × {self.achievement_id}"


class OrganisationOutcome(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("organisation")
    )
    rule = models.ForeignKey(
        OrganisationRule, null=True, on_delete=models.SET_NULL, related_name="outcomes", verbose_name=_("rule")
    )
    rule_name = models.CharField(_("rule name"), max_length=200)
    result = models.ForeignKey(
        Achievement,
        on_delete=models.PROTECT,
        related_name="organisation_outcomes",
        verbose_name=_("result achievement"),
    )
    award = models.OneToOneField(
        Award, on_delete=models.PROTECT, related_name="organisation_outcome", verbose_name=_("result credential")
    )
    counted = models.JSONField(_("credentials that counted"), default=list)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation outcome")
        verbose_name_plural = _("organisation outcomes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "result"], name="one_outcome_per_organisation_result"),
        ]

    def __str__(self):
        return f"{self.rule_name} → {self.organisation_id}"
