from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analytics.export import export


class Command(BaseCommand):
    help = (
        "Write anonymised award-level tables (awards, shares, activity, survey answers) for BI tools into DIR: "
        "no names or addresses, awards under opaque ids."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file, not a directory.")
        try:
            written = export(directory, options["format"])
        except OSError as exc:
            raise CommandError(f"Cannot write into {directory}: {exc.strerror or exc}") from None
        for name, count in written.items():
            self.stdout.write(f"{directory / name}: {count} rows")
