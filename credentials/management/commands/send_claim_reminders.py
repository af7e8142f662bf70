from django.core.management.base import BaseCommand

from credentials.claim_emails import claim_reminders_queue, reminder_days
from credentials.management.base_url import warn_if_base_url_unset


class Command(BaseCommand):
    help = (
        "Queue reminder emails for credentials not yet accepted or declined, after each of CLAIM_REMINDER_DAYS "
        "(for cron, daily; celery beat runs it too). Idempotent: a reminder is never queued twice."
    )

    def handle(self, *args, **options):
        warn_if_base_url_unset(self)
        days = reminder_days()
        if not days:
            self.stdout.write("No reminders: CLAIM_REMINDER_DAYS is empty.")
            return
        count = claim_reminders_queue()
        self.stdout.write(f"{count} claim reminder(s) queued (after {', '.join(map(str, days))} days).")
