"""Credentials imported from other issuers."""

from django.http import Http404

from ..models import ExternalCredential
from .membership import NotInWallet


def external_or_none(public_id: str) -> ExternalCredential | None:
    return ExternalCredential.objects.filter(public_id=public_id).defer("document").first()


def external_for_owner(user, public_id: str) -> ExternalCredential:
    item = ExternalCredential.objects.filter(public_id=public_id).first()
    if item is None:
        raise Http404("No such credential")
    if item.user_id != user.pk:
        raise NotInWallet(public_id)
    return item
