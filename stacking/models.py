"""What a recipient's stack of credentials earned: one StackingOutcome per recipient identity and result
achievement, ever. Its unique constraint is what makes the result credential issued once, even when the last
two credentials of a stack arrive at the same moment (two evaluations race; one insert wins)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.models import Achievement, Award
from frameworks.models import StackingRule


class StackingOutcome(models.Model):
    class State(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SUGGESTED = "suggested", _("Waiting for staff approval")
        DISMISSED = "dismissed", _("Dismissed")

    # "user:<id>" (every verified address of an account) or "email:<address>" (an address of no account)
    identity = models.CharField(_("recipient identity"), max_length=300)
    rule = models.ForeignKey(
        StackingRule, null=True, on_delete=models.SET_NULL, related_name="outcomes", verbose_name=_("stacking rule")
    )
    rule_slug = models.SlugField(_("rule"), max_length=80)
    result = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="stacking_outcomes", verbose_name=_("result achievement")
    )
    recipient_email = models.EmailField(_("recipient email"))
    recipient_name = models.CharField(_("recipient name"), max_length=200)
    recipient_language = models.CharField(_("recipient language"), max_length=10, default="en")
    counted = models.ManyToManyField(Award, related_name="counted_in", verbose_name=_("credentials that counted"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    award = models.OneToOneField(
        Award,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stacking_outcome",
        verbose_name=_("result credential"),
    )
    created_at = models.DateTimeField(_("completed"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("stacking outcome")
        verbose_name_plural = _("stacking outcomes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["identity", "result"], name="one_stacking_outcome_per_identity_result"),
        ]
        indexes = [models.Index(fields=["state", "result"], name="stacking_outcome_state_result")]

    def __str__(self):
        return f"{self.rule_slug} → {self.recipient_email} ({self.state})"
