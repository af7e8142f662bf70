import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from analytics.selectors import REPORT_KEYS, report
from analytics.services import analytics_catch_up
from programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Print the awards' figures: issued, accepted, declined, revoked, expired, shared, verification views, in "
        "all and per programme. Flushes counted views and refreshes the rollups first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--programme", metavar="SLUG", help="Only this programme.")
        parser.add_argument("--since", metavar="DATE", help="Only awards issued (and views) since DATE (YYYY-MM-DD).")

    def handle(self, *args, **options):
        since = None
        if options["since"]:
            try:
                since = date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError(f"--since: {options['since']!r} is not a date (YYYY-MM-DD).") from None
        programmes = list(Programme.objects.order_by("slug"))
        if options["programme"]:
            programmes = [p for p in programmes if p.slug == options["programme"]]
            if not programmes:
                raise CommandError(f"No programme with the slug {options['programme']!r} (see list_programmes).")
        analytics_catch_up()
        figures = report(programmes=programmes, since=since)
        if options["programme"]:  # the totals are the programme's
            figures.update({key: figures["by_programme"][0][key] for key in REPORT_KEYS})
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        header = f"{'':28}" + "".join(f"{key[:12]:>13}" for key in REPORT_KEYS)
        self.stdout.write(header)
        self.stdout.write(f"{'all':28}" + "".join(f"{figures[key]:>13}" for key in REPORT_KEYS))
        for row in figures["by_programme"]:
            self.stdout.write(f"{row['slug'][:27]:28}" + "".join(f"{row[key]:>13}" for key in REPORT_KEYS))
