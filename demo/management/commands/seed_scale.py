import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo.scale import SeedRefused, finish, seed


class Command(BaseCommand):
    help = (
        "Add N signed awards (default 1,000,000) over the nine programmes for the scale benchmark, with claims, "
        "shares, views and revocations; PostgreSQL only (COPY). Additive: each run adds N more; "
        "Ctrl-C stops it cleanly (what is signed is written, then rollups are rebuilt)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--awards", type=int, default=1_000_000, help="How many awards to add.")
        parser.add_argument("--recipients", type=int, default=300_000, help="Size of the recipients' pool.")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="Signing processes.")
        parser.add_argument("--seed", type=int, default=13, help="Random seed.")
        parser.add_argument(
            "--finish", action="store_true", help="Only sign status lists, rebuild rollups, vacuum (after a kill)."
        )

    def handle(self, *args, **options):
        if options["awards"] < 1 or options["recipients"] < 1 or options["workers"] < 1:
            raise CommandError("--awards, --recipients and --workers must be at least 1.")
        from django.db import connection

        if connection.vendor != "postgresql":
            raise CommandError("seed_scale writes with PostgreSQL's COPY: DATABASE_URL must point at PostgreSQL.")
        started = time.monotonic()
        if options["finish"]:
            self.stdout.write(f"seed_scale --finish: {finish()} in {time.monotonic() - started:.1f} s")
            return
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 (the programmes and achievements)
        self.stdout.write(f"load_demo: {time.monotonic() - started:.1f} s")
        try:
            made = seed(
                awards=options["awards"],
                recipients=options["recipients"],
                workers=options["workers"],
                seed_value=options["seed"],
                log=self.stdout.write,
            )
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"seed_scale: {made}"))
