"""Absolute URLs of organisations (under BASE_URL), for emails."""

from django.conf import settings
from django.urls import reverse

from .models import Organisation, OrganisationInvite
from .tokens import link_token


def organisation_url(organisation: Organisation) -> str:
    return settings.BASE_URL + reverse("organisations:organisation", kwargs={"slug": organisation.slug})


def manage_url(organisation: Organisation) -> str:
    return settings.BASE_URL + reverse("organisations:manage", kwargs={"slug": organisation.slug})


def mine_url() -> str:
    return settings.BASE_URL + reverse("organisations:mine")


def invite_url(invite: OrganisationInvite) -> str:
    """The signed, expiring, single-use link of the invitation email."""
    return settings.BASE_URL + reverse("organisations:invite", kwargs={"token": link_token(invite)})
