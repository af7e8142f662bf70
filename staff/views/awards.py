"""Awards of a programme: search, filter, sort, paginate, export; one award with its actions; bulk revoke."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from credentials.bulk.selectors import cell
from credentials.links import absolute
from credentials.services import award_reissue, award_revoke
from credentials.workflow import award_resend_claim

from .. import selectors
from ..context import console_view
from ..forms import AwardFilterForm, ReasonForm, ReissueForm
from .common import csv_response, page, paginate, query_without_page

VIEW = "credentials.view_award"
REVOKE = "credentials.revoke_award"
MAX_SELECTED = 500


@console_view(VIEW)
def awards(request, programme):
    form = AwardFilterForm(request.GET or None, programme=programme)
    awards = selectors.award_list(programme, **form.filters())
    return page(
        request,
        "staff/awards.html",
        {
            "form": form,
            "page_obj": paginate(request, awards),
            "query": query_without_page(request),
            "can_revoke": request.console.can(REVOKE),
            "reason_form": ReasonForm(),
        },
    )


EXPORT_HEADER = [
    "credential_id",
    "recipient_name",
    "recipient_email",
    "recipient_kind",
    "achievement",
    "state",
    "issued_at",
    "expires_at",
    "verify_url",
]


@console_view(VIEW)
def awards_export(request, programme):
    form = AwardFilterForm(request.GET or None, programme=programme)
    awards = selectors.award_list(programme, **form.filters())

    def rows():
        yield EXPORT_HEADER
        for award in awards.iterator(chunk_size=2000):
            yield [
                award.public_id,
                cell(award.recipient_name),
                cell(award.recipient_email),
                award.recipient_kind,
                cell(award.achievement.name),
                award.effective_state,
                award.issued_at.isoformat(),
                award.expires_at.isoformat() if award.expires_at else "",
                absolute("verify_page", public_id=award.public_id),
            ]

    return csv_response(rows(), f"{programme.slug}-awards.csv")


def _award(programme, public_id):
    award = selectors.award_in_programme(programme, public_id)
    if award is None:
        raise Http404(_("No such credential in this programme."))
    return award


@console_view(VIEW)
def award_detail(request, programme, public_id):
    award = _award(programme, public_id)
    console = request.console
    return page(
        request,
        "staff/award.html",
        {
            "award": award,
            "emails": selectors.award_emails(award),
            "can_revoke": console.can(REVOKE) and not award.is_revoked,
            "can_reissue": console.can(REVOKE) and console.can("credentials.add_award") and not award.is_revoked,
            "can_resend": console.can("credentials.resend_claim") and award.effective_state == "issued",
            "revoke_form": ReasonForm(prefix="revoke"),
            "reissue_form": ReissueForm(
                prefix="reissue",
                initial={"recipient_name": award.recipient_name, "recipient_email": award.recipient_email},
            ),
        },
    )


def _back(programme, award):
    return redirect("staff:award", programme=programme.slug, public_id=award.public_id)


@console_view("credentials.resend_claim")
@require_POST
def award_resend(request, programme, public_id):
    award = _award(programme, public_id)
    try:
        award_resend_claim(award=award, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The claim email is on its way to %(email)s.") % {"email": award.recipient_email})
    return _back(programme, award)


@console_view(REVOKE)
@require_POST
def award_revoke_view(request, programme, public_id):
    award = _award(programme, public_id)
    form = ReasonForm(request.POST, prefix="revoke")
    if not form.is_valid():
        messages.error(request, _("Say why the credential is revoked; verifiers will read it."))
        return _back(programme, award)
    try:
        award_revoke(award=award, reason=form.cleaned_data["reason"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Revoked. Verifiers now see it as revoked, with your reason."))
    return _back(programme, award)


@console_view(REVOKE)
@require_POST
def award_reissue_view(request, programme, public_id):
    award = _award(programme, public_id)
    if not request.console.can("credentials.add_award"):
        raise PermissionDenied(_("Reissuing issues a new credential: your role does not allow it."))
    form = ReissueForm(request.POST, prefix="reissue")
    if not form.is_valid():
        messages.error(request, _("Say why the credential is corrected, and give a valid name and email."))
        return _back(programme, award)
    changes = {
        key: value.strip()  # Recipient fields: name, email
        for key, field in (("name", "recipient_name"), ("email", "recipient_email"))
        if (value := form.cleaned_data.get(field) or "") and value.strip() != getattr(award, field)
    }
    try:
        new = award_reissue(award=award, reason=form.cleaned_data["reason"], actor=request.user, **changes)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(programme, award)
    messages.success(request, _("Reissued: the old credential is revoked and this one replaces it."))
    return _back(programme, new)


@console_view(REVOKE)
@require_POST
def awards_revoke(request, programme):
    """Revoke the selected awards of this programme with one reason (each in its own transaction)."""
    form = ReasonForm(request.POST)
    ids = [value for value in request.POST.getlist("ids") if value.isdigit()][:MAX_SELECTED]
    back = request.POST.get("back", "").replace("\r", "").replace("\n", "")  # the list's filters, kept
    target = redirect(reverse("staff:awards", kwargs={"programme": programme.slug}) + (f"?{back}" if back else ""))
    if not ids:
        messages.error(request, _("Select the credentials to revoke first."))
        return target
    if not form.is_valid():
        messages.error(request, _("Say why the credentials are revoked; verifiers will read it."))
        return target
    revoked, refused = 0, []
    for award in selectors.awards_of(programme).filter(pk__in=ids).select_related("achievement"):
        try:
            award_revoke(award=award, reason=form.cleaned_data["reason"], actor=request.user)
            revoked += 1
        except ValidationError as exc:
            refused.append(f"{award.public_id}: {' '.join(exc.messages)}")
    if revoked:
        messages.success(
            request,
            ngettext("Revoked %(count)d credential.", "Revoked %(count)d credentials.", revoked) % {"count": revoked},
        )
    for problem in refused[:20]:
        messages.error(request, problem)
    return target
