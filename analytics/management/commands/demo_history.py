import secrets
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from analytics.demo_history import build, history_exists


class Command(BaseCommand):
    help = "Create two years of demo history (a few thousand awards, their claims, shares, views) for the analytics."

    def add_arguments(self, parser):
        parser.add_argument(
            "--awards",
            type=int,
            default=settings.DEMO_HISTORY_AWARDS,
            help="About this many awards (default: DEMO_HISTORY_AWARDS, 3000).",
        )
        parser.add_argument("--force", action="store_true", help="Add history even if there is some already.")

    def handle(self, *args, **options):
        if history_exists() and not options["force"]:
            self.stdout.write("Demo history already there: nothing to do (--force adds more).")
            return
        started = time.monotonic()
        run = secrets.token_hex(4) + ":" if options["force"] else ""
        made = build(awards=max(options["awards"], 0), seed=int(started) if options["force"] else 11, run=run)
        self.stdout.write(f"Demo history: {made} in {time.monotonic() - started:.1f} s.")
