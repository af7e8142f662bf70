"""Outbox mail reactions to credentials signals: every issued award gets one claim email.

Imported by CredentialsConfig.ready (`from . import mail_receivers`); importing it also registers the
tasks of credentials.mail_tasks, which Celery's autodiscovery (tasks.py only) would not find.
"""

from django.dispatch import receiver

from . import mail_tasks
from .signals import award_issued


@receiver(award_issued, dispatch_uid="credentials.mail_receivers.enqueue_claim_emails")
def enqueue_claim_emails(sender, award_ids: list[int], **kwargs):
    """Sent on commit of award_issue (one award) or of a bulk batch; one task renders and queues the batch's
    emails (once per award)."""
    mail_tasks.claim_emails.delay(list(award_ids))
