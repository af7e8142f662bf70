from django.db import models

from .models import AuditEntry


def audit_record(*, action: str, subject: models.Model, actor=None, data: dict | None = None) -> AuditEntry:
    """Write an audit entry. Call it inside the service's transaction."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        actor=actor,
        data=data or {},
    )
