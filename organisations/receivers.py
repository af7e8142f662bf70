"""Organisations listen to the credentials app: an organisation's credential issued (award_issued, sent on
commit) or accepted (award_changed "accepted") may complete one of its rules; one task evaluates it."""

from django.dispatch import receiver

from credentials.signals import award_changed, award_issued


@receiver(award_issued, dispatch_uid="organisations.receivers.issued")
def on_award_issued(sender, award_ids: list[int], **kwargs):
    from .tasks import organisations_evaluate_awards

    organisations_evaluate_awards.delay(list(award_ids))


@receiver(award_changed, dispatch_uid="organisations.receivers.accepted")
def on_award_changed(sender, award_id: int, change: str, **kwargs):
    if change != "accepted":
        return
    from .tasks import organisations_evaluate_awards

    organisations_evaluate_awards.delay([award_id])
