"""Communities of a programme and their members.

A `Community` belongs to a programme, has a public page, managers and a membership credential: an achievement
of the framework's "membership" or "community of practice" category, issued as a real signed award to each
member. Its validity (the achievement's `validity_days`) is the membership period.

A `Membership` is one person's standing in one community (one row per community and user): applied → (more
information asked) → active, or declined (they may apply again); an active membership whose credential
expired is lapsed; renewing issues a new credential for a new period. `CommunityInvite` is an emailed,
signed, expiring, single-use invitation. `ContributionAward` records a contribution badge a manager awarded.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credentials.models import Achievement, Award
from programmes.models import Programme

#: Framework categories whose achievements can be a community's membership credential.
MEMBERSHIP_CATEGORIES = ("membership", "community_of_practice")


class Community(models.Model):
    class JoinMode(models.TextChoices):
        OPEN = "open", _("Open: anyone signed in joins with a short statement")
        APPLICATION = "application", _("By application, reviewed by the community's managers")
        INVITATION = "invitation", _("By invitation only")

    class RenewalMode(models.TextChoices):
        CONFIRM = "confirm", _("Members re-confirm by themselves")
        REVIEW = "review", _("Managers review each renewal")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="communities", verbose_name=_("programme")
    )
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    how_to_join = models.TextField(_("how to join"), blank=True)
    membership_achievement = models.ForeignKey(
        Achievement,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("membership credential"),
    )
    contribution_achievements = models.ManyToManyField(
        Achievement,
        blank=True,
        related_name="contribution_communities",
        verbose_name=_("contribution badges"),
        help_text=_("Badges the community's managers may award to members (contributor, facilitator, mentor…)."),
    )
    join_mode = models.CharField(_("joining"), max_length=12, choices=JoinMode.choices, default=JoinMode.APPLICATION)
    renewal_mode = models.CharField(
        _("renewal"), max_length=8, choices=RenewalMode.choices, default=RenewalMode.CONFIRM
    )
    reminder_days = models.PositiveSmallIntegerField(_("renewal reminder (days before expiry)"), default=30)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_communities",
        verbose_name=_("community managers"),
        help_text=_("Besides the programme's managers, who always manage its communities."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:community", kwargs={"slug": self.slug})

    def clean(self):
        achievement = self.membership_achievement if self.membership_achievement_id else None
        if achievement is not None:
            code = achievement.category.code if achievement.category_id else None
            if code not in MEMBERSHIP_CATEGORIES:
                raise ValidationError(
                    {"membership_achievement": _("A membership credential must be a badge of the “Membership” or "
                                                 "“Community of Practice” category.")}
                )  # fmt: skip
            if self.programme_id and achievement.programme_id != self.programme_id:
                raise ValidationError(
                    {"membership_achievement": _("The membership credential must belong to the community's programme.")}
                )


class Membership(models.Model):
    class State(models.TextChoices):
        APPLIED = "applied", _("Application waiting for review")
        MORE_INFO = "more_info", _("More information asked")
        DECLINED = "declined", _("Declined")
        ACTIVE = "active", _("Member")
        RENEWAL = "renewal", _("Renewal waiting for review")
        LAPSED = "lapsed", _("Lapsed")

    #: States in which the person holds a membership credential that may still be valid.
    MEMBER_STATES = (State.ACTIVE, State.RENEWAL)
    #: States waiting for a manager.
    REVIEW_STATES = (State.APPLIED, State.RENEWAL)

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    email = models.EmailField(_("credential address"))
    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    statement = models.TextField(_("statement"), blank=True)
    manager_note = models.TextField(
        _("note from the managers"), blank=True, help_text=_("The question asked, or the reason for declining.")
    )
    award = models.ForeignKey(
        Award,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("current membership credential"),
    )
    period = models.PositiveIntegerField(_("membership period"), default=0)
    expires_at = models.DateTimeField(_("membership expires"), null=True, blank=True)
    reminded_period = models.PositiveIntegerField(_("renewal reminder sent for period"), default=0)
    in_directory = models.BooleanField(_("listed in the member directory"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("last decision"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_person")]
        indexes = [models.Index(fields=["state", "expires_at"], name="membership_state_expiry")]

    def __str__(self):
        return f"{self.name} · {self.community}"

    def is_current(self, now=None) -> bool:
        """A member now: in a member state with a credential not expired."""
        now = now or timezone.now()
        return self.state in self.MEMBER_STATES and (self.expires_at is None or self.expires_at > now)


class CommunityInvite(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Sent")
        ACCEPTED = "accepted", _("Accepted")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="invites", verbose_name=_("community")
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("community invitation")
        verbose_name_plural = _("community invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} · {self.community}"


class ContributionAward(models.Model):
    class Role(models.TextChoices):
        CONTRIBUTOR = "contributor", _("Contributor")
        FACILITATOR = "facilitator", _("Facilitator")
        MENTOR = "mentor", _("Mentor")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("membership")
    )
    role = models.CharField(_("contribution"), max_length=12, choices=Role.choices)
    award = models.OneToOneField(
        Award, on_delete=models.PROTECT, related_name="contribution", verbose_name=_("credential")
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("awarded by"),
    )
    created_at = models.DateTimeField(_("awarded"), auto_now_add=True)

    class Meta:
        verbose_name = _("contribution badge")
        verbose_name_plural = _("contribution badges")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_role_display()} · {self.membership}"
