"""The learner's wallet entries and collections."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.services import audit_record
from credentials.models import Award

from ..models import Collection, CollectionItem, ExternalCredential, WalletEntry
from .common import require_holder

MAX_COLLECTIONS = 50


@transaction.atomic
def wallet_entry_ensure(*, user, award: Award) -> WalletEntry:
    """The holder's wallet entry of a credential (its visibility), created and audited the first time: an
    accept through the plain claim page records it here, as a claim in the wallet does."""
    require_holder(user, award)
    entry, created = WalletEntry.objects.get_or_create(user=user, award=award)
    if created:
        audit_record(action="wallet.entry.create", subject=entry, actor=user, data={"award": award.public_id})
    return entry


@transaction.atomic
def wallet_entry_set_visibility(*, user, award: Award, is_public: bool) -> WalletEntry:
    require_holder(user, award)
    if is_public and award.effective_state in (Award.State.REVOKED, Award.State.DECLINED):
        raise ValidationError(_("A revoked or declined credential cannot be made public."))
    entry, _created = WalletEntry.objects.select_for_update().get_or_create(user=user, award=award)
    entry.is_public = bool(is_public)
    entry.save(update_fields=["is_public", "updated_at"])
    audit_record(action="wallet.entry.visibility", subject=entry, actor=user, data={"public": entry.is_public})
    return entry


def _check_collection(name: str, description: str) -> None:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the collection a name.")
    elif len(name.strip()) > 120:
        errors["name"] = _("Keep the name under 120 characters.")
    if len(description or "") > 2000:
        errors["description"] = _("Keep the description under 2,000 characters.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def collection_create(*, user, name: str, description: str = "", is_public: bool = False) -> Collection:
    _check_collection(name, description)
    if Collection.objects.filter(user=user).count() >= MAX_COLLECTIONS:
        raise ValidationError(_("You can have at most %(n)s collections.") % {"n": MAX_COLLECTIONS})
    collection = Collection.objects.create(
        user=user, name=name.strip(), description=(description or "").strip(), is_public=bool(is_public)
    )
    audit_record(action="wallet.collection.create", subject=collection, actor=user)
    return collection


@transaction.atomic
def collection_update(*, user, collection: Collection, name: str, description: str, is_public: bool) -> Collection:
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    _check_collection(name, description)
    collection.name, collection.description = name.strip(), (description or "").strip()
    collection.is_public = bool(is_public)
    collection.save()
    audit_record(action="wallet.collection.change", subject=collection, actor=user, data={"public": is_public})
    return collection


@transaction.atomic
def collection_delete(*, user, collection: Collection) -> None:
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    audit_record(action="wallet.collection.delete", subject=collection, actor=user, data={"name": collection.name})
    collection.delete()


@transaction.atomic
def collection_add(
    *, user, collection: Collection, award: Award | None = None, external: ExternalCredential | None = None
) -> CollectionItem:
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    if award is not None:
        require_holder(user, award)
    elif external is None or external.user_id != user.pk:
        raise ValidationError(_("This credential is not in your wallet."))
    existing = CollectionItem.objects.filter(collection=collection, award=award, external=external).first()
    if existing:
        return existing
    last = CollectionItem.objects.filter(collection=collection).aggregate(m=Max("position"))["m"]
    item = CollectionItem.objects.create(
        collection=collection, award=award, external=external, position=(last or 0) + 1
    )
    audit_record(action="wallet.collection.add", subject=collection, actor=user, data={"item": item.pk})
    return item


@transaction.atomic
def collection_remove(*, user, collection: Collection, item_id: int) -> None:
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    deleted, _rows = CollectionItem.objects.filter(collection=collection, pk=item_id).delete()
    if deleted:
        audit_record(action="wallet.collection.remove", subject=collection, actor=user, data={"item": item_id})


@transaction.atomic
def collection_move(*, user, collection: Collection, item_id: int, direction: str) -> None:
    """Move an item one place up or down (positions are renumbered 1..n)."""
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    items = list(CollectionItem.objects.select_for_update().filter(collection=collection).order_by("position", "id"))
    index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
    if index is None:
        raise ValidationError(_("This credential is no longer in the collection."))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit_record(
        action="wallet.collection.move", subject=collection, actor=user, data={"item": item_id, "direction": direction}
    )
