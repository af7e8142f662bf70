"""Reactions to other apps' signals (connected in WalletsConfig.ready)."""

from django.dispatch import receiver

from credentials.signals import assertion_endorsements, claim_answered, verification_page_context


@receiver(verification_page_context)
def recipient_additions(sender, award, request, **kwargs):
    """The recipient's public evidence and visible endorsements, when the holder made the credential public."""
    from .selectors import verification_additions

    return verification_additions(award)


@receiver(verification_page_context)
def holder_share_buttons(sender, award, request, **kwargs):
    """The signed-in holder sees their share buttons on the verification page (is_owner; nobody else does)."""
    from django.urls import reverse

    from . import selectors, sharing

    user = getattr(request, "user", None)
    if not (user is not None and user.is_authenticated and selectors.holds(user, award)):
        return {}
    return {
        "is_owner": True,
        "owner_template": "wallets/_owner_share.html",
        "wallet_detail_url": reverse("wallets:detail", kwargs={"public_id": award.public_id}),
        **sharing.holder_share_context(award),
    }


@receiver(assertion_endorsements)
def endorsements_of_assertion(sender, award, **kwargs):
    """The hosted 2.0 Endorsements of an award that anyone can fetch (given, not hidden by the learner)."""
    from .documents import endorsement_url
    from .selectors import endorsements_public_of

    return [endorsement_url(endorsement, "ob2") for endorsement in endorsements_public_of(award)]


@receiver(claim_answered)
def keep_in_wallet(sender, award, user, answer, **kwargs):
    """An accept through the plain claim page by a signed-in holder: the credential gets its wallet entry
    (through the audited service). The claim page decides its own response."""
    from . import selectors, services

    if answer == "accept" and getattr(user, "is_authenticated", False) and selectors.holds(user, award):
        services.wallet_entry_ensure(user=user, award=award)
