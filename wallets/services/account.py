"""The learner's profile and account: create, change, export, delete."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record

from .. import selectors
from ..models import Collection, ExternalCredential, Profile, RecipientEvidence, ShareEvent
from .common import delete_files_on_commit

RESERVED_HANDLES = {"admin", "wallet", "u", "api", "static", "media", "me", "settings", "login", "account"}


HANDLE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")


def _free_handle(base: str) -> str:
    base = (slugify(base)[:30].strip("-") or "learner").lower()
    if len(base) < 3 or base in RESERVED_HANDLES:
        base = f"learner-{base}".strip("-")
    candidate, n = base, 1
    while Profile.objects.filter(handle=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def profile_ensure(*, user, display_name: str = "") -> Profile:
    """The learner's profile, created on first use (private; handle from the name)."""
    profile = Profile.objects.filter(user=user).first()
    if profile:
        return profile
    name = (display_name or user.get_full_name() or user.email.split("@")[0] or "learner").strip()[:120]
    for _attempt in range(3):
        try:
            with transaction.atomic():
                profile = Profile.objects.create(user=user, handle=_free_handle(name), display_name=name)
        except IntegrityError:  # created at the same moment by another request, or the handle was just taken
            profile = Profile.objects.filter(user=user).first()
            if profile:
                return profile
            continue
        audit_record(action="wallet.profile.create", subject=profile, actor=user)
        return profile
    raise ValidationError(_("Your profile could not be created. Try again."))


@transaction.atomic
def profile_update(*, user, handle: str, display_name: str, headline: str = "", is_public: bool) -> Profile:
    profile = profile_ensure(user=user)
    handle = (handle or "").strip().lower()
    errors = {}
    if not HANDLE.match(handle):
        errors["handle"] = _("Use 3 to 40 lower-case letters, digits and dashes (not at the start or end).")
    elif handle in RESERVED_HANDLES:
        errors["handle"] = _("“%(handle)s” is reserved; choose another.") % {"handle": handle}
    elif Profile.objects.filter(handle=handle).exclude(pk=profile.pk).exists():
        errors["handle"] = _("“%(handle)s” is taken; choose another.") % {"handle": handle}
    if not (display_name or "").strip():
        errors["display_name"] = _("Enter the name to show on your profile.")
    if errors:
        raise ValidationError(errors)
    profile.handle = handle
    profile.display_name = display_name.strip()[:120]
    profile.headline = (headline or "").strip()[:200]
    profile.is_public = bool(is_public)
    profile.save()
    audit_record(action="wallet.profile.change", subject=profile, actor=user, data={"public": profile.is_public})
    return profile


@transaction.atomic
def account_delete(*, user) -> dict:
    """Delete a learner's account: wallet settings, evidence (and files), imports, collections, endorsement
    requests, profile, addresses. Awards stay (they are the issuer's records), unlinked from the person;
    share events stay for the issuer's analytics, without the person."""
    files = [e.file.name for e in RecipientEvidence.objects.filter(user=user).exclude(file="")]
    for item in ExternalCredential.objects.filter(user=user):
        files += [item.image.name, item.original.name]
    counts = {
        "awards_held": selectors.holder_awards(user).count(),
        "evidence": RecipientEvidence.objects.filter(user=user).count(),
        "collections": Collection.objects.filter(user=user).count(),
        "imports": ExternalCredential.objects.filter(user=user).count(),
        "share_events_unlinked": ShareEvent.objects.filter(user=user).update(user=None),
    }
    audit_record(action="account.delete", subject=user, actor=None, data=counts)
    delete_files_on_commit(files)
    user.delete()
    return counts


def account_export(*, user):
    """The learner's data as a zip (a temporary file, rewound); the export itself is audited."""
    from ..export import account_export as build

    handle = build(user)
    with transaction.atomic():
        audit_record(action="account.export", subject=user, actor=user)
    return handle
