"""Who holds what: a learner's wallet is every award whose recipient_email is one of their verified
addresses, plus the credentials they imported.
"""

from allauth.account.models import EmailAddress
from django.http import Http404

from credentials.models import Award
from credentials.openbadges.ob3 import normalize_email
from credentials.selectors import AWARD_JOINS

from ..models import WalletEntry

WALLET_JOINS = ("achievement__issuer", "achievement__tier", "achievement__category")


# What the learner holds for stacking purposes: not revoked, expired or declined.
HELD_STATES = (Award.State.ISSUED, Award.State.ACCEPTED)


class NotInWallet(Exception):
    """The credential exists but is not in this learner's wallet."""


def verified_emails(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({normalize_email(email) for email in emails})


def address_owner(email: str):
    """The account that has verified this address, or None."""
    address = EmailAddress.objects.filter(email=normalize_email(email), verified=True).select_related("user").first()
    return address.user if address else None


def holder_awards(user, *, emails: list[str] | None = None):
    """Every award of the learner's wallet (a queryset; the VC-API exchange may use it to authorise)."""
    emails = verified_emails(user) if emails is None else emails
    return Award.objects.filter(recipient_email__in=emails).select_related(*WALLET_JOINS)


def award_owned_by(user, public_id: str) -> Award:
    """The award if it is in the user's wallet; Http404 when it does not exist, NotInWallet otherwise."""
    award = award_or_none(public_id)
    if award is None:
        raise Http404("No such credential")
    if normalize_email(award.recipient_email) not in verified_emails(user):
        raise NotInWallet(public_id)
    return award


def award_or_none(public_id: str) -> Award | None:
    return Award.objects.select_related(*AWARD_JOINS).filter(public_id=public_id).first()


def holds(user, award: Award) -> bool:
    return normalize_email(award.recipient_email) in verified_emails(user)


def public_entry(award: Award):
    """The holder's public wallet entry of the award (the holder = the account with the verified address)."""
    return WalletEntry.objects.filter(
        award=award,
        is_public=True,
        user__emailaddress__email=normalize_email(award.recipient_email),
        user__emailaddress__verified=True,
    )
