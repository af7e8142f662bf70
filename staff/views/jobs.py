"""A bulk job in the console: its preview and confirmation, live progress, result and report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from credentials.bulk import selectors as bulk_selectors
from credentials.bulk import services as bulk
from credentials.models import BulkJob, BulkRow

from .. import previews
from ..context import console_view
from .common import csv_response, page
from .issue import _preview_context

VIEW_JOBS = "credentials.view_bulkjob"


def _job(programme, pk) -> BulkJob:
    job = bulk_selectors.bulk_job_by_pk(pk)
    if job.achievement.programme_id != programme.pk:
        raise Http404(_("No such bulk job in this programme."))
    return job


@never_cache
@console_view(VIEW_JOBS)
def job(request, programme, pk):
    job = _job(programme, pk)
    context = {
        "job": job,
        "progress": bulk_selectors.bulk_job_progress(job),
        "can_issue": request.console.can("credentials.add_award"),
    }
    if job.state == BulkJob.State.READY:
        rows = bulk_selectors.bulk_job_preview(job)
        first = rows[0] if rows else {"name": "", "email": "", "language": ""}
        award = previews.draft_award(
            job.achievement,
            name=first.get("name", ""),
            email=first.get("email", ""),
            language=first.get("language", ""),
        )
        context.update(_preview_context(job.achievement, award), rows=rows, recipient=award)
    elif job.state == BulkJob.State.INVALID:
        context["errors"] = job.errors[:200]
    elif job.state in (BulkJob.State.DONE, BulkJob.State.FAILED):
        context["issued"] = list(
            BulkRow.objects.filter(job=job, award__isnull=False).select_related("award").order_by("line")[:100]
        )
        context["failed"] = list(BulkRow.objects.filter(job=job, done=True).exclude(error="").order_by("line")[:100])
    return page(request, "staff/job.html", context)


@console_view("credentials.add_award")
@require_POST
def job_start(request, programme, pk):
    job = _job(programme, pk)
    try:
        bulk.bulk_job_start(job=job, actor=request.user, resume=request.POST.get("resume") == "1")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("staff:job", programme=programme.slug, pk=job.pk)


@never_cache
@console_view(VIEW_JOBS)
def job_progress(request, programme, pk):
    return JsonResponse(bulk_selectors.bulk_job_progress(_job(programme, pk)))


@console_view(VIEW_JOBS)
def job_report(request, programme, pk):
    job = _job(programme, pk)
    return csv_response(bulk_selectors.bulk_job_report(job), f"bulk-{job.pk}-report.csv")
