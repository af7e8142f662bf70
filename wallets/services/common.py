"""Checks and helpers the wallet services share."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from credentials.models import Award

from .. import selectors
from ..storage import private_storage


def require_holder(user, award: Award) -> None:
    if not selectors.holds(user, award):
        raise ValidationError(_("This credential is not in your wallet."))


def delete_files_on_commit(names: list[str]) -> None:
    names = [n for n in names if n]
    if names:
        storage = private_storage()
        transaction.on_commit(lambda: [storage.delete(n) for n in names])
