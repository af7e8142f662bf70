"""The wallet, one credential's page for its holder, and collections. Thin: parse, call a selector or a
service, render.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from credentials.claims import answer_award
from credentials.links import award_links
from credentials.verification import verify_award
from multilingual.text import in_language

from .. import selectors, services, sharing, uploads
from ..forms import CollectionForm, EndorsementRequestForm, EvidenceForm, FilterForm
from .common import apply_errors, bound_data, holder_only, not_in_wallet, owned_award, refused


@login_required
def home(request):
    raw = {name: request.GET.get(name, "")[:100] for name in ("q", "kind", "state", "group")}
    if raw["kind"] not in ("", "certificate", "badge", "external"):
        raw["kind"] = ""
    if raw["state"] not in ("", *selectors.FILTER_STATES):
        raw["state"] = ""
    data = selectors.wallet(request.user, **raw, page=request.GET.get("page", "")[:12])
    form = FilterForm(request.GET or None, groups=data.group_choices)
    filtered = any(raw.values())
    query = urlencode({name: value for name, value in raw.items() if value})  # the filters, kept across pages
    context = {"wallet": data, "form": form, "filtered": filtered, "query": query}
    return render(request, "wallets/home.html", context)


def detail_context(request, view, *, evidence_form=None, endorsement_form=None) -> dict:
    award = view.award
    links = award_links(award)
    verify_url = links["verify_url"]
    return {
        "view": view,
        "award": award,
        "achievement": in_language(award.achievement),  # the visitor's language when translated
        "issuer": award.achievement.issuer,
        "report": verify_award(award),
        "links": links,
        "state": award.effective_state,
        "evidence_form": evidence_form or EvidenceForm(),
        "endorsement_form": endorsement_form or EndorsementRequestForm(),
        **sharing.holder_share_context(award),
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
    return render(request, "wallets/detail.html", detail_context(request, view))


@login_required
@require_POST
@holder_only
def answer(request, public_id: str):
    """Accept or decline from the wallet (the verified address proves the recipient; no token needed)."""
    award = owned_award(request, public_id)
    answer_award(
        request,
        request.POST.get("answer"),
        accept=lambda: services.claim_accept(award=award, user=request.user),
        decline=lambda: services.claim_decline(award=award, user=request.user),
    )
    return redirect("wallets:detail", public_id=public_id)


@login_required
@require_POST
@holder_only
def visibility(request, public_id: str):
    award = owned_award(request, public_id)
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


@login_required
@require_http_methods(["GET", "POST"])
def collections(request):
    form = CollectionForm(*bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
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
            award = owned_award(request, public_id)
            services.collection_add(user=request.user, collection=target, award=award)
            back = reverse("wallets:detail", kwargs={"public_id": public_id})
    except selectors.NotInWallet:
        return not_in_wallet(request, public_id)
    except ValidationError as exc:
        return refused(request, " ".join(exc.messages))
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
