"""Endorsements as anyone may fetch them, and as the endorser's signed link finds them."""

from django.http import Http404

from credentials.models import Award
from credentials.selectors import AWARD_JOINS

from ..models import Endorsement


def endorsements_public_of(award: Award) -> list[Endorsement]:
    """The endorsements of an award that anyone can fetch (given, not hidden), as endorsement_public serves."""
    return list(Endorsement.objects.filter(award=award, state=Endorsement.State.GIVEN, is_hidden=False).order_by("pk"))


def endorsement_public(public_id: str) -> Endorsement:
    item = (
        Endorsement.objects.select_related(*(f"award__{j}" for j in AWARD_JOINS), "endorser_issuer")
        .filter(public_id=public_id, state=Endorsement.State.GIVEN, is_hidden=False)
        .first()
    )
    if item is None:
        raise Http404("No such endorsement")
    return item


def endorsement_for_token(public_id: str) -> Endorsement | None:
    return (
        Endorsement.objects.select_related(*(f"award__{j}" for j in AWARD_JOINS))
        .filter(public_id=public_id, kind=Endorsement.Kind.PEER)
        .first()
    )
