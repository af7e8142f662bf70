"""Public pages and machine-readable forms of issuers, achievements and awards. Thin: selectors in,
services for writes, documents for JSON."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from frameworks.svg import SVG_POLICY
from multilingual.text import in_language

from . import claims, documents, languages, links, selectors, services
from .artifacts import images
from .openbadges import did_web_document, shapes
from .openbadges.keys import did_web_from_url
from .tokens import TokenError, claim_tokens
from .verification import MAX_INPUT_BYTES, Report, page_cache, verify_award, verify_untrusted

LD_JSON = "application/ld+json"
VC_JSON = "application/vc+ld+json"
MAX_VERIFY_UPLOAD = MAX_INPUT_BYTES  # 2 MB: a credential, a baked image or a link
MAX_VERIFY_BODY = MAX_VERIFY_UPLOAD + 64 * 1024  # room for a multipart envelope and the email field


def _json(data: dict, content_type: str = LD_JSON, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type=content_type, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _wants(request) -> str:
    """'html', 'ob3' or 'ob2' from the Accept header (HTML wins when a browser asks)."""
    accept = request.headers.get("Accept", "")
    if "text/html" in accept or not accept:
        return "html"
    if VC_JSON in accept:
        return "ob3"
    if LD_JSON in accept or "application/json" in accept:
        return "ob2"
    return "html"


# --- awards -----------------------------------------------------------------------------------------


@page_cache.cached(when=lambda request: _wants(request) == "html")
def verify_page(request, public_id: str):
    award = selectors.award_by_public_id(public_id)
    wanted = _wants(request)
    if wanted == "ob3":
        return _json(award.credential, VC_JSON)
    if wanted == "ob2":
        return _json(documents.ob2_assertion(award, endorsements=selectors.award_endorsement_urls(award)))
    report = verify_award(award)
    extra = {}
    from .signals import verification_page_context, verification_page_viewed

    verification_page_viewed.send(sender=type(award), award_id=award.pk, request=request)
    for _receiver, context in verification_page_context.send(sender=type(award), award=award, request=request):
        extra.update(context or {})
    response = render(
        request,
        "credentials/verify_page.html",
        {
            "award": award,
            # The achievement's texts in the visitor's language when translated (else the original); the
            # signed credential's own language is named on the page.
            "achievement": in_language(award.achievement),
            "signed_language_note": languages.signed_language_note(award),
            "image_language": languages.visitor_image_language(award.achievement),
            "issuer": award.achievement.issuer,
            "report": report,
            "links": links.award_links(award),
            **extra,
        },
    )
    return page_cache.remember(response, award, moments=(award.expires_at, award.valid_from))


def ob2_assertion(request, public_id: str):
    award = selectors.award_by_public_id(public_id)
    return _json(documents.ob2_assertion(award, endorsements=selectors.award_endorsement_urls(award)))


def ob3_credential(request, public_id: str):
    award = selectors.award_by_public_id(public_id)
    response = _json(award.credential, VC_JSON)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{award.achievement.slug}-{public_id}.json"'
    return response


@cache_control(public=True, max_age=300)
def baked_png(request, public_id: str, version: str):
    """The badge image with the award baked in: "all" (2.0 assertion and 3.0 credential, /badge.png), "ob3" or
    "ob2". A revoked award's image is marked REVOKED; its baked data stays for verifiers."""
    if version not in images.PNG_VERSIONS:
        raise Http404("No such image")
    award = selectors.award_by_public_id(public_id)
    assertion = documents.ob2_assertion(award) if version != "ob3" else None
    response = HttpResponse(images.baked_png(award, version=version, assertion=assertion), content_type="image/png")
    if request.GET.get("download"):
        name = award.achievement.slug if version == "all" else f"{award.achievement.slug}-{version}"
        response["Content-Disposition"] = f'attachment; filename="{name}.png"'
    return response


@cache_control(public=True, max_age=300)
def baked_svg(request, public_id: str):
    award = selectors.award_by_public_id(public_id)
    svg = images.baked_svg(award, assertion=documents.ob2_assertion(award))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = SVG_POLICY
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{award.achievement.slug}.svg"'
    return response


def certificate_pdf(request, public_id: str):
    from .artifacts.pdf import certificate_pdf_file

    award = selectors.award_by_public_id(public_id)
    if not award.achievement.has_certificate:
        raise Http404(_("This credential is a badge: it has no certificate."))
    handle = certificate_pdf_file(award)
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=bool(request.GET.get("download")),
        filename=f"{award.achievement.slug}-{public_id}.pdf",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def claim(request, public_id: str, token: str):
    """Accept or decline a credential from the claim link. An app that runs its own claim flow (the learner
    wallet) registered it in credentials.claims: links sent before it existed continue there."""
    award = selectors.award_by_public_id(public_id)
    if award.is_revoked:
        return render(request, "credentials/claim_refused.html", {"award": award, "reason": "revoked"}, status=400)
    try:
        claim_tokens.check_token(award, token)
    except TokenError as exc:
        return render(request, "credentials/claim_refused.html", {"award": award, "reason": exc.reason}, status=400)
    if request.method == "GET":
        flow = claims.claim_path(public_id, token)
        if flow:
            return redirect(flow)
        return render(
            request, "credentials/claim.html", {"award": award, "achievement": in_language(award.achievement)}
        )
    answer = request.POST.get("answer")
    user = request.user
    done = claims.answer_award(
        request,
        answer,
        accept=lambda: services.award_accept(award=award, actor=user),
        decline=lambda: services.award_decline(award=award, actor=user),
    )
    if done:
        from .signals import claim_answered

        claim_answered.send(sender=type(award), award=award, user=user, answer=answer)
        if answer == "accept" and getattr(user, "is_authenticated", False):
            return redirect(claims.holder_path(award, user) or award.get_absolute_url())
    return redirect(award.get_absolute_url())


# --- status lists, issuers, achievements ------------------------------------------------------------


def status_list(request, pk: int):
    def build() -> bytes:
        signed = services.status_list_signed(selectors.status_list_by_pk(pk))
        return json.dumps(signed, ensure_ascii=False, indent=2).encode()

    return page_cache.status_list_response(request, pk, build)


def issuer_page(request, slug: str):
    issuer = selectors.issuer_by_slug(slug)
    if _wants(request) in ("ob2", "ob3"):
        return _json(documents.ob2_issuer(issuer))
    achievements = issuer.achievements.filter(is_active=True).select_related("tier", "category")
    achievements = [in_language(achievement) for achievement in achievements]  # the visitor's language
    return render(
        request,
        "credentials/issuer.html",
        {"issuer": issuer, "achievements": achievements, "keys": selectors.issuer_keys(issuer)},
    )


def ob2_issuer(request, slug: str):
    return _json(documents.ob2_issuer(selectors.issuer_by_slug(slug)))


def issuer_did(request, slug: str):
    issuer = selectors.issuer_by_slug(slug)
    did = did_web_from_url(settings.BASE_URL, f"issuers/{slug}")
    keys = [(key.did.removeprefix("did:key:"), bytes(key.public_key)) for key in selectors.issuer_keys(issuer)]
    document = did_web_document(did, keys)
    document["alsoKnownAs"] = [key.did for key in selectors.issuer_keys(issuer)]
    return _json(document, "application/did+ld+json")


def issuer_image(request, slug: str):
    issuer = selectors.issuer_by_slug(slug)
    if not issuer.image:
        raise Http404
    return FileResponse(issuer.image.open("rb"))


def achievement_page(request, slug: str):
    achievement = selectors.achievement_by_slug(slug)
    if _wants(request) in ("ob2", "ob3"):
        return _json(documents.ob2_badge_class(achievement, languages.requested_language(request, achievement)))
    from .signals import achievement_page_context

    context = {}
    # other apps add to the page (the applications app: "Apply for this credential" when its route is open)
    for _receiver, extra in achievement_page_context.send(
        sender=type(achievement), achievement=achievement, request=request
    ):
        context.update(extra or {})
    context["achievement"] = in_language(achievement)
    return render(request, "credentials/achievement.html", context)


def ob2_badge_class(request, slug: str):
    """The hosted 2.0 BadgeClass; `?lang=fr` gives its French version (what a French award links to)."""
    achievement = selectors.achievement_by_slug(slug)
    return _json(documents.ob2_badge_class(achievement, languages.requested_language(request, achievement)))


@cache_control(public=True, max_age=3600)
def achievement_image(request, slug: str):
    """The achievement's image; `?lang=fr` draws its French name (what a French award's credential links to)."""
    achievement = selectors.achievement_by_slug(slug)
    lang = languages.requested_language(request, achievement)
    return HttpResponse(images.achievement_png(achievement, lang), content_type="image/png")


def achievement_image_at(request, slug: str, digest: str):
    """The achievement image at its content address (`?lang=fr`: drawn in French, as achievement_image): kept for
    a year by browsers and CDNs (`immutable`); an outdated address redirects to the current one."""
    achievement = selectors.achievement_by_slug(slug)
    lang = languages.requested_language(request, achievement)
    current = images.achievement_png_digest(achievement, lang)
    if digest != current:
        url = reverse("credentials:achievement_image_at", kwargs={"slug": slug, "digest": current})
        return redirect(f"{url}?lang={lang}" if request.GET.get("lang") else url)
    response = HttpResponse(images.achievement_png(achievement, lang), content_type="image/png")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# --- verify anything --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def verify_anything(request):
    report, text, email, error, status = None, "", "", "", 200
    if request.method == "POST":
        upload = None
        try:
            text = request.POST.get("credential", "")
            email = request.POST.get("email", "").strip()
            upload = request.FILES.get("file")
        except RequestDataTooBig:  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE
            status = 413
            error = _("The form is larger than %(mb)s MB.") % {"mb": MAX_VERIFY_UPLOAD // (1024 * 1024)}
        except (MultiPartParserError, SuspiciousOperation):  # a malformed form, too many fields
            error = _("The form could not be read; send it again.")
        if error:
            text = ""
        elif upload is not None:
            if upload.size > MAX_VERIFY_UPLOAD:
                error = _("The file is larger than %(mb)s MB.") % {"mb": MAX_VERIFY_UPLOAD // (1024 * 1024)}
            else:
                report = verify_untrusted(upload.read(), email=email)
        elif text.strip():
            report = verify_untrusted(text, email=email)
        else:
            error = _("Paste a credential or a link, or choose a badge image.")
    if status == 200 and (error or (report and report.problem)):
        status = 400
    return render(
        request,
        "credentials/verify.html",
        {"report": report, "text": text, "email": email, "error": error},
        status=status,
    )


class _ApiInputError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def _api_report(report: Report, status: int | None = None) -> JsonResponse:
    """The JSON answer of /api/verify, for results and errors alike (errors: `problem` says why)."""
    return JsonResponse(
        {
            "valid": report.valid,
            "kind": report.kind,
            "problem": report.problem,
            "name": report.name,
            "issuer": report.issuer_name,
            "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in report.checks],
        },
        status=status or (400 if report.problem else 200),
        json_dumps_params={"ensure_ascii": False},
    )


def _too_large() -> _ApiInputError:
    return _ApiInputError(
        _("The request is larger than %(mb)s MB: send the credential, its image or its link.")
        % {"mb": MAX_VERIFY_UPLOAD // (1024 * 1024)},
        413,
    )


def _api_input(request) -> tuple[bytes | str, str]:
    """What to verify and the email to check, from a multipart form (`file` or `credential`, `email`),
    a JSON body (a credential, or {"url": ..., "email": ...}) or any other body (the bytes themselves)."""
    email = request.GET.get("email", "")
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        email = request.POST.get("email", email)
        if upload is None:
            return request.POST.get("credential", ""), email
        if upload.size > MAX_VERIFY_UPLOAD:
            raise _too_large()
        return upload.read(), email
    body = request.body
    if len(body) > MAX_VERIFY_UPLOAD:
        raise _too_large()
    if request.content_type == "application/json" and body.lstrip().startswith(b"{"):
        try:
            wrapper = shapes.parse_json(body)
        except ValueError:  # not JSON, or too deep: the verifier says which
            return body, email
        if isinstance(wrapper, dict) and "url" in wrapper and set(wrapper) <= {"url", "email"}:
            if not isinstance(wrapper["url"], str) or not isinstance(wrapper.get("email", ""), str):
                raise _ApiInputError(_('"url" and "email" must be strings.'))
            return wrapper["url"], wrapper.get("email") or email
    return body, email


@csrf_exempt  # Safe: verifying reads what is sent and changes nothing (no session, no account, no write),
# so a forged cross-site request gains nothing; scripts call it without a CSRF token.
def api_verify(request):
    """Verify a credential for scripts: POST the credential (raw bytes: JSON, a baked PNG or SVG, or a link),
    a JSON object {"url": ..., "email": ...}, or a multipart form with `file` (or `credential`) and `email`
    (also accepted as ?email=). At most MAX_VERIFY_UPLOAD (2 MB) of credential; bodies over that answer 413.
    Always JSON: {"valid", "kind", "problem", "name", "issuer", "checks"}; 400 with `problem` for input that
    cannot be read, 405 for other methods, 413 when too large."""
    if request.method != "POST":
        response = _api_report(Report(problem=_("POST the credential to verify.")), 405)
        response["Allow"] = "POST"
        return response
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    try:
        if declared > MAX_VERIFY_BODY:  # refused before anything is read
            raise _too_large()
        data, email = _api_input(request)
    except _ApiInputError as exc:
        return _api_report(Report(problem=exc.message), exc.status)
    except RequestDataTooBig:
        return _api_report(Report(problem=_too_large().message), 413)
    except (MultiPartParserError, SuspiciousOperation, UnreadablePostError):
        return _api_report(Report(problem=_("The request body could not be read.")), 400)
    return _api_report(verify_untrusted(data, email=email.strip()))
