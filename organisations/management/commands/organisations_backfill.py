import json

from django.core.management.base import BaseCommand

from organisations.evaluation import organisations_backfill


class Command(BaseCommand):
    help = (
        "Apply the organisation rules to every active organisation (or those of one programme, --programme SLUG): "
        "issue each result an organisation has earned and not received. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", help="Only the organisations of this programme (its slug).")
        parser.add_argument("--json", action="store_true", help="Print the totals as JSON.")

    def handle(self, *args, programme=None, **options):
        totals = organisations_backfill(programme_slug=programme)
        if options.get("json"):
            self.stdout.write(json.dumps(totals))
            return
        self.stdout.write(f"{totals['organisations']} organisations checked: {totals['issued']} credentials issued.")
