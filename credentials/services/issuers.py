"""Issuers and their signing keys: create, change, rotate the key, re-encrypt every stored key."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import access
from audit.services import audit_record, audit_record_many

from .. import imagelimits, keystore
from ..models import Issuer, SigningKey
from ..openbadges import did_key_from_public_key


def _new_key(issuer: Issuer) -> SigningKey:
    public, encrypted = keystore.new_keypair()
    return SigningKey.objects.create(
        issuer=issuer, public_key=public, private_key_encrypted=encrypted, did=did_key_from_public_key(public)
    )


@transaction.atomic
def issuer_create(
    *,
    slug: str,
    name: str,
    url: str,
    email: str,
    description: str = "",
    image=None,
    linkedin_organization_id: str = "",
    actor=None,
) -> Issuer:
    access.require(actor, "credentials.add_issuer")
    issuer = Issuer(
        slug=slug,
        name=name,
        url=url,
        email=email,
        description=description,
        image=image or "",
        linkedin_organization_id=linkedin_organization_id,
    )
    if image:
        _validate_logo(issuer)
    issuer.full_clean()
    issuer.save()
    key = _new_key(issuer)
    audit_record(action="issuer.create", subject=issuer, actor=actor, data={"key": key.did})
    return issuer


def _validate_logo(issuer: Issuer) -> None:
    """Only the logo's header is read (type and pixel size): a decompression bomb is refused undecoded."""
    try:
        imagelimits.validate_logo(issuer.image)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc


@transaction.atomic
def issuer_update(*, issuer: Issuer, actor=None) -> Issuer:
    access.require(actor, "credentials.change_issuer", obj=issuer)
    _validate_logo(issuer)
    issuer.full_clean()
    issuer.save()
    audit_record(action="issuer.change", subject=issuer, actor=actor)
    return issuer


@transaction.atomic
def issuer_rotate_key(*, issuer: Issuer, actor=None) -> SigningKey:
    """A new active key for new credentials; the old one keeps its credentials and status lists verifiable."""
    access.require(actor, "credentials.change_issuer", obj=issuer)
    old = SigningKey.objects.select_for_update().filter(issuer=issuer, is_active=True).first()
    if old:
        old.is_active = False
        old.retired_at = timezone.now()
        old.save(update_fields=["is_active", "retired_at"])
    key = _new_key(issuer)
    audit_record(
        action="issuer.rotate_key", subject=issuer, actor=actor, data={"old": old.did if old else None, "new": key.did}
    )
    return key


def issuer_active_key(issuer: Issuer) -> SigningKey:
    key = SigningKey.objects.filter(issuer=issuer, is_active=True).first()
    return key or _new_key(issuer)


@transaction.atomic
def signing_keys_reencrypt(*, actor=None) -> int:
    """Re-encrypt every stored private key with the current encryption key (the first configured one, else the
    one derived from DJANGO_SECRET_KEY), so the previous secret or encryption key can be dropped. All or
    nothing: raises keystore.SigningKeyUnreadable, changing nothing, if any key cannot be read."""
    keys = list(SigningKey.objects.select_for_update().select_related("issuer").order_by("pk"))
    for key in keys:
        key.private_key_encrypted = keystore.reencrypt(key.private_key_encrypted)
    SigningKey.objects.bulk_update(keys, ["private_key_encrypted"])
    audit_record_many(action="signing_key.reencrypt", subjects=keys, actor=actor)
    return len(keys)
