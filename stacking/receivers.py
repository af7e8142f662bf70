"""Stacking listens to the credentials app: an award issued (award_issued, sent on commit) or accepted
(award_changed "accepted": accepting may add a verified address to an account, joining its credentials)
makes its recipient's credentials countable; one task evaluates them."""

from django.dispatch import receiver

from credentials.signals import award_changed, award_issued


@receiver(award_issued, dispatch_uid="stacking.receivers.issued")
def on_award_issued(sender, award_ids: list[int], **kwargs):
    from .tasks import stacking_evaluate_awards

    stacking_evaluate_awards.delay(list(award_ids))


@receiver(award_changed, dispatch_uid="stacking.receivers.accepted")
def on_award_changed(sender, award_id: int, change: str, **kwargs):
    if change != "accepted":
        return
    from .tasks import stacking_evaluate_awards

    stacking_evaluate_awards.delay([award_id])
