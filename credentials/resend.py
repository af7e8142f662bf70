"""Send a recipient's claim email again (staff console, API): a new outbox row each time, limited.

The first claim email is queued once per award (`claim:<pk>`, credentials.mail); a resend is the same email
under its own dedupe key, `claim:<pk>:resend:<n>`, so each resend is one row and a retried request cannot
queue it twice. At most MAX_RESENDS per award, at least RESEND_AFTER apart: a recipient is not flooded.
Only an award still waiting for an answer (issued, not expired) gets one. Needs `credentials.resend_claim`.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record

from . import mail
from .models import Award, OutboxEmail

MAX_RESENDS = 3
RESEND_AFTER = timedelta(minutes=10)


def _resend_prefix(award: Award) -> str:
    return f"claim:{award.pk}:resend:"


def award_resend_count(award: Award) -> int:
    return OutboxEmail.objects.filter(dedupe_key__startswith=_resend_prefix(award)).count()


@transaction.atomic
def award_resend_claim(*, award: Award, actor=None, now=None) -> OutboxEmail:
    """Queue the claim email of `award` again. Raises ValidationError when the award no longer waits for an
    answer, when it was sent again less than RESEND_AFTER ago, or after MAX_RESENDS resends."""
    access.require(actor, "credentials.resend_claim", obj=award)
    now = now or timezone.now()
    award = Award.objects.select_for_update().select_related("achievement__issuer").get(pk=award.pk)
    if award.effective_state != Award.State.ISSUED:
        raise ValidationError(
            _("The claim email is not sent again: this credential is %(state)s.")
            % {"state": Award.State(award.effective_state).label.lower()}
        )
    earlier = OutboxEmail.objects.filter(dedupe_key__startswith=_resend_prefix(award)).order_by("-created_at")
    count = earlier.count()
    if count >= MAX_RESENDS:
        raise ValidationError(
            _("The claim email was already sent again %(count)d times: ask the recipient to check their spam folder.")
            % {"count": count}
        )
    last = earlier.first()
    if last is not None and now - last.created_at < RESEND_AFTER:
        raise ValidationError(
            _("The claim email was sent again less than %(minutes)d minutes ago.")
            % {"minutes": int(RESEND_AFTER.total_seconds() // 60)}
        )
    email = mail.mail(
        to=award.recipient_email,
        template="claim",
        context=mail._award_context(award),
        language=award.recipient_language,
        kind=mail.KIND_CLAIM,
        dedupe_key=f"{_resend_prefix(award)}{count + 1}",
        award=award,
    )
    audit_record(
        action="award.resend_claim",
        subject=award,
        actor=actor,
        data={"resend": count + 1},
        programme=award.achievement.programme_id,
    )
    return email
