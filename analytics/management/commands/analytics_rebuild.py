from django.core.management.base import BaseCommand

from analytics.services import analytics_rebuild


class Command(BaseCommand):
    help = "Flush counted views, opens and clicks, then recompute every daily rollup from the awards."

    def handle(self, *args, **options):
        written = analytics_rebuild()
        self.stdout.write(f"{written} daily rollups written.")
