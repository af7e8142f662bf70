"""The issue wizard: achievement and recipients → preview → confirm. One recipient is issued at once; a list
or a CSV file becomes a bulk job (credentials.bulk: the same parsing, limits and exactly-once issuing),
previewed, started, and followed on its progress page (jobs.py)."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from credentials.bulk import services as bulk
from credentials.bulk.validation import DryRun
from credentials.models import BulkJob
from credentials.services import Recipient, award_issue
from frameworks.views import PREVIEW_POLICY

from .. import previews, recipients
from ..context import console_view
from ..forms import ConfirmOneForm, IssueForm
from ..selectors import publishable_achievements
from .common import page

ISSUE = "credentials.add_award"


def _dry_run_messages(dry_run: DryRun) -> list[str]:
    out = []
    for item in dry_run.errors[:50]:
        line = item.get("line")
        text = f"{item['field']}: {item['message']}" if item.get("field") else item.get("message", "")
        out.append(_("Line %(line)s: %(problem)s") % {"line": line, "problem": text} if line else text)
    return out


@console_view(ISSUE)
def issue(request, programme):
    initial = {
        key: request.GET[key][:200]
        for key in ("achievement", "mode", "name", "email", "language", "organisation")
        if key in request.GET
    }  # "Change" on the preview comes back with what was typed
    form = IssueForm(request.POST or None, request.FILES or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        achievement = data["achievement"]
        language = data.get("language") or achievement.language
        organisation = bool(data.get("organisation"))
        if data["mode"] == "one":
            return _preview_one(
                request,
                programme,
                achievement,
                name=data["name"].strip(),
                email=data["email"],
                language=language,
                organisation=organisation,
            )
        if data["mode"] == "list":
            rows, errors = recipients.parse_list(data["recipients"])
            if not errors and len(rows) == 1:
                return _preview_one(
                    request,
                    programme,
                    achievement,
                    name=rows[0]["name"],
                    email=rows[0]["email"],
                    language=language,
                    organisation=organisation,
                )
            content, filename = (
                recipients.as_csv(rows, language=data.get("language") or "", organisation=organisation),
                "pasted-list.csv",
            )
            if not errors:
                try:
                    errors = _dry_run_messages(bulk.bulk_dry_run(achievement=achievement, data=content))
                except ValidationError as exc:
                    errors = list(exc.messages)
            if errors:
                for error in errors:
                    form.add_error("recipients", error)
                return page(request, "staff/issue.html", {"form": form}, status=400)
        else:
            upload = data["file"]
            content, filename = None, upload.name
        try:
            job = bulk.bulk_job_create(
                achievement=achievement,
                filename=filename,
                actor=request.user,
                **({"data": content} if content is not None else {"uploaded_file": upload}),
            )
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error("file" if data["mode"] == "csv" else "recipients", error)
            return page(request, "staff/issue.html", {"form": form}, status=400)
        if job.state not in (BulkJob.State.READY, BulkJob.State.INVALID):
            messages.warning(request, _("These recipients were sent before: this is that job. Nothing new was issued."))
        return redirect("staff:job", programme=programme.slug, pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return page(request, "staff/issue.html", {"form": form}, status=status)


def _preview_context(achievement, award) -> dict:
    return {
        "achievement": achievement,
        "email_preview": previews.claim_email(award),
        "preview_query": {
            "achievement": achievement.pk,
            "name": award.recipient_name,
            "language": award.recipient_language,
        },
    }


def _preview_one(request, programme, achievement, *, name, email, language, organisation):
    award = previews.draft_award(achievement, name=name, email=email, language=language)
    confirm = {
        "achievement": achievement.pk,
        "name": name,
        "email": email,
        "language": language,
        "organisation": "1" if organisation else "",
        "token": uuid.uuid4().hex,
    }
    return page(
        request,
        "staff/issue_preview.html",
        {**_preview_context(achievement, award), "confirm": confirm, "recipient": award},
    )


@console_view(ISSUE)
def issue_confirm(request, programme):
    if request.method != "POST":
        return redirect("staff:issue", programme=programme.slug)
    form = ConfirmOneForm(request.POST, programme=programme)
    fields = ("achievement", "name", "email", "language", "organisation")
    typed = {key: request.POST.get(key, "")[:200] for key in fields}
    back = reverse("staff:issue", kwargs={"programme": programme.slug}) + "?" + urlencode({"mode": "one", **typed})
    if not form.is_valid():
        messages.error(
            request,
            _(
                "The preview is out of date or the achievement can no longer be issued: "
                "check the details and preview again."
            ),
        )
        return redirect(back)
    data = form.cleaned_data
    try:
        award = award_issue(
            achievement=data["achievement"],
            recipient=Recipient(
                email=data["email"],
                name=data["name"],
                language=data["language"],
                kind="organisation" if data["organisation"] else "person",
                idempotency_key=f"console:{data['token']}",  # a second click issues nothing more
            ),
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(
        request,
        _("Issued “%(achievement)s” to %(name)s: the claim email is on its way.")
        % {"achievement": award.achievement.name, "name": award.recipient_name},
    )
    return redirect("staff:award", programme=programme.slug, public_id=award.public_id)


def _preview_award(request, programme):
    """The unsaved award of a preview request (?achievement=&name=&language=), or 404."""
    achievement_id = request.GET.get("achievement", "")
    achievement = (
        publishable_achievements(programme).filter(pk=achievement_id).first() if achievement_id.isdigit() else None
    )
    if achievement is None:
        raise Http404(_("No such published achievement in this programme."))
    return previews.draft_award(
        achievement, name=request.GET.get("name", "")[:200], language=request.GET.get("language", "")[:10]
    )


@xframe_options_sameorigin
@console_view(ISSUE)
def certificate_preview(request, programme):
    """The certificate page exactly as drawn into the PDF, framed by the preview (its own styles, sandboxed)."""
    award = _preview_award(request, programme)
    if not award.achievement.has_certificate:
        raise Http404(_("This achievement is published as a badge: it has no certificate."))
    response = HttpResponse(previews.certificate_html(award))
    response["Content-Security-Policy"] = PREVIEW_POLICY
    return response


@console_view(ISSUE)
def certificate_preview_pdf(request, programme):
    award = _preview_award(request, programme)
    if not award.achievement.has_certificate:
        raise Http404(_("This achievement is published as a badge: it has no certificate."))
    response = HttpResponse(previews.certificate_pdf(award), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
    return response


def job_url(programme, job) -> str:
    return reverse("staff:job", kwargs={"programme": programme.slug, "pk": job.pk})
