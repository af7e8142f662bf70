from django.core.management.base import BaseCommand

from credentials.services import award_expire_due


class Command(BaseCommand):
    help = "Mark credentials whose expiry date has passed as expired (for cron; celery beat runs it daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{award_expire_due()} credential(s) expired.")
