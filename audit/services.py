from collections.abc import Callable

from django.db import models

from .models import AuditEntry


def _programme_id(programme) -> int | None:
    """A programme given as an object or an id (audit cannot import the programmes app above it)."""
    return getattr(programme, "pk", programme)


def audit_record(
    *, action: str, subject: models.Model, actor=None, data: dict | None = None, programme=None
) -> AuditEntry:
    """Write an audit entry. Call it inside the service's transaction. `programme`: the programme (or its id)
    of what changed, so that a programme's activity can be listed."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        actor=actor,
        data=data or {},
        programme_id=_programme_id(programme),
    )


def audit_record_many(
    *,
    action: str,
    subjects: list[models.Model],
    actor=None,
    data: dict | Callable[[models.Model], dict] | None = None,
    programme=None,
) -> list[AuditEntry]:
    """One audit entry per subject, written in one statement (batches: bulk issuance, claim emails). `data`
    is the same for every entry, or a function of the subject."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            action=action,
            subject_type=subject._meta.label_lower,
            subject_id=str(subject.pk),
            actor=actor,
            data=data(subject) if callable(data) else dict(data or {}),
            programme_id=_programme_id(programme),
        )
        for subject in subjects
    )
