"""Receivers of the credentials app's signals (all sent after commit): each builds the payloads and records
deliveries for the subscriptions of the programme concerned. Idempotent where the event is (award_issued can
be announced twice for an award: its delivery carries a dedupe key)."""

from itertools import groupby

from django.dispatch import receiver

from credentials.models import Award, BulkJob
from credentials.signals import award_changed, award_issued, bulk_job_finished

from . import payloads, services
from .events import AWARD_ISSUED, BULK_JOB_FINISHED, CHANGE_EVENTS
from .models import WebhookSubscription


def _programmes_with_subscriptions() -> set[int]:
    return set(WebhookSubscription.objects.filter(is_active=True).values_list("programme_id", flat=True))


@receiver(award_issued, dispatch_uid="webhooks.receivers.award_issued")
def on_award_issued(sender, award_ids, **kwargs):
    programmes = _programmes_with_subscriptions()
    if not programmes:
        return
    awards = (
        Award.objects.filter(pk__in=award_ids, achievement__programme_id__in=programmes)
        .select_related("achievement__programme")
        .order_by("achievement__programme_id", "pk")
    )
    for programme_id, group in groupby(awards, key=lambda a: a.achievement.programme_id):
        items = [
            (payloads.envelope(AWARD_ISSUED, payloads.award_data(a)), f"{AWARD_ISSUED}:{a.public_id}") for a in group
        ]
        services.deliveries_create(programme_id=programme_id, event_type=AWARD_ISSUED, items=items)


@receiver(award_changed, dispatch_uid="webhooks.receivers.award_changed")
def on_award_changed(sender, award_id, change, details=None, **kwargs):
    event_type = CHANGE_EVENTS.get(change)
    award = Award.objects.select_related("achievement__programme").filter(pk=award_id).first()
    if event_type is None or award is None or award.achievement.programme_id not in _programmes_with_subscriptions():
        return
    data = payloads.award_data(award)
    if change == "endorsed":
        data = {"award": data, "endorsement": details or {}}
    elif details:
        data.update(details)
    services.deliveries_create(
        programme_id=award.achievement.programme_id,
        event_type=event_type,
        items=[(payloads.envelope(event_type, data), None)],
    )


@receiver(bulk_job_finished, dispatch_uid="webhooks.receivers.bulk_job_finished")
def on_bulk_job_finished(sender, job_id, **kwargs):
    job = BulkJob.objects.select_related("achievement__programme").filter(pk=job_id).first()
    if job is None or job.achievement.programme_id is None:
        return
    services.deliveries_create(
        programme_id=job.achievement.programme_id,
        event_type=BULK_JOB_FINISHED,
        items=[(payloads.envelope(BULK_JOB_FINISHED, payloads.bulk_job_data(job)), f"{BULK_JOB_FINISHED}:{job.pk}")],
    )
