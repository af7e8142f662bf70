"""What the dashboard counts, without personal data.

- `AwardDayCount`: per award, day and kind (verification-page view, claim-email open, claim-link click), a
  number. No address, no user agent, no account: the buffer (`buffer.py`) keeps those only until the flush.
- `DailyRollup` and `ShareChannelRollup`: per day and achievement (its programme copied for filtering), the
  figures the dashboard sums (ADR 0009). Rebuilt from awards, share events and day counts by `rollups.py`.
- `Cursor`: bookkeeping of the buffer flush and the rollup refresh (one row each).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VIEW = "view", _("Verification-page view")
    EMAIL_OPEN = "email_open", _("Claim email opened")
    LINK_CLICK = "link_click", _("Claim link followed")


class AwardDayCount(models.Model):
    award = models.ForeignKey("credentials.Award", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("award day count")
        verbose_name_plural = _("award day counts")
        constraints = [models.UniqueConstraint(fields=["award", "day", "kind"], name="one_count_per_award_day_kind")]
        indexes = [models.Index(fields=["day", "kind"])]

    def __str__(self):
        return f"{self.award_id} {self.day} {self.kind} {self.count}"


class DailyRollup(models.Model):
    """One achievement on one day.

    Cohort columns describe the awards issued that day as they are now (issued = accepted + declined + revoked +
    expired + pending); `*_awards` columns count those of them that had the event at least once. Activity
    columns count what happened that day (shares, views, opens, clicks), and `expiring` the awards, neither
    revoked nor declined, whose expiry date is that day.
    """

    day = models.DateField(_("day"))
    achievement = models.ForeignKey("credentials.Achievement", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey("programmes.Programme", null=True, on_delete=models.CASCADE, related_name="+")
    issued = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    revoked = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    opened_awards = models.PositiveIntegerField(default=0)
    clicked_awards = models.PositiveIntegerField(default=0)
    shared_awards = models.PositiveIntegerField(default=0)
    seen_awards = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    email_opens = models.PositiveIntegerField(default=0)
    link_clicks = models.PositiveIntegerField(default=0)
    expiring = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [models.UniqueConstraint(fields=["day", "achievement"], name="one_rollup_per_day_achievement")]
        indexes = [models.Index(fields=["programme", "day"]), models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.achievement_id}"


class ShareChannelRollup(models.Model):
    day = models.DateField(_("day"))
    achievement = models.ForeignKey("credentials.Achievement", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey("programmes.Programme", null=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=20)
    shares = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "achievement", "channel"], name="one_channel_rollup_per_day")
        ]
        indexes = [models.Index(fields=["programme", "day"]), models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.achievement_id} {self.channel}"


class Cursor(models.Model):
    """`buffer`: the cache epoch and the last buffered event flushed. `rollups`: when the last refresh started
    and the highest award id it saw."""

    name = models.CharField(max_length=20, unique=True)
    epoch = models.CharField(max_length=40, blank=True)
    position = models.BigIntegerField(default=0)
    at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} {self.position}"
