"""Status lists: a random free index for each new award, signing, and the signed list credential."""

import math
import secrets

from django.db import IntegrityError, transaction

from .. import documents, keystore
from ..models import Award, SigningKey, StatusList
from ..openbadges import sign_credential
from ..openbadges.status_list import MIN_BITS
from ..openbadges.status_list import StatusList as Bits

# A list counts as full once fewer than this share of the indexes drawn from it were free (over at least
# FULL_SAMPLE draws, or the whole list if smaller): lists fill up to about 95%, not half.
STATUS_LIST_FREE_MIN = 0.05
FULL_SAMPLE = 200
MIN_DRAWS = 16  # candidates drawn at least, checked in one query
MARGIN = 1.5  # candidates drawn per index still missing, divided by the share found free so far


def _current_status_list(key: SigningKey) -> StatusList:
    status_list = StatusList.objects.filter(key=key, used__lt=MIN_BITS).order_by("-id").first()
    if status_list is None:
        status_list = StatusList.objects.create(key=key, size=MIN_BITS, bits=bytes(MIN_BITS // 8))
    return status_list


def _taken(status_list: StatusList, draws: list[int]) -> set[int]:
    return set(
        Award.objects.filter(status_list=status_list, status_index__in=draws).values_list("status_index", flat=True)
    )


def _draw_free_indexes(status_list: StatusList, count: int, *, taken=_taken) -> list[int] | None:
    """`count` distinct random indexes that no award of the list holds yet, or None when the list is full
    (STATUS_LIST_FREE_MIN). Each round draws enough candidates for what is still missing at the share of free
    indexes seen so far (MARGIN over it) and checks them in one query: about two queries a batch whether the
    list is empty or 90% full (drawing only what was missing took dozens of rounds there)."""
    size = status_list.size
    sample = min(FULL_SAMPLE, size)
    chosen: dict[int, None] = {}
    drawn = free = 0
    while len(chosen) < count:
        missing = count - len(chosen)
        # the share of free indexes seen so far, taken low by two standard errors (a few dozen draws estimate it
        # roughly: an optimistic guess would leave the round short and cost another query)
        seen = free / drawn if drawn else 1.0
        share = max(seen - 2 * math.sqrt(seen * (1 - seen) / drawn) if drawn else seen, STATUS_LIST_FREE_MIN)
        want = min(size, max(MIN_DRAWS, math.ceil(missing * MARGIN / share)))
        draws = [index for index in dict.fromkeys(secrets.randbelow(size) for _ in range(want)) if index not in chosen]
        held = taken(status_list, draws) if draws else set()
        found = [index for index in draws if index not in held]
        drawn += len(draws)
        free += len(found)
        if drawn >= sample and free < drawn * STATUS_LIST_FREE_MIN:
            return None
        chosen.update(dict.fromkeys(found[:missing]))
    return list(chosen)


def _insert_with_status_indexes(awards: list[Award]) -> None:
    """Insert new awards of one key in one statement, each signed at a random free index of the key's current
    status list (random: the index tells nothing about volumes or order). A concurrent insert that took an
    index first makes the savepoint roll back and the batch draw again."""
    key = awards[0].key
    assert all(award.key_id == key.pk for award in awards), "one signing key per batch"
    while True:
        status_list = _current_status_list(key)
        indexes = _draw_free_indexes(status_list, len(awards))
        if indexes is None:  # full enough: open a new list
            StatusList.objects.filter(pk=status_list.pk).update(used=MIN_BITS)
            continue
        for award, index in zip(awards, indexes, strict=True):
            award.status_list = status_list
            award.status_index = index
            award.credential = _sign(award)
        try:
            with transaction.atomic():
                Award.objects.bulk_create(awards)
            return
        except IntegrityError as exc:
            if "status" not in str(exc).lower():
                raise


def _sign(award: Award, *, subject_id: str | None = None) -> dict:
    unsigned = documents.ob3_credential(award, subject_id=subject_id)
    return sign_credential(
        unsigned,
        private_key=keystore.private_key(award.key.private_key_encrypted),
        verification_method=award.key.verification_method,
    )


def status_list_signed(status_list: StatusList) -> dict:
    """The signed BitstringStatusListCredential, re-signed only after the bits change."""
    if status_list.signed_credential:
        return status_list.signed_credential
    key = status_list.key
    credential = documents.ob3_status_list(status_list, Bits(data=bytes(status_list.bits)).encode())
    signed = sign_credential(
        credential,
        private_key=keystore.private_key(key.private_key_encrypted),
        verification_method=key.verification_method,
    )
    StatusList.objects.filter(pk=status_list.pk, updated_at=status_list.updated_at).update(signed_credential=signed)
    return signed
