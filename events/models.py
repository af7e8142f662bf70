"""Events whose attendees claim a credential themselves, with the event's claim code or its QR code."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credentials.models import Achievement, Award
from multilingual.models import Translatable

#: Claim code alphabet: digits and capitals without the look-alikes 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_NOT_CODE = re.compile(r"[\s\-_.·]+")


def new_claim_code() -> str:
    """A random code of CODE_LENGTH characters from CODE_ALPHABET (31⁸ ≈ 8.5 × 10¹¹ codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """The stored form of a code as typed: upper-cased, spaces, dashes, dots and underscores removed."""
    return _NOT_CODE.sub("", raw or "").upper()[:32]


def display_code(code: str) -> str:
    """ABCD-EFGH: easier to read out and to type."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) >= 8 else code


class Event(Translatable):
    """A workshop or conference whose attendees claim `achievement` during the claim window."""

    translatable_fields = ("name", "description")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        INACTIVE = "inactive", _("Not active")
        NOT_YET_OPEN = "not_yet_open", _("Not open yet")
        CLOSED = "closed", _("Closed")
        FULL = "full", _("Full")

    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="events", verbose_name=_("credential awarded")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    code = models.CharField(
        _("claim code"),
        max_length=16,
        unique=True,
        default=new_claim_code,
        editable=False,
        help_text=_("What attendees type or scan to claim the credential."),
    )
    opens_at = models.DateTimeField(_("claims open"))
    closes_at = models.DateTimeField(_("claims close"))
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to stop all claims at once, whatever the window.")
    )
    max_claims = models.PositiveIntegerField(
        _("maximum claims"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-opens_at", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="event_window_not_empty"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:event", kwargs={"code": self.code})

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Claims must close after they open.")})
        if self.max_claims == 0:
            raise ValidationError({"max_claims": _("Leave it empty for no limit, or allow at least one claim.")})

    def status(self, *, confirmed: int | None = None, now=None) -> str:
        """Whether attendees can claim now (Status). `confirmed` (claims confirmed so far) is needed only to
        tell a full event; without it capacity is not checked."""
        now = now or timezone.now()
        if not self.is_active or not self.achievement.is_active:
            return self.Status.INACTIVE
        if now < self.opens_at:
            return self.Status.NOT_YET_OPEN
        if now >= self.closes_at:
            return self.Status.CLOSED
        if self.max_claims is not None and confirmed is not None and confirmed >= self.max_claims:
            return self.Status.FULL
        return self.Status.OPEN


class EventClaim(models.Model):
    """One attendee's claim: pending until they confirm the link emailed to them, then confirmed with the
    award it issued. One per (event, email)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="claims", verbose_name=_("event"))
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    award = models.ForeignKey(
        Award,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_claims",
        verbose_name=_("credential issued"),
    )
    emails_sent = models.PositiveSmallIntegerField(_("confirmation emails sent"), default=0)
    last_sent_at = models.DateTimeField(_("last confirmation email"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("event claim")
        verbose_name_plural = _("event claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="event_claim_one_per_email"),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(award__isnull=False, confirmed_at__isnull=False),
                name="event_claim_confirmed_has_award",
            ),
        ]

    def __str__(self):
        return f"{self.email} · {self.event}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED
