from django.core.management.base import BaseCommand

from surveys.services import surveys_send_due


class Command(BaseCommand):
    help = "Send the follow-up surveys that are due (daily; beat does it in production)."

    def handle(self, *args, **options):
        self.stdout.write(f"{surveys_send_due()} survey invitations queued.")
