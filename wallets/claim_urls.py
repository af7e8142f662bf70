"""The wallet's claim flow, registered with credentials.claims in WalletsConfig.ready: credentials never name
wallet URLs, the wallet tells them where its claim page and a holder's credential page are."""

from django.urls import NoReverseMatch, reverse


def claim_path(public_id: str, token: str) -> str | None:
    """The wallet's claim page of a link (None while the wallet's URLs are not routed)."""
    try:
        return reverse("wallets:claim", kwargs={"public_id": public_id, "token": token})
    except NoReverseMatch:
        return None


def holder_path(award, user) -> str | None:
    """A signed-in holder continues on the credential's page in their wallet; anyone else is not sent there."""
    from . import selectors

    if not getattr(user, "is_authenticated", False) or not selectors.holds(user, award):
        return None
    try:
        return reverse("wallets:detail", kwargs={"public_id": award.public_id})
    except NoReverseMatch:
        return None
