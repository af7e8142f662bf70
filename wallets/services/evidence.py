"""Evidence a learner adds to a credential after the award (narratives, links, cleaned files)."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from credentials.models import Award
from frameworks.validators import validate_http_url

from .. import uploads
from ..models import RecipientEvidence
from ..storage import private_storage
from .common import delete_files_on_commit, require_holder

MAX_EVIDENCE_PER_AWARD = 20


@transaction.atomic
def evidence_add(
    *,
    user,
    award: Award,
    kind: str,
    title: str = "",
    narrative: str = "",
    url: str = "",
    upload=None,
    is_public: bool = True,
) -> RecipientEvidence:
    """Add evidence after the award. Files are checked and cleaned (uploads.clean_evidence_file)."""
    require_holder(user, award)
    if RecipientEvidence.objects.filter(user=user, award=award).count() >= MAX_EVIDENCE_PER_AWARD:
        raise ValidationError(
            _("A credential can have at most %(n)s pieces of evidence.") % {"n": MAX_EVIDENCE_PER_AWARD}
        )
    title, narrative, url = (title or "").strip(), (narrative or "").strip(), (url or "").strip()
    errors = {}
    clean = None
    if kind == RecipientEvidence.Kind.NARRATIVE:
        if not narrative:
            errors["narrative"] = _("Describe what you did.")
        title = title or _("Narrative")
    elif kind == RecipientEvidence.Kind.LINK:
        try:
            validate_http_url(url)
        except ValidationError:
            errors["url"] = _("Enter a full web address starting with https:// or http://.")
        title = title or url[:200]
    elif kind == RecipientEvidence.Kind.FILE:
        if upload is None:
            errors["file"] = _("Choose a file to upload.")
        else:
            try:
                clean = uploads.clean_evidence_file(upload)
            except ValidationError as exc:
                errors["file"] = " ".join(exc.messages)
        title = title or (clean.filename if clean else "")
    else:
        errors["kind"] = _("Choose a narrative, a link or a file.")
    if len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    if len(narrative) > 5000:
        errors["narrative"] = _("Keep the description under 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    evidence = RecipientEvidence(
        user=user, award=award, kind=kind, title=title, narrative=narrative, url=url, is_public=bool(is_public)
    )
    if clean is not None:
        evidence.filename = clean.filename
        evidence.content_type = clean.content_type
        evidence.size = len(clean.content)
        evidence.file.save(clean.filename, ContentFile(clean.content), save=False)
        stored = evidence.file.name
        try:
            evidence.save()
        except Exception:
            private_storage().delete(stored)
            raise
    else:
        evidence.save()
    audit_record(
        action="wallet.evidence.add",
        subject=evidence,
        actor=user,
        data={"award": award.public_id, "kind": kind, "size": evidence.size},
    )
    return evidence


def _owned_evidence(user, public_id: str) -> RecipientEvidence:
    evidence = RecipientEvidence.objects.select_for_update().filter(public_id=public_id, user=user).first()
    if evidence is None:
        raise ValidationError(_("This evidence is not yours or no longer exists."))
    return evidence


@transaction.atomic
def evidence_set_visibility(*, user, public_id: str, is_public: bool) -> RecipientEvidence:
    evidence = _owned_evidence(user, public_id)
    evidence.is_public = bool(is_public)
    evidence.save(update_fields=["is_public"])
    audit_record(action="wallet.evidence.visibility", subject=evidence, actor=user, data={"public": is_public})
    return evidence


@transaction.atomic
def evidence_delete(*, user, public_id: str) -> None:
    evidence = _owned_evidence(user, public_id)
    audit_record(action="wallet.evidence.delete", subject=evidence, actor=user, data={"title": evidence.title})
    delete_files_on_commit([evidence.file.name])
    evidence.delete()
