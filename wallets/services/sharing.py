"""Shares of a credential by its holder, counted for the issuer's analytics."""

from django.db import transaction

from audit.services import audit_record
from credentials.models import Award
from credentials.signals import announce_award_change

from .. import selectors
from ..models import ShareEvent


@transaction.atomic
def share_event_record(*, award: Award, channel: str, user) -> ShareEvent | None:
    """Record a share by the credential's holder (others' clicks are not counted)."""
    if channel not in ShareEvent.Channel.values or not selectors.holds(user, award):
        return None
    event = ShareEvent.objects.create(award=award, channel=channel, user=user)
    audit_record(action="wallet.share", subject=event, actor=user, data={"channel": channel})
    announce_award_change(award.pk, "shared", {"channel": channel})
    return event
