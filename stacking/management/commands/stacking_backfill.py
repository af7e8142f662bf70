import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stacking.services import stacking_backfill


class Command(BaseCommand):
    help = (
        "Apply the current framework's stacking rules (or one, --rule SLUG) to the credentials issued before: "
        "issue (or suggest) each result a recipient has earned and not received. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rule", help="Only this rule (its slug).")
        parser.add_argument("--json", action="store_true", help="Print the totals as JSON.")

    def handle(self, *args, rule=None, **options):
        try:
            totals = stacking_backfill(rule_slug=rule)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if options.get("json"):
            self.stdout.write(json.dumps(totals))
            return
        self.stdout.write(
            f"{totals['recipients']} recipients checked: {totals['issued']} credentials issued, "
            f"{totals['suggested']} suggested for approval."
        )
