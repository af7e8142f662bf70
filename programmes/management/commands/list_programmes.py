import json

from django.core.management.base import BaseCommand

from programmes.selectors import programme_list


class Command(BaseCommand):
    help = 'List the programmes (slug and name); --json prints [{"slug": ..., "name": ...}].'

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args, **options):
        rows = programme_list()
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("No programmes yet.")
            return
        width = max(len("slug"), *(len(row["slug"]) for row in rows))
        self.stdout.write(f"{'slug'.ljust(width)}  name")
        self.stdout.write(f"{'-' * width}  {'-' * 4}")
        for row in rows:
            self.stdout.write(f"{row['slug'].ljust(width)}  {row['name']}")
