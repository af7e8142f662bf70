"""Reads of bulk issuance: jobs for the console, live progress, the per-row report."""

from collections.abc import Iterator

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..links import absolute
from ..models import BulkJob, BulkRow

REPORT_HEADER = ["line", "email", "name", "status", "credential_id", "verify_url", "error"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A value from an uploaded file, safe to open in a spreadsheet (no formula: OWASP CSV injection)."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def bulk_job_by_pk(pk) -> BulkJob:
    job = BulkJob.objects.select_related("achievement__issuer", "achievement__category", "created_by").filter(pk=pk)
    job = job.first() if str(pk).isdigit() else None
    if job is None:
        raise Http404("No such bulk job")
    return job


def bulk_job_failed_count(job: BulkJob) -> int:
    return BulkRow.objects.filter(job=job, done=True).exclude(error="").count()


def bulk_job_progress(job: BulkJob) -> dict:
    """What the progress bar shows (polled): counters are exact, written with the rows they count."""
    failed = bulk_job_failed_count(job) if job.state != BulkJob.State.READY else 0
    total = job.valid_rows
    processed = min(job.created_count + job.skipped_count + failed, total)
    finished = job.state in (BulkJob.State.DONE, BulkJob.State.FAILED, BulkJob.State.INVALID)
    if job.state == BulkJob.State.DONE:
        message = _("Done: %(created)d issued, %(skipped)d already issued earlier, %(failed)d failed.")
    elif job.state == BulkJob.State.FAILED:
        message = _(
            "Stopped after %(processed)d of %(total)d rows (%(created)d issued). Resume to issue the rest: "
            "nothing is issued twice."
        )
    elif job.state == BulkJob.State.RUNNING:
        message = ngettext(
            "Issuing: %(processed)d of %(total)d row done (%(created)d issued, %(skipped)d already issued).",
            "Issuing: %(processed)d of %(total)d rows done (%(created)d issued, %(skipped)d already issued).",
            total,
        )
    else:
        message = _("Not started.")
    values = {
        "processed": processed,
        "total": total,
        "created": job.created_count,
        "skipped": job.skipped_count,
        "failed": failed,
    }
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        **values,
        "percent": int(processed * 100 / total) if total else (100 if finished else 0),
        "finished": finished,
        "message": message % values,
    }


def _status_label(row: BulkRow) -> str:
    if not row.done:
        return "pending"
    return row.data.get("outcome") or ("failed" if row.error else "issued")


def bulk_job_report(job: BulkJob) -> Iterator[list[str]]:
    """The report as CSV rows (header first): one per row of the file, with its credential and verify URL;
    for a job with problems (nothing issued), one per problem."""
    yield REPORT_HEADER
    if job.state == BulkJob.State.INVALID:
        for item in job.errors:
            yield [str(item.get("line") or ""), "", "", "invalid", "", "", cell(_error_text(item))]
        return
    rows = (
        BulkRow.objects.filter(job=job)
        .select_related("award")
        .only("line", "data", "done", "error", "award__public_id")
        .order_by("line")
    )
    for row in rows.iterator(chunk_size=2000):
        award = row.award
        yield [
            str(row.line),
            cell(row.data.get("email", "")),
            cell(row.data.get("name", "")),
            _status_label(row),
            award.public_id if award else "",
            absolute("verify_page", public_id=award.public_id) if award else "",
            cell(row.error),
        ]


def _error_text(item: dict) -> str:
    return f"{item['field']}: {item['message']}" if item.get("field") else item.get("message", "")


def bulk_job_summary(job: BulkJob, *, issued_before: int = 0) -> dict:
    """The command's JSON report of one run: {"rows", "valid", "created", "skipped", "errors": [{"line",
    "field", "message"}]}. `issued_before` is what the job had issued before this run (the same file run
    again, a resumed job): those rows are already issued, so this run reports them as skipped and "created"
    counts only what it issued. created + skipped + rows that failed (in errors) = valid, once done."""
    return {
        "rows": job.total_rows,
        "valid": job.valid_rows,
        "created": job.created_count - issued_before,
        "skipped": job.skipped_count + issued_before,
        "errors": list(job.errors),
    }


def bulk_job_preview(job: BulkJob, limit: int = 10) -> list[dict]:
    return [{"line": row.line, **row.data} for row in BulkRow.objects.filter(job=job).order_by("line")[:limit]]
