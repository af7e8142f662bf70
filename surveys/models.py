"""Behaviour-change follow-up: per achievement an optional survey, sent some days after the award.

Three closed questions (applied at work? how often? impact on the team?) and one open question, answered through
a signed link without an account. An `Invitation` is one recipient's survey (one per award) and holds their
answer; `OptOut` keeps only a hash of an address that asked for no more surveys.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Applied(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    RARELY = "rarely", _("Rarely")
    NEVER = "never", _("Never")


class Impact(models.IntegerChoices):
    NONE = 1, _("None")
    LITTLE = 2, _("A little")
    SOME = 3, _("Some")
    CONSIDERABLE = 4, _("Considerable")
    MAJOR = 5, _("Major")


class Survey(models.Model):
    achievement = models.OneToOneField("credentials.Achievement", on_delete=models.CASCADE, related_name="survey")
    is_active = models.BooleanField(_("send it"), default=True)
    delay_days = models.PositiveSmallIntegerField(
        _("days after the award"), default=90, help_text=_("How long after the award the survey is sent.")
    )
    open_question = models.CharField(
        _("open question"), max_length=300, blank=True,
        help_text=_("Leave empty for: “What has changed in your work since you earned this credential?”"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up survey")
        verbose_name_plural = _("follow-up surveys")

    def __str__(self):
        return f"{self.achievement} (+{self.delay_days} d)"


class Invitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    award = models.OneToOneField("credentials.Award", on_delete=models.CASCADE, related_name="survey_invitation")
    language = models.CharField(max_length=10, default="en", choices=settings.LANGUAGES)
    sent_at = models.DateTimeField(_("sent"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    applied = models.CharField(_("applied at work"), max_length=10, choices=Applied.choices, blank=True)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices, blank=True)
    impact = models.PositiveSmallIntegerField(_("impact on the team"), choices=Impact.choices, null=True, blank=True)
    comment = models.TextField(_("what changed"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        indexes = [models.Index(fields=["survey", "answered_at"])]

    def __str__(self):
        return f"{self.survey_id} → award {self.award_id}"


class OptOut(models.Model):
    """An address (its SHA-256, normalised) that asked for no more follow-up surveys."""

    email_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.email_hash[:12]
