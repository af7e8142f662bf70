"""Reactions of the credentials app to its own signals (connected in CredentialsConfig.ready): the artifacts
and the claim email of every issued award."""

from django.dispatch import receiver

from .signals import award_issued


@receiver(award_issued, dispatch_uid="credentials.receivers.enqueue_artifacts")
def enqueue_artifacts(sender, award_ids: list[int], **kwargs):
    """One task for the baked images and one for the PDFs of the announced awards (idempotent tasks)."""
    from .tasks import awards_bake_images, awards_render_pdfs

    awards_bake_images.delay(list(award_ids))
    awards_render_pdfs.delay(list(award_ids))


@receiver(award_issued, dispatch_uid="credentials.receivers.enqueue_claim_emails")
def enqueue_claim_emails(sender, award_ids: list[int], **kwargs):
    """Sent on commit of award_issue (one award) or of a bulk batch; one task renders and queues the batch's
    emails (once per award)."""
    from .tasks import claim_emails

    claim_emails.delay(list(award_ids))
