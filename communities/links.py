"""Absolute URLs of communities (under BASE_URL), for emails."""

from django.conf import settings
from django.urls import reverse

from .models import Community, CommunityInvite
from .tokens import invite_tokens


def community_url(community: Community) -> str:
    return settings.BASE_URL + reverse("communities:community", kwargs={"slug": community.slug})


def memberships_url() -> str:
    return settings.BASE_URL + reverse("communities:mine")


def invite_url(invite: CommunityInvite) -> str:
    """The signed, expiring, single-use link of the invitation email."""
    kwargs = {"slug": invite.community.slug, "pk": invite.pk, "token": invite_tokens.make_token(invite)}
    return settings.BASE_URL + reverse("communities:invite", kwargs=kwargs)
