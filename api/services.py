"""Writes of the api app: API keys are created (the secret shown once) and revoked, their use recorded.

Creating or revoking a key of a programme needs `programmes.manage_staff` for it (its managers, or an
administrator holding the permission); actor=None is the system (`manage.py api_key_create`).
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from programmes.models import Programme, Role

from .models import ApiKey, ApiKeyAccount

KEY_START = "laurel_"
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per key


def secret_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, programme: Programme, role: str, name: str, actor=None) -> tuple[ApiKey, str]:
    """A new key for `programme` with `role`. Returns the key and its secret, which is stored only as a
    digest: show it once. The key acts as an account of its own (named after its prefix) holding no
    permission but the role."""
    access.require(actor, "programmes.manage_staff", obj=programme)
    errors = {}
    if role not in Role.values:
        errors["role"] = _("Choose a role: %(roles)s.") % {"roles": ", ".join(Role.values)}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the key a name that says where it is used.")
    elif len(name) > 200:
        errors["name"] = _("The name is longer than 200 characters.")
    if not programme.is_active:
        errors["programme"] = _("This programme is closed: its keys would be refused.")
    if errors:
        raise ValidationError(errors)
    prefix = KEY_START + secrets.token_hex(4)
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    account = ApiKeyAccount.objects.create_user(username=f"api-key-{prefix}", first_name=name[:150])
    api_key = ApiKey.objects.create(
        programme=programme,
        role=role,
        name=name,
        prefix=prefix,
        secret_hash=secret_digest(token),
        account=account,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="api_key.create",
        subject=api_key,
        actor=actor,
        data={"name": name, "role": role, "prefix": prefix},
        programme=programme,
    )
    return api_key, token


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor=None) -> ApiKey:
    """Refuse the key from now on (its account is deactivated too). Revoking a revoked key changes nothing."""
    access.require(actor, "programmes.manage_staff", obj=api_key.programme)
    api_key = ApiKey.objects.select_for_update().select_related("account").get(pk=api_key.pk)
    if api_key.revoked_at is not None:
        return api_key
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    ApiKeyAccount.objects.filter(pk=api_key.account_id).update(is_active=False)
    audit_record(
        action="api_key.revoke",
        subject=api_key,
        actor=actor,
        data={"name": api_key.name, "prefix": api_key.prefix},
        programme=api_key.programme_id,
    )
    return api_key


def api_key_touch(*, api_key: ApiKey, now=None) -> None:
    """Record that the key was used, at most once a minute (a conditional UPDATE: busy keys cost no write)."""
    now = now or timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < TOUCH_EVERY:
        return
    ApiKey.objects.filter(pk=api_key.pk).exclude(last_used_at__gt=now - TOUCH_EVERY).update(last_used_at=now)
    api_key.last_used_at = now


def idempotent_requests_purge(*, older_than: timedelta = timedelta(days=1), now=None) -> int:
    """Forget stored answers older than `older_than` (daily, celery beat). A retry after that acts again, but
    never issues a second award: awards keep their own idempotency key (api.idempotency)."""
    from .models import IdempotentRequest

    cutoff = (now or timezone.now()) - older_than
    deleted, _per_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
