"""The outbox: every email the site sends, written in the transaction that decides to send it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """One email to send. Written in the transaction that decides to send it; a worker sends it once.

    `dedupe_key` makes queueing idempotent (the claim email of an award, its n-th reminder); `state` makes
    sending idempotent: a retry never sends a row that is already sent.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    dedupe_key = models.CharField(max_length=200, unique=True)
    award = models.ForeignKey(
        "credentials.Award", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=10, default="en")
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        # The table of credentials.OutboxEmail, kept when the model moved here (no row copied or lost).
        db_table = "credentials_outboxemail"
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self):
        return f"{self.kind} → {self.to_email} ({self.state})"
