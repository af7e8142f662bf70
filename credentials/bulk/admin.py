"""Staff console for bulk issuance: upload (dry run), the report of every problem or the "Issue N credentials"
button, live progress, the per-row report as CSV. Thin: writes go through credentials.bulk.services.

Permissions, checked here and again by the services: uploading (and the sample file) `credentials.add_bulkjob`,
issuing a job's rows (start, resume) `credentials.add_award`, the job page, progress and report
`credentials.view_bulkjob`.

Registered when imported: `credentials/admin.py` imports this module (admin autodiscovery imports
`<app>.admin` only).
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

import access

from ..models import Achievement, BulkJob
from . import csvfile, selectors, services
from .urls import console_urls

ERRORS_SHOWN = 1000
SEPARATOR_LABELS = {",": _("comma-separated"), ";": _("semicolon-separated"), "\t": _("tab-separated")}


class UploadForm(forms.Form):
    achievement = forms.ModelChoiceField(
        Achievement.objects.filter(is_active=True).select_related("issuer").order_by("name"),
        label=_("Achievement"),
        help_text=_("Every row of the file receives this credential."),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email and name (required); external_id, issue_date, expiry (YYYY-MM-DD), narrative, "
            "evidence_url, language, organisation (yes for an organisation) are optional. Comma or semicolon "
            "separated; UTF-8, UTF-16 or Windows-1252. At most %(mb)s MB and %(rows)s rows."
        )
        % {"mb": csvfile.MAX_BYTES // 1024 // 1024, "rows": f"{csvfile.MAX_ROWS:,}"},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csvfile.MAX_BYTES:
            raise ValidationError(csvfile.size_message(upload.size))
        return upload


class CsvEcho:
    def write(self, value):
        return value


@admin.register(BulkJob)
class BulkJobAdmin(admin.ModelAdmin):
    list_display = [
        "__str__", "state", "total_rows", "valid_rows", "created_count", "skipped_count", "created_at", "report_link"
    ]  # fmt: skip
    list_filter = ["state", "achievement"]
    search_fields = ["filename", "achievement__name", "achievement__slug"]
    list_select_related = ["achievement"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False  # jobs change through services only; the job page is the view permission's

    def has_delete_permission(self, request, obj=None):
        return False

    def has_issue_permission(self, request):
        """Starting or resuming a job issues credentials."""
        return access.allows(request.user, "credentials.add_award")

    def get_urls(self):
        return [*console_urls(self), *super().get_urls()]

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    # --- Upload and dry run ---------------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.bulk_job_create(
                    achievement=form.cleaned_data["achievement"],
                    uploaded_file=upload,
                    filename=upload.name,
                    actor=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if job.state == BulkJob.State.DONE:  # a new upload is never done yet: this file was issued before
                    self.message_user(
                        request,
                        _("This file was issued already (%(date)s): nothing new was issued. This is that job.")
                        % {"date": date_format(localtime(job.finished_at), "DATETIME_FORMAT")},
                        messages.WARNING,
                    )
                return redirect("admin:credentials_bulkjob_change", job.pk)
        return render(
            request,
            "credentials/bulk/upload.html",
            self._context(request, form=form, title=_("Issue credentials from a CSV file")),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The job page: the dry-run report, the issue button, or live progress and the report."""
        job = selectors.bulk_job_by_pk(object_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        errors = job.errors or []
        return render(
            request,
            "credentials/bulk/job.html",
            self._context(
                request,
                job=job,
                original=job,
                title=str(job),
                progress=selectors.bulk_job_progress(job),
                preview=selectors.bulk_job_preview(job) if job.state == BulkJob.State.READY else [],
                errors=errors[:ERRORS_SHOWN],
                errors_hidden=max(0, len(errors) - ERRORS_SHOWN),
                can_issue=self.has_issue_permission(request),
                separator=SEPARATOR_LABELS.get(job.delimiter, ""),
            ),
        )

    # --- Issue, progress, report ----------------------------------------------------------------------

    def start_view(self, request, pk):
        if not self.has_issue_permission(request):
            raise PermissionDenied
        return require_POST(self._start)(request, pk)

    def _start(self, request, pk):
        job = selectors.bulk_job_by_pk(pk)
        try:
            services.bulk_job_start(job=job, actor=request.user, resume=request.POST.get("resume") == "1")
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        return redirect("admin:credentials_bulkjob_change", pk)

    def progress_view(self, request, pk):
        job = selectors.bulk_job_by_pk(pk)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return JsonResponse(selectors.bulk_job_progress(job))  # admin_view adds never_cache

    def report_view(self, request, pk):
        job = selectors.bulk_job_by_pk(pk)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        writer = csv.writer(CsvEcho())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in selectors.bulk_job_report(job)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="bulk-{job.pk}-report.csv"'
        return response

    def template_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            "email,name,external_id,issue_date,expiry,narrative,evidence_url,language,organisation\r\n"
            "amina.okonkwo@example.org,Amina Okonkwo,A-001,2026-06-30,,Led the final simulation.,"
            "https://example.org/report.pdf,en,no\r\n",
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="recipients-template.csv"'
        return response

    @admin.display(description=_("report"))
    def report_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:credentials_bulkjob_report", args=[obj.pk]), "CSV")
