"""Wallet pages. Thin: parse, call a selector or a service, render. Refusals are pages that say why."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_POST

from credentials import selectors as credential_selectors
from credentials.links import award_links
from credentials.models import Award
from credentials.tokens import TokenError, claim_tokens
from credentials.verification import verify_award

from . import selectors, services, sharing, uploads
from .forms import (
    ClaimAccountForm,
    CollectionForm,
    DeleteAccountForm,
    EndorseForm,
    EndorsementRequestForm,
    EvidenceForm,
    FilterForm,
    ImportForm,
    ProfileForm,
)
from .models import ShareEvent
from .tokens import endorsement_tokens

ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
# Content-Security-Policy of learners' files (evidence, imported badge images): nothing loads or runs, sandboxed.
FILE_POLICY = "default-src 'none'; sandbox"
# The embeddable widget, framed by any site: our stylesheet and the badge image, nothing runs, no forms.
EMBED_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *"
)


class RedirectAnyScheme(HttpResponseRedirect):
    allowed_schemes = ["http", "https", "mailto"]


def _refused(request, message: str, *, status: int = 403, title: str = "", link=None):
    return render(
        request,
        "wallets/refused.html",
        {"message": message, "title": title or _("You cannot see this"), "link": link},
        status=status,
    )


def _not_in_wallet(request, public_id: str):
    return _refused(
        request,
        _(
            "This credential is not in your wallet. Credentials sent to an address you have not verified do not "
            "appear here: add and verify the address under “Email addresses”."
        ),
        link=(
            reverse("credentials:verify_page", kwargs={"public_id": public_id}),
            _("See the credential's public verification page"),
        ),
    )


def holder_only(view):
    """A view of one credential of the signed-in learner's wallet: anyone else gets the clear refusal page."""

    @wraps(view)
    def wrapper(request, public_id: str, *args, **kwargs):
        try:
            return view(request, public_id, *args, **kwargs)
        except selectors.NotInWallet:
            return _not_in_wallet(request, public_id)

    return wrapper


def _bound(request) -> tuple:
    """Form data for a POST (even an empty one, so that it is validated), nothing for a GET."""
    return (request.POST,) if request.method == "POST" else (None,)


def _errors(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _apply(form, exc: ValidationError) -> None:
    for field, errors in _errors(exc).items():
        form.add_error(None if field == "__all__" or field not in form.fields else field, errors)


# --- the wallet -------------------------------------------------------------------------------------


@login_required
def home(request):
    raw = {name: request.GET.get(name, "")[:100] for name in ("q", "kind", "state", "group")}
    if raw["kind"] not in ("", "certificate", "badge", "external"):
        raw["kind"] = ""
    if raw["state"] not in ("", *selectors.FILTER_STATES):
        raw["state"] = ""
    data = selectors.wallet(request.user, **raw)
    form = FilterForm(request.GET or None, groups=data.group_choices)
    filtered = any(raw.values())
    return render(request, "wallets/home.html", {"wallet": data, "form": form, "filtered": filtered})


def _detail_context(request, view, *, evidence_form=None, endorsement_form=None) -> dict:
    award = view.award
    links = award_links(award)
    verify_url = links["verify_url"]
    return {
        "view": view,
        "award": award,
        "achievement": award.achievement,
        "issuer": award.achievement.issuer,
        "report": verify_award(award),
        "links": links,
        "state": award.effective_state,
        "evidence_form": evidence_form or EvidenceForm(),
        "endorsement_form": endorsement_form or EndorsementRequestForm(),
        "linkedin_url": reverse("wallets:share", kwargs={"public_id": award.public_id, "channel": "linkedin_profile"}),
        "share_links": sharing.share_links(award),
        "signature_html": sharing.email_signature(award),
        "signature_preview": sharing.email_signature(award, inline_styles=False),
        "embed_snippet": sharing.embed_snippet(award),
        "embed_url": sharing.embed_url(award),
        "qr_svg": sharing.qr_svg(verify_url, title=_("QR code of the verification page")),
        "exchange": selectors.exchange_offer(award, request_origin=f"{request.scheme}://{request.get_host()}"),
        "share_total": sum(view.share_counts.values()),
        "max_mb": uploads.MAX_EVIDENCE_BYTES // (1024 * 1024),
    }


@login_required
@holder_only
def detail(request, public_id: str):
    view = selectors.holder_view(request.user, public_id)
    return render(request, "wallets/detail.html", _detail_context(request, view))


def _owned(request, public_id: str) -> Award:
    return selectors.award_owned_by(request.user, public_id)


@login_required
@require_POST
@holder_only
def answer(request, public_id: str):
    """Accept or decline from the wallet (the verified address proves the recipient; no token needed)."""
    award = _owned(request, public_id)
    choice = request.POST.get("answer")
    try:
        if choice == "accept":
            services.claim_accept(award=award, user=request.user)
            messages.success(request, _("You accepted this credential."))
        elif choice == "decline":
            services.claim_decline(award=award, user=request.user)
            messages.info(request, _("You declined this credential. The issuer has been told."))
        else:
            messages.error(request, _("Choose accept or decline."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("wallets:detail", public_id=public_id)


@login_required
@require_POST
@holder_only
def visibility(request, public_id: str):
    award = _owned(request, public_id)
    is_public = request.POST.get("public") == "1"
    try:
        services.wallet_entry_set_visibility(user=request.user, award=award, is_public=is_public)
        messages.success(
            request,
            _(
                "This credential is now public: it appears on your profile, with your evidence and endorsements on "
                "its verification page."
            )
            if is_public
            else _("This credential is now private. Its verification page still confirms it to anyone with the link."),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("wallets:detail", public_id=public_id)


# --- evidence ---------------------------------------------------------------------------------------


@login_required
@require_POST
@holder_only
def evidence_add(request, public_id: str):
    view = selectors.holder_view(request.user, public_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                user=request.user,
                award=view.award,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                narrative=form.cleaned_data["narrative"],
                url=form.cleaned_data["url"],
                upload=form.cleaned_data.get("file"),
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Your evidence was added."))
            return redirect(reverse("wallets:detail", kwargs={"public_id": public_id}) + "#evidence-heading")
    context = _detail_context(request, view, evidence_form=form)
    context["focus_evidence"] = True
    return render(request, "wallets/detail.html", context, status=400)


@login_required
@require_POST
def evidence_change(request, public_id: str):
    action = request.POST.get("action")
    try:
        if action == "delete":
            services.evidence_delete(user=request.user, public_id=public_id)
            messages.success(request, _("The evidence was deleted."))
        else:
            item = services.evidence_set_visibility(user=request.user, public_id=public_id, is_public=action == "show")
            messages.success(
                request,
                _("The evidence is shown on the verification page.")
                if item.is_public
                else _("The evidence is now visible only to you."),
            )
    except ValidationError as exc:
        return _refused(request, " ".join(exc.messages))
    back = request.POST.get("back", "")
    if back.startswith("/wallet/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("wallets:home")


def evidence_file(request, public_id: str):
    try:
        item = selectors.evidence_for_download(request.user, public_id)
    except PermissionError:
        return _refused(
            request,
            _("This file is private: only the person who added it can open it."),
            title=_("This evidence is private"),
        )
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.content_type == "application/pdf",
        filename=item.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


# --- endorsements -----------------------------------------------------------------------------------


@login_required
@require_POST
@holder_only
def endorsement_request(request, public_id: str):
    view = selectors.holder_view(request.user, public_id)
    form = EndorsementRequestForm(request.POST)
    if form.is_valid():
        try:
            services.endorsement_request(
                user=request.user, award=view.award, language=request.LANGUAGE_CODE, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                _("We emailed %(name)s a link to endorse this credential.")
                % {"name": form.cleaned_data["endorser_name"]},
            )
            return redirect(reverse("wallets:detail", kwargs={"public_id": public_id}) + "#endorsements-heading")
    context = _detail_context(request, view, endorsement_form=form)
    context["focus_endorsement"] = True
    return render(request, "wallets/detail.html", context, status=400)


@login_required
@require_POST
def endorsement_visibility(request, public_id: str):
    try:
        item = services.endorsement_set_hidden(
            user=request.user, public_id=public_id, hidden=request.POST.get("action") == "hide"
        )
    except ValidationError as exc:
        return _refused(request, " ".join(exc.messages))
    messages.success(request, _("The endorsement is hidden.") if item.is_hidden else _("The endorsement is shown."))
    return redirect(reverse("wallets:detail", kwargs={"public_id": item.award.public_id}) + "#endorsements-heading")


def _endorse_refused(request, reason: str, endorsement=None):
    return render(request, "wallets/endorse_refused.html", {"reason": reason, "endorsement": endorsement}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def endorse(request, public_id: str, token: str):
    """The endorser's page (no account): a signed, expiring, single-use link from the request email."""
    endorsement = selectors.endorsement_for_token(public_id)
    if endorsement is None:
        return _endorse_refused(request, "forged")
    try:
        endorsement_tokens.check_token(endorsement, token)
    except TokenError as exc:
        return _endorse_refused(request, exc.reason, endorsement)
    if endorsement.award.is_revoked:
        return _endorse_refused(request, "revoked", endorsement)
    form = EndorseForm(initial={"endorser_name": endorsement.endorser_name})
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "decline":
                services.endorsement_decline(endorsement=endorsement)
                return render(request, "wallets/endorse_done.html", {"endorsement": endorsement, "declined": True})
            form = EndorseForm(request.POST)
            if form.is_valid():
                services.endorsement_give(endorsement=endorsement, **form.cleaned_data)
                return render(request, "wallets/endorse_done.html", {"endorsement": endorsement, "declined": False})
        except ValidationError as exc:
            _apply(form, exc)
    award = endorsement.award
    return render(
        request,
        "wallets/endorse.html",
        {"endorsement": endorsement, "award": award, "achievement": award.achievement, "form": form},
        status=400 if form.errors else 200,
    )


def _endorsement_json(data: dict, content_type: str) -> HttpResponse:
    import json

    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def endorsement_ob3(request, public_id: str):
    return _endorsement_json(selectors.endorsement_public(public_id).credential, "application/vc+ld+json")


def endorsement_ob2(request, public_id: str):
    from .documents import endorsement_ob2 as build

    return _endorsement_json(build(selectors.endorsement_public(public_id)), "application/ld+json")


# --- collections ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def collections(request):
    form = CollectionForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Collection “%(name)s” created.") % {"name": collection.name})
            return redirect("wallets:collection", public_id=collection.public_id)
    return render(
        request,
        "wallets/collections.html",
        {"collections": selectors.collections_of(request.user), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def collection(request, public_id: str):
    item = selectors.collection_for_owner(request.user, public_id)
    form = CollectionForm(initial={"name": item.name, "description": item.description, "is_public": item.is_public})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                form = CollectionForm(request.POST)
                if form.is_valid():
                    services.collection_update(user=request.user, collection=item, **form.cleaned_data)
                    messages.success(request, _("Collection saved."))
                    return redirect("wallets:collection", public_id=public_id)
            elif action == "delete":
                services.collection_delete(user=request.user, collection=item)
                messages.success(request, _("Collection deleted."))
                return redirect("wallets:collections")
            elif action in ("up", "down", "remove"):
                item_id = int(request.POST.get("item", "0") or 0)
                if action == "remove":
                    services.collection_remove(user=request.user, collection=item, item_id=item_id)
                else:
                    services.collection_move(user=request.user, collection=item, item_id=item_id, direction=action)
                return redirect(reverse("wallets:collection", kwargs={"public_id": public_id}) + f"#item-{item_id}")
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return render(
        request,
        "wallets/collection.html",
        {
            "collection": item,
            "cards": selectors.collection_items(item, public_only=False),
            "public_count": len(selectors.collection_items(item, public_only=True)),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def collection_add(request, public_id: str):
    """Add a credential (award or import) of the wallet to one of the learner's collections."""
    target = selectors.collection_for_owner(request.user, request.POST.get("collection", ""))
    try:
        if request.POST.get("kind") == "external":
            external = selectors.external_for_owner(request.user, public_id)
            services.collection_add(user=request.user, collection=target, external=external)
            back = external.get_absolute_url()
        else:
            award = _owned(request, public_id)
            services.collection_add(user=request.user, collection=target, award=award)
            back = reverse("wallets:detail", kwargs={"public_id": public_id})
    except selectors.NotInWallet:
        return _not_in_wallet(request, public_id)
    except ValidationError as exc:
        return _refused(request, " ".join(exc.messages))
    messages.success(request, _("Added to “%(name)s”.") % {"name": target.name})
    return redirect(back)


def collection_public(request, public_id: str):
    item = selectors.collection_public(public_id)
    is_owner = request.user.is_authenticated and item.user_id == request.user.pk
    if not item.is_public and not is_owner:
        raise Http404("No such collection")
    profile = getattr(item.user, "wallet_profile", None)
    return render(
        request,
        "wallets/collection_public.html",
        {
            "collection": item,
            "cards": selectors.collection_items(item, public_only=True),
            "profile": profile if profile and profile.is_public else None,
            "is_owner": is_owner,
        },
    )


# --- profile ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = services.profile_ensure(user=request.user)
    form = ProfileForm(
        *_bound(request),
        initial={
            "handle": profile.handle,
            "display_name": profile.display_name,
            "headline": profile.headline,
            "is_public": profile.is_public,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("wallets:profile_edit")
    return render(
        request, "wallets/profile_edit.html", {"profile": profile, "form": form}, status=400 if form.errors else 200
    )


def profile(request, handle: str):
    item, cards, public_collections = selectors.profile_public(handle)
    return render(request, "wallets/profile.html", {"profile": item, "cards": cards, "collections": public_collections})


# --- imports ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_credential(request):
    form = ImportForm(*_bound(request), files=request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("file"):
                raw = uploads.read_limited(data["file"], uploads.MAX_IMPORT_BYTES)
                item = services.external_credential_import(user=request.user, data=raw, source="file")
            elif data.get("url"):
                url = data["url"].strip()
                item = services.external_credential_import(user=request.user, data=url, source="url", source_url=url)
            else:
                item = services.external_credential_import(user=request.user, data=data["text"], source="text")
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("“%(name)s” was verified and added to your wallet.") % {"name": item.name})
            return redirect(item.get_absolute_url())
    return render(request, "wallets/import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def external(request, public_id: str):
    try:
        item = selectors.external_for_owner(request.user, public_id)
    except selectors.NotInWallet:
        return _refused(request, _("This imported credential is not in your wallet."))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            services.external_credential_delete(user=request.user, item=item)
            messages.success(request, _("The imported credential was removed from your wallet."))
            return redirect("wallets:home")
        services.external_credential_update(user=request.user, item=item, is_public=action == "public")
        messages.success(request, _("Saved."))
        return redirect(item.get_absolute_url())
    return render(
        request,
        "wallets/external.html",
        {"item": item, "collections": selectors.collections_of(request.user)},
    )


def external_image(request, public_id: str):
    item = selectors.external_or_none(public_id)
    if item is None or not item.image:
        raise Http404("No image")
    if not (item.is_public or (request.user.is_authenticated and item.user_id == request.user.pk)):
        return _refused(request, _("This image belongs to a private credential."))
    response = FileResponse(item.image.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    return response


# --- sharing ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def share(request, public_id: str, channel: str):
    """Record a share, then go to the network (GET: works without JavaScript). POST: a beacon from a copy
    button (link, signature, embed, QR) answered with 204."""
    award = credential_selectors.award_by_public_id(public_id)
    if channel not in ShareEvent.Channel.values:
        raise Http404("Unknown channel")
    if request.method == "POST":
        services.share_event_record(award=award, channel=channel, user=request.user)
        return HttpResponse(status=204)
    if channel not in sharing.REDIRECT_CHANNELS:
        raise Http404("This channel has no page to go to")
    services.share_event_record(award=award, channel=channel, user=request.user)
    return RedirectAnyScheme(sharing.channel_target(award, channel))


@xframe_options_exempt
def embed(request, public_id: str):
    """The embeddable widget: the only page that may be framed (by any site)."""
    award = credential_selectors.award_by_public_id(public_id)
    response = render(
        request,
        "wallets/embed.html",
        {
            "award": award,
            "achievement": award.achievement,
            "report": verify_award(award),
            "verify_url": sharing.verify_url(award),
        },
    )
    response["Content-Security-Policy"] = EMBED_POLICY
    return response


# --- claiming ---------------------------------------------------------------------------------------


def _claim_refused(request, reason: str, award=None, status: int = 400):
    return render(request, "credentials/claim_refused.html", {"award": award, "reason": reason}, status=status)


def _claim_token_refused(request, exc: TokenError, award: Award, user):
    if exc.reason == "used" and user and selectors.holds(user, award):
        messages.info(request, _("This credential is already in your wallet."))
        return redirect("wallets:detail", public_id=award.public_id)
    return _claim_refused(request, exc.reason, award)


@never_cache
@require_http_methods(["GET", "POST"])
def claim(request, public_id: str, token: str):
    """Accept or decline from the claim email. Signed in: into the wallet, and a credential sent to an address
    that is not one of the account's verified addresses only after the learner explicitly adds that address
    (mode "add_address"). Not signed in, no account yet: create one in the same step (the link proves the
    address). A used, expired or forged link gets a page saying so; the services check the link again under
    the award's lock, so of concurrent answers one wins and the others get what they would get afterwards."""
    award = selectors.award_or_none(public_id)
    if award is None:
        return _claim_refused(request, "forged")
    if award.is_revoked:
        return _claim_refused(request, "revoked", award)
    user = request.user if request.user.is_authenticated else None
    try:
        claim_tokens.check_token(award, token)
    except TokenError as exc:
        return _claim_token_refused(request, exc, award, user)
    owner = selectors.address_owner(award.recipient_email)
    if user and owner and owner.pk != user.pk:
        return _claim_refused(request, "other_account", award, status=403)
    mode = "sign_in" if owner else "new"
    if user:
        mode = "mine" if selectors.holds(user, award) else "add_address"
    form = ClaimAccountForm(initial={"display_name": award.recipient_name}, email=award.recipient_email)
    if request.method == "POST":
        choice = request.POST.get("answer")
        try:
            if choice == "decline":
                services.claim_decline(award=award, user=user, token=token)
                messages.info(request, _("You declined this credential. The issuer has been told."))
                return redirect(award.get_absolute_url())
            if (choice == "accept" and mode == "mine") or (choice == "add_address" and mode == "add_address"):
                services.claim_accept(award=award, user=user, token=token, add_address=choice == "add_address")
                messages.success(request, _("You accepted this credential. It is in your wallet."))
                return redirect("wallets:detail", public_id=public_id)
            if choice == "accept" and not user:
                services.claim_accept_without_account(award=award, token=token)
                messages.success(
                    request,
                    _("You accepted this credential. Sign in or sign up with %(email)s to keep it in a wallet.")
                    % {"email": award.recipient_email},
                )
                return redirect(award.get_absolute_url())
            if choice == "create" and mode == "new":
                form = ClaimAccountForm(request.POST, email=award.recipient_email)
                if form.is_valid():
                    new_user = services.claim_account_create(
                        award=award,
                        password=form.cleaned_data["password1"],
                        display_name=form.cleaned_data["display_name"],
                        token=token,
                    )
                    login(request, new_user, backend=ALLAUTH_BACKEND)
                    messages.success(request, _("Welcome! Your wallet is ready and this credential is in it."))
                    return redirect("wallets:detail", public_id=public_id)
            elif mode == "add_address":
                messages.error(
                    request,
                    _("Nothing was added to your account. Choose “Add the address and accept” to keep this "
                      "credential in your wallet."),
                )  # fmt: skip
            else:
                messages.error(request, _("Choose accept or decline."))
        except TokenError as exc:
            return _claim_token_refused(request, exc, award, user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        status = 400
    else:
        status = 200
    return render(
        request,
        "credentials/claim.html",
        {
            "award": award,
            "achievement": award.achievement,
            "mode": mode,
            "form": form,
            "login_url": reverse("account_login") + "?next=" + request.path,
        },
        status=status,
    )


# --- my data ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    form = DeleteAccountForm(*_bound(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        from django.contrib.auth import logout

        logout(request)
        messages.success(
            request, _("Your account and wallet were deleted. Credentials stay verifiable by their issuers' links.")
        )
        return redirect("home")
    return render(request, "wallets/data.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def my_data_export(request):
    handle = services.account_export(user=request.user)
    return FileResponse(handle, as_attachment=True, filename="laurel-my-data.zip", content_type="application/zip")
