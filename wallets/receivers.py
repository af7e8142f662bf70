"""Reactions to other apps' signals (connected in WalletsConfig.ready)."""

from django.dispatch import receiver
from django.shortcuts import redirect

from credentials.signals import assertion_endorsements, claim_answered, verification_page_context


@receiver(verification_page_context)
def recipient_additions(sender, award, request, **kwargs):
    """The recipient's public evidence and visible endorsements, when the holder made the credential public."""
    from .selectors import verification_additions

    return verification_additions(award)


@receiver(assertion_endorsements)
def endorsements_of_assertion(sender, award, **kwargs):
    """The hosted 2.0 Endorsements of an award that anyone can fetch (given, not hidden by the learner)."""
    from .documents import endorsement_url
    from .selectors import endorsements_public_of

    return [endorsement_url(endorsement, "ob2") for endorsement in endorsements_public_of(award)]


@receiver(claim_answered)
def continue_in_wallet(sender, award, request, answer, **kwargs):
    """After an accept through the credentials claim URL by a signed-in holder: record the wallet entry and
    continue in the wallet."""
    from . import selectors
    from .models import WalletEntry

    user = getattr(request, "user", None)
    if answer != "accept" or not getattr(user, "is_authenticated", False) or not selectors.holds(user, award):
        return None
    WalletEntry.objects.get_or_create(user=user, award=award)
    return redirect("wallets:detail", public_id=award.public_id)
