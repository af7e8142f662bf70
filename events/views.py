"""Public pages of events: enter a code, ask for the credential, confirm by the emailed link, print the poster.
Thin: parse, call a selector or a service, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from credentials.links import claim_url
from multilingual.text import in_language

from . import selectors, services
from .forms import HONEYPOT, ClaimForm, CodeForm
from .links import event_url, qr_svg
from .models import Event
from .tokens import TokenError


def _unknown_code(request, code: str):
    form = CodeForm({"code": code})
    form.is_valid()
    form.add_error("code", _("No event has the code “%(code)s”. Check it and try again.") % {"code": code[:32]})
    return render(request, "events/enter.html", {"form": form}, status=404)


@require_GET
def enter(request):
    """Type the event's code (a GET form: the answer is the event's page)."""
    if "code" not in request.GET:
        return render(request, "events/enter.html", {"form": CodeForm()})
    form = CodeForm(request.GET)
    if not form.is_valid():
        return render(request, "events/enter.html", {"form": form}, status=400)
    code = form.cleaned_data["code"]
    event = selectors.event_by_code(code)
    if event is None:
        return _unknown_code(request, code)
    return redirect(event)


def _current_language() -> str:
    try:
        language = translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        language = settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@require_http_methods(["GET", "POST"])
def event(request, code: str):
    """The event's page: what it awards, the claim window and the form (name, email, language)."""
    event = selectors.event_by_code(code)
    if event is None:
        return _unknown_code(request, code)
    if request.method == "GET" and code != event.code:  # /events/abcd-2345/ → /events/ABCD2345/
        return redirect(event)
    # The event and its credential in the visitor's language when translated (else the original texts).
    context = {"event": in_language(event), "achievement": in_language(event.achievement), "refusal": ""}
    if request.method == "GET":
        form = ClaimForm(initial={"language": _current_language()})
        return render(request, "events/event.html", {**context, "form": form, "status": _status(event)})

    form = ClaimForm(request.POST)
    if request.POST.get(HONEYPOT):
        form.is_valid()
        form.add_error(None, _("This request looks automated, so it was not sent. If you are a person, leave "
                               "the field “Leave this field empty” empty and send the form again."))  # fmt: skip
        return render(request, "events/event.html", {**context, "form": form, "status": _status(event)}, status=400)
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.event_claim_request(
                event=event, email=data["email"], name=data["name"], language=data["language"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                context["refusal"] = exc.error_list[0].code or ""
                form.add_error(None, exc)
        else:
            return render(
                request,
                "events/sent.html",
                {
                    **context,
                    "claim": claim,
                    "days": settings.EVENT_CONFIRM_DAYS,
                    "resend_minutes": int(services.RESEND_AFTER.total_seconds() // 60),
                },  # fmt: skip
            )
    return render(request, "events/event.html", {**context, "form": form, "status": _status(event)}, status=400)


def _status(event: Event) -> str:
    return event.status(confirmed=getattr(event, "confirmed_count", None))


def _refused(request, reason: str, *, event=None, claim=None):
    context = {"reason": reason, "event": event, "claim": claim}
    return render(request, "events/refused.html", context, status=400)


@never_cache
@require_GET
def confirm(request, code: str, claim_id: int, token: str):
    """The link of the confirmation email: issue the credential and continue to its claim page, where the
    attendee accepts it into their wallet. A used, expired or forged link gets a page saying which."""
    claim = selectors.claim_for_confirmation(code=code, claim_id=claim_id)
    if claim is None:
        return _refused(request, "forged")
    try:
        claim = services.event_claim_confirm(claim=claim, token=token)
    except TokenError as exc:
        return _refused(request, exc.reason, event=claim.event, claim=claim)
    except ValidationError as exc:
        reason = exc.error_list[0].code if not hasattr(exc, "error_dict") else "invalid"
        return _refused(request, reason or "invalid", event=claim.event, claim=claim)
    messages.success(request, _("Your email address is confirmed and your credential has been issued. "
                                "Accept it to keep it in your wallet."))  # fmt: skip
    return redirect(claim_url(claim.award))


@require_GET
def poster(request, code: str):
    """A printable A4 poster: the QR code of the event's page, its code in large letters, short instructions."""
    event = selectors.event_by_code(code)
    if event is None:
        return _unknown_code(request, code)
    if code != event.code:
        return redirect("events:poster", code=event.code)
    url = event_url(event)
    context = {
        "event": in_language(event),
        "achievement": in_language(event.achievement),
        "event_url": url,
        "enter_url": settings.BASE_URL + reverse("events:enter"),
        "qr_svg": qr_svg(url, title=_("QR code of the event's page")),
    }
    return render(request, "events/poster.html", context)
