import json
import sys
import time
from pathlib import Path

from celery import current_app
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from credentials.bulk import csvfile, selectors, services
from credentials.management.base_url import warn_if_base_url_unset
from credentials.models import Achievement, BulkJob


class Command(BaseCommand):
    help = (
        "Issue one achievement to every recipient of a CSV file (email, name; optional external_id, issue_date, "
        "expiry, narrative, evidence_url, language, organisation). The file is checked in full first: with any "
        "problem nothing is issued and the exit status is 1. Without a broker the rows are issued in this "
        "process; with one, workers issue them and this command waits. Rows already issued (same file or an "
        "earlier one) are skipped, never issued twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--achievement", required=True, help="Achievement slug (see list_achievements).")
        parser.add_argument("file", help="The CSV file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; issue nothing.")
        parser.add_argument(
            "--json", action="store_true", help='Print {"rows", "valid", "created", "skipped", "errors"}.'
        )
        parser.add_argument("--no-wait", action="store_true", help="With a broker: start the job and return.")

    def handle(self, *args, **options):
        warn_if_base_url_unset(self)
        achievement = Achievement.objects.select_related("issuer", "category").filter(slug=options["achievement"])
        achievement = achievement.first()
        if achievement is None:
            raise CommandError(f"No achievement with slug {options['achievement']!r} (see list_achievements).")
        path = Path(options["file"])
        try:
            if path.stat().st_size > csvfile.MAX_BYTES:
                return self._finish(options, self._file_error(csvfile.size_message(path.stat().st_size)))
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc

        try:
            if options["dry_run"]:
                dry_run = services.bulk_dry_run(achievement=achievement, data=data)
                report = {
                    "rows": dry_run.total_rows,
                    "valid": dry_run.valid_rows,
                    "created": 0,
                    "skipped": 0,
                    "errors": dry_run.errors,
                }
                return self._finish(options, report)
            job = services.bulk_job_create(achievement=achievement, data=data, filename=path.name)
        except ValidationError as exc:
            return self._finish(options, self._file_error(" ".join(exc.messages)))

        # A job found again (the same file run again, a job that stopped): what it issued before this run is
        # reported as skipped, so "created" is what this run issued.
        issued_before = job.created_count
        if job.state != BulkJob.State.INVALID:
            if job.state == BulkJob.State.DONE:
                self.stderr.write(f"This file was issued already (job {job.pk}, {job.finished_at:%Y-%m-%d %H:%M}).")
            else:
                try:
                    job = services.bulk_job_start(job=job, resume=job.state == BulkJob.State.RUNNING)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
                job = self._wait(job, no_wait=options["no_wait"])
        stopped = None
        if job.state == BulkJob.State.FAILED:
            stopped = "The job stopped before the end (see the audit log); run the command again to resume it."
        return self._finish(options, selectors.bulk_job_summary(job, issued_before=issued_before), stopped=stopped)

    def _wait(self, job: BulkJob, *, no_wait: bool) -> BulkJob:
        """In-process (no broker) the job is done already; with workers, poll until it is (or fails)."""
        job.refresh_from_db()
        if no_wait or current_app.conf.task_always_eager:
            return job
        last = None
        while job.state == BulkJob.State.RUNNING:
            progress = selectors.bulk_job_progress(job)
            if progress["message"] != last and sys.stderr.isatty():
                self.stderr.write(progress["message"])
                last = progress["message"]
            time.sleep(1)
            job.refresh_from_db()
        return job

    def _file_error(self, message: str) -> dict:
        return {"rows": 0, "valid": 0, "created": 0, "skipped": 0, "errors": [csvfile.error(0, "file", message)]}

    def _finish(self, options, report: dict, stopped: str | None = None):
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            for item in report["errors"]:
                where = f"line {item['line']}" if item["line"] else "file"
                column = f" [{item['field']}]" if item["field"] else ""
                self.stderr.write(f"{where}{column}: {item['message']}")
            verb = "would issue" if options["dry_run"] else "issued"
            self.stdout.write(
                f"{report['rows']} rows, {report['valid']} valid; {verb} "
                f"{report['valid'] if options['dry_run'] and not report['errors'] else report['created']}, "
                f"skipped {report['skipped']} (already issued), {len(report['errors'])} problems."
            )
        if stopped:
            raise CommandError(stopped)
        if report["errors"]:
            raise CommandError(
                f"{len(report['errors'])} problem(s)"
                + ("; nothing was issued." if report["created"] == 0 and report["skipped"] == 0 else ".")
            )
