"""The events a programme can subscribe to, named as in the payload's `type` (Standard Webhooks style)."""

from django.utils.translation import gettext_lazy as _

AWARD_ISSUED = "award.issued"
BULK_JOB_FINISHED = "bulk_job.finished"

EVENTS = {
    AWARD_ISSUED: _("A credential was issued"),
    "award.accepted": _("A recipient accepted a credential"),
    "award.declined": _("A recipient declined a credential"),
    "award.revoked": _("A credential was revoked"),
    "award.expired": _("A credential expired"),
    "award.shared": _("A holder shared a credential"),
    BULK_JOB_FINISHED: _("A bulk issuing job finished"),
    "endorsement.received": _("A credential received an endorsement"),
}

# credentials.signals.award_changed's `change` → event type
CHANGE_EVENTS = {
    "accepted": "award.accepted",
    "declined": "award.declined",
    "revoked": "award.revoked",
    "expired": "award.expired",
    "shared": "award.shared",
    "endorsed": "endorsement.received",
}
