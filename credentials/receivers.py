"""Reactions of the credentials app to its own signals (connected in CredentialsConfig.ready)."""

from django.dispatch import receiver

from .signals import award_issued


@receiver(award_issued)
def enqueue_artifacts(sender, award_id: int, **kwargs):
    from .tasks import award_build_artifacts

    award_build_artifacts.delay(award_id)
