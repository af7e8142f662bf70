"""Outbox reactions to credentials signals: every issued award gets one claim email.

Connected by OutboxConfig.ready (`from . import receivers`).
"""

from django.dispatch import receiver

from credentials.signals import award_issued

from . import tasks


@receiver(award_issued, dispatch_uid="outbox.receivers.enqueue_claim_emails")
def enqueue_claim_emails(sender, award_ids: list[int], **kwargs):
    """Sent on commit of award_issue (one award) or of a bulk batch; one task renders and queues the batch's
    emails (once per award)."""
    tasks.claim_emails.delay(list(award_ids))
