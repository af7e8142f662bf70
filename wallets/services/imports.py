"""Open Badges from other issuers, verified before they join the wallet."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from credentials.openbadges.ob3 import email_matches, normalize_email
from credentials.verification import verify_untrusted
from frameworks.validators import is_http_url

from .. import selectors, uploads
from ..models import ExternalCredential
from .common import delete_files_on_commit


def _recipient_check(document: dict, kind: str, emails: list[str]) -> bool | None:
    """True/False when the credential names an email recipient (hashed or not) that is/is not one of the
    learner's verified addresses; None when it names the recipient otherwise (a DID)."""
    identities = []
    if kind == "ob2":
        recipient = document.get("recipient") or {}
        if isinstance(recipient, dict) and recipient.get("type", "email") == "email":
            identities.append(recipient)
    else:
        subject = document.get("credentialSubject") or {}
        for identifier in (subject.get("identifier") or []) if isinstance(subject, dict) else []:
            if isinstance(identifier, dict) and identifier.get("identityType") == "emailAddress":
                identities.append(
                    {
                        "identity": identifier.get("identityHash", ""),
                        "salt": identifier.get("salt", ""),
                        "hashed": identifier.get("hashed", False),
                    }
                )
    if not identities:
        return None
    for identity in identities:
        value, salt = str(identity.get("identity") or ""), str(identity.get("salt") or "")
        for email in emails:
            if identity.get("hashed") and email_matches(value, email, salt):
                return True
            if not identity.get("hashed") and normalize_email(value) == email:
                return True
    return False


def external_credential_import(
    *, user, data: bytes | str, source: str, source_url: str = "", filename: str = ""
) -> ExternalCredential:
    """Verify an Open Badge from elsewhere (baked PNG/SVG, 2.0 URL or JSON, 3.0 JSON) and add it to the
    wallet with its report. Refused: unreadable, failing signature/hosting/revocation checks, or issued to
    an address that is not one of the learner's verified addresses. Verification (which may fetch over the
    network) runs outside the transaction."""
    if source_url and not is_http_url(source_url):
        raise ValidationError(_("Enter a full web address starting with https:// or http://."))
    report = verify_untrusted(data)
    if report.problem:
        raise ValidationError(report.problem)
    if report.award is not None:
        raise ValidationError(
            _(
                "This credential was issued on this platform: it is already in your wallet when it was sent to "
                "one of your verified addresses."
            )
        )
    failed = [c for c in report.checks if not c.ok and c.name not in ("expiry", "recipient")]
    if failed:
        raise ValidationError(
            _("The credential did not pass verification: %(why)s") % {"why": " ".join(c.message for c in failed)}
        )
    document = report.document or {}
    emails = selectors.verified_emails(user)
    matches = _recipient_check(document, report.kind, emails)
    if matches is False:
        raise ValidationError(_("This credential was not issued to any of your verified email addresses."))
    checks = [{"name": c.name, "ok": c.ok, "message": str(c.message)} for c in report.checks]
    if matches:
        checks.append({"name": "recipient", "ok": True, "message": _("Issued to one of your verified addresses.")})
    else:
        checks.append(
            {
                "name": "recipient",
                "ok": True,
                "message": _("The recipient is not an email address; it was not checked."),
            }
        )
    description = ""
    if report.kind == "ob3":
        subject = document.get("credentialSubject")  # verified, but any shape: an object, a list...
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        achievement = achievement if isinstance(achievement, dict) else {}
        description = str(achievement.get("description") or document.get("description") or "")
    document_id = str(document.get("id") or "")[:500]
    image = uploads.badge_image_png(data) if isinstance(data, bytes) and source == "file" else None
    with transaction.atomic():
        if document_id and ExternalCredential.objects.filter(user=user, document_id=document_id).exists():
            raise ValidationError(_("This credential is already in your wallet."))
        item = ExternalCredential(
            user=user,
            kind=report.kind,
            source=source,
            source_url=source_url[:500],
            document_id=document_id,
            name=(report.name or _("Untitled credential"))[:300],
            issuer_name=report.issuer_name[:300],
            description=description[:5000],
            issued_on=report.issued[:40],
            document=document,
            report={"valid": report.valid, "checks": checks, "verified_at": timezone.now().isoformat()},
            is_valid=report.valid,
        )
        if isinstance(data, bytes) and source == "file":
            extension = "png" if data.startswith(uploads.PNG_MAGIC) else ("svg" if b"<svg" in data[:2048] else "json")
            item.original.save(f"original.{extension}", ContentFile(data), save=False)
        if image:
            item.image.save("badge.png", ContentFile(image), save=False)
        try:
            item.save()
        except IntegrityError as exc:
            raise ValidationError(_("This credential is already in your wallet.")) from exc
        audit_record(action="wallet.import", subject=item, actor=user, data={"kind": item.kind, "valid": item.is_valid})
    return item


@transaction.atomic
def external_credential_update(*, user, item: ExternalCredential, is_public: bool) -> ExternalCredential:
    if item.user_id != user.pk:
        raise ValidationError(_("This credential is not in your wallet."))
    item.is_public = bool(is_public)
    item.save(update_fields=["is_public"])
    audit_record(action="wallet.import.visibility", subject=item, actor=user, data={"public": item.is_public})
    return item


@transaction.atomic
def external_credential_delete(*, user, item: ExternalCredential) -> None:
    if item.user_id != user.pk:
        raise ValidationError(_("This credential is not in your wallet."))
    audit_record(action="wallet.import.delete", subject=item, actor=user, data={"name": item.name})
    delete_files_on_commit([item.image.name, item.original.name])
    item.delete()
