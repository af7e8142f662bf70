"""Claim emails and reminders, built on outbox.services.mail_many(): `claim_emails_queue()` (one per award)
and `claim_reminders_queue()` (reminder n once the n-th threshold of CLAIM_REMINDER_DAYS has passed).

They live here, not in the outbox: the outbox is a lower layer that knows nothing about credentials. The
check that stops a claim email or reminder of an award that no longer waits for an answer is registered with
the outbox (`outbox.sending.register_send_check`) by CredentialsConfig.ready.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from multilingual.text import in_language
from outbox.models import OutboxEmail
from outbox.services import mail, mail_many

from .languages import achievement_image_url, award_language
from .links import claim_url
from .models import Achievement, Award

DEFAULT_REMINDER_DAYS = (7, 30)
KIND_CLAIM = "claim"
KIND_CLAIM_REMINDER = "claim_reminder"
# Emails that only make sense while the credential waits for an answer: not sent once it is accepted,
# declined, revoked or expired (checked when queueing and again when sending, by not_sendable_reason).
ONLY_WHILE_ISSUED = frozenset({KIND_CLAIM, KIND_CLAIM_REMINDER})


def not_sendable_reason(email: OutboxEmail) -> str | None:
    """The outbox's send check for claim emails and reminders (registered in CredentialsConfig.ready):
    None to send, or why not, when the credential is gone or no longer waits for an answer."""
    award = email.award
    if award is None:
        return _("Not sent: the credential no longer exists.")
    if award.effective_state != Award.State.ISSUED:
        return _("Not sent: the credential is %(state)s.") % {"state": Award.State(award.effective_state).label.lower()}
    return None


def _companions(award: Award) -> list[Award]:
    """The companion badges issued with a certificate (none for other achievements: no query), from the batch's
    prefetch when there is one."""
    if award.achievement.publishing_mode != Achievement.Mode.CERTIFICATE_WITH_BADGES:
        return []
    return sorted(award.companions.all(), key=lambda companion: companion.pk)


def _award_context(award: Award) -> dict:
    """What the claim email and reminders say: the achievement in the language of the signed credential (the
    recipient's when the achievement is translated into it; the labels are in the recipient's language)."""
    lang = award_language(award)
    achievement = in_language(award.achievement, lang)
    companions = [in_language(companion.achievement, lang).name for companion in _companions(award)]
    return {
        "award": award,
        "recipient_name": award.recipient_name,
        "achievement": achievement,
        "achievement_name": achievement.name,
        "issuer_name": achievement.issuer.name,
        "claim_url": claim_url(award),
        "badge_image_url": achievement_image_url(award.achievement, lang),
        "verify_url": settings.BASE_URL + award.get_absolute_url(),
        "claim_days": settings.CLAIM_TOKEN_DAYS,
        "companions": companions,
    }


def claim_email_context(award: Award) -> dict:
    """What a claim email's templates read (for another app's email that stands in for the claim email: it
    uses the dedupe key `claim:<pk>` and kind KIND_CLAIM, and includes `credentials/email/_claim_block.html`)."""
    return _award_context(award)


def claim_email_queue(*, award: Award) -> OutboxEmail | None:
    """Queue the claim email of an award (once: dedupe key `claim:<pk>`), in the recipient's language.

    Nothing is queued for an award that no longer waits for an answer (revoked, expired, accepted, declined).
    """
    return claim_emails_queue(award_ids=[award.pk]).get(award.pk)


def claim_emails_queue(*, award_ids: list[int]) -> dict[int, OutboxEmail]:
    """Queue the claim emails of many awards at once (a bulk batch): one mail_many() call. Returns
    {award id: outbox row} for the awards still waiting for an answer (the others get nothing)."""
    awards = [
        award
        for award in Award.objects.select_related("achievement__issuer")
        .filter(pk__in=award_ids, companion_of__isnull=True)  # a companion badge: its certificate's email covers it
        .order_by("pk")
        if award.effective_state == Award.State.ISSUED
    ]
    certificates = [a for a in awards if a.achievement.publishing_mode == Achievement.Mode.CERTIFICATE_WITH_BADGES]
    prefetch_related_objects(certificates, Prefetch("companions", queryset=Award.objects.select_related("achievement")))
    messages = [
        {
            "to": award.recipient_email,
            "template": "claim",
            "context": _award_context(award),
            "language": award.recipient_language,
            "kind": KIND_CLAIM,
            "dedupe_key": f"claim:{award.pk}",
            "award": award,
        }
        for award in awards
    ]
    return dict(zip([award.pk for award in awards], mail_many(messages), strict=True)) if messages else {}


def reminder_days() -> list[int]:
    """CLAIM_REMINDER_DAYS, sorted, positive, without duplicates (empty: no reminders)."""
    days = getattr(settings, "CLAIM_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)
    return sorted({int(day) for day in days if int(day) > 0})


def _reminder_key(number) -> Concat:
    return Concat(Value("reminder:"), Cast(OuterRef("pk"), CharField()), Value(f":{number}"), output_field=CharField())


def claim_reminders_queue(*, now=None) -> int:
    """Queue reminder n for every credential still waiting for an answer once the n-th threshold of
    CLAIM_REMINDER_DAYS has passed (dedupe key `reminder:<pk>:<n>`). Idempotent; meant to run daily.

    Days count from the issue date, or from the claim email when it was queued later (credentials issued
    with an earlier date). A run sends at most one reminder per credential, the latest one due: a credential
    that passed two thresholds since the last run gets one email, and earlier reminders are not sent after
    a later one. Returns the number of reminders queued.
    """
    now = now or timezone.now()
    days = reminder_days()
    claim_queued_at = OutboxEmail.objects.filter(
        dedupe_key=Concat(Value("claim:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    ).values("created_at")[:1]
    waiting = (
        Award.objects.filter(state=Award.State.ISSUED, companion_of__isnull=True)
        .exclude(expires_at__lte=now)
        .annotate(since=Coalesce(Subquery(claim_queued_at), F("issued_at")))
    )
    queued = 0
    done: set[int] = set()
    for number in range(len(days), 0, -1):  # latest threshold first
        later = [Exists(OutboxEmail.objects.filter(dedupe_key=_reminder_key(n))) for n in range(number, len(days) + 1)]
        due = waiting.filter(since__lte=now - timedelta(days=days[number - 1]))
        for condition in later:
            due = due.exclude(condition)
        for pk in list(due.values_list("pk", flat=True).order_by("pk")):
            if pk in done:
                continue
            done.add(pk)
            if claim_reminder_queue(award_id=pk, number=number) is not None:
                queued += 1
    return queued


def claim_reminder_queue(*, award_id: int, number: int) -> OutboxEmail | None:
    """Queue reminder `number` of one award (dedupe key `reminder:<pk>:<number>`)."""
    award = Award.objects.select_related("achievement__issuer").filter(pk=award_id).first()
    if award is None or award.companion_of_id or award.effective_state != Award.State.ISSUED:
        return None
    days = reminder_days()
    dedupe_key = f"reminder:{award.pk}:{number}"
    if OutboxEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    context = {
        **_award_context(award),
        "reminder_number": number,
        "reminders_total": len(days),
        "is_last_reminder": number >= len(days),
    }
    return mail(
        to=award.recipient_email,
        template="claim_reminder",
        context=context,
        language=award.recipient_language,
        kind=KIND_CLAIM_REMINDER,
        dedupe_key=dedupe_key,
        award=award,
    )
