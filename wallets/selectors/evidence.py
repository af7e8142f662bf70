"""Recipient evidence as others see it (verification page, file downloads)."""

from django.db.models import Exists, OuterRef
from django.http import Http404

from credentials.models import Award

from ..models import Endorsement, RecipientEvidence
from .membership import public_entry


def verification_additions(award: Award) -> dict:
    """What the verification page shows beside the issuer's data: the recipient's public evidence and the
    visible endorsements, only when the holder made the credential public. Two queries."""
    public = Exists(public_entry(award).filter(user=OuterRef("user")))
    evidence = list(RecipientEvidence.objects.filter(award=award, is_public=True).filter(public))
    endorsements = list(
        Endorsement.objects.filter(award=award, state=Endorsement.State.GIVEN, is_hidden=False).filter(
            Exists(public_entry(award))
        )
    )
    return {"recipient_evidence": evidence, "endorsements": endorsements}


def evidence_for_download(user, public_id: str) -> RecipientEvidence:
    """Evidence whose file the requester may read: its owner always; anyone when the evidence and the
    credential are public and the owner still holds the credential. Http404 / PermissionError otherwise."""
    item = RecipientEvidence.objects.select_related("award").filter(public_id=public_id).first()
    if item is None or not item.file:
        raise Http404("No such file")
    if getattr(user, "is_authenticated", False) and item.user_id == user.pk:
        return item
    if item.is_public and public_entry(item.award).filter(user_id=item.user_id).exists():
        return item
    raise PermissionError(public_id)
