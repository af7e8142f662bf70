"""The learner's public profile and their own records (for the data export)."""

from django.db.models import Count
from django.http import Http404

from credentials.models import Award

from ..models import Collection, ExternalCredential, Profile, ShareEvent, WalletEntry
from .cards import CARD_FIELDS, CardUrls, award_card, external_card
from .membership import holder_awards, verified_emails


def profile_public(handle: str):
    """(profile, cards, collections) of a public profile; Http404 when there is none or it is private."""
    profile = Profile.objects.select_related("user").filter(handle=handle, is_public=True).first()
    if profile is None:
        raise Http404("No such profile")
    user = profile.user
    emails = verified_emails(user)
    public = WalletEntry.objects.filter(user=user, is_public=True).values("award_id")
    awards = holder_awards(user, emails=emails).filter(pk__in=public).only(*CARD_FIELDS).order_by("-issued_at")
    urls = CardUrls()
    cards = [
        award_card(a, True, urls)
        for a in awards
        if a.effective_state not in (Award.State.REVOKED, Award.State.DECLINED)
    ]
    cards += [external_card(e, urls) for e in ExternalCredential.objects.filter(user=user, is_public=True)]
    collections = list(Collection.objects.filter(user=user, is_public=True).annotate(n=Count("items")))
    return profile, cards, collections


def share_events_of(user) -> list[ShareEvent]:
    return list(ShareEvent.objects.filter(user=user).select_related("award"))
