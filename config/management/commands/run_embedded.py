"""`make run`: the web server and a Celery worker (with beat) as one command, stopped together by Ctrl-C.

The web server sends tasks to the worker (CELERY_TASK_ALWAYS_EAGER=false in both), so a bulk job's request returns
at once and its progress bar moves while the worker issues; PDFs, baked images and emails are made off the
request too. In the embedded default (no REDIS_URL) the queue is a folder (config/broker.py) and the caches are
folders both processes share (config/filecache.py); with REDIS_URL both use Redis. Nothing but Python is needed.
"""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config import launcher


def worker_argv(*, beat: bool = True) -> list[str]:
    """One worker process taking one task at a time from every queue, in order (default, mail, documents)."""
    argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
            "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--hostname=embedded@%h"]  # fmt: skip
    return [*argv, "--beat"] if beat else argv


def web_argv(addrport: str, *, reload: bool = True) -> list[str]:
    argv = [sys.executable, os.path.join(settings.BASE_DIR, "manage.py"), "runserver", addrport]
    return argv if reload else [*argv, "--noreload"]


class Command(BaseCommand):
    help = (
        "Serve Laurel with a background worker, as `make run` does: runserver and a Celery worker with beat, "
        "stopped together by Ctrl-C. Honours PORT, BASE_URL and DATABASE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", help="Address and port to serve on (default 127.0.0.1:$PORT).")
        parser.add_argument("--noreload", action="store_true", help="Do not restart the web server on code changes.")
        parser.add_argument("--no-beat", action="store_true", help="No periodic tasks (reminders, expiry, …).")
        parser.add_argument(
            "--grace", type=float, default=15.0, help="Seconds the processes get to stop before they are killed."
        )

    def handle(self, *args, **options):
        if settings.CELERY_BROKER_URL.startswith("memory://"):
            raise CommandError(
                "The task broker is memory:// (this process only): a worker could never see the web server's tasks. "
                "Run with the embedded default (DJANGO_SETTINGS_MODULE=config.settings.local, no REDIS_URL) or set "
                "REDIS_URL."
            )
        addrport = options["addrport"] or f"127.0.0.1:{os.environ.get('PORT') or '8000'}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE") or "config.settings.local",
            "CELERY_TASK_ALWAYS_EAGER": "false",  # both processes: the web server sends, the worker runs
        }
        queue = getattr(settings, "EMBEDDED_QUEUE_DIR", "") or "Redis"
        self.stderr.write(f"Serving at {settings.BASE_URL}/ with a background worker (queue: {queue}).")
        children = [
            launcher.Child("worker", worker_argv(beat=not options["no_beat"])),
            launcher.Child("web server", web_argv(addrport, reload=not options["noreload"])),
        ]
        status = launcher.run(children, env=env, grace=options["grace"], say=self.stderr.write)
        if status:
            sys.exit(status)
