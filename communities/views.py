"""Public community pages (description, how to join, the join or apply form, the opt-in directory), the page
of an emailed invitation, and the learner's memberships (renew, directory listing). Thin: the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import renewals, selectors, services
from .forms import RenewForm, StatementForm
from .models import Community, CommunityInvite, Membership
from .tokens import TokenError, invite_tokens


def _apply_errors(form, exc: ValidationError) -> None:
    for name, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(name if name in form.fields else None, errors)


def community(request, slug: str):
    """GET: the community's page. POST (signed in): join (open) or apply (by application)."""
    item = selectors.community_public(slug)
    if item is None:
        raise Http404(_("No such community."))
    membership = selectors.membership_of(item, request.user)
    form = StatementForm()
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        form = StatementForm(request.POST)
        if form.is_valid():
            service = (
                services.membership_join if item.join_mode == Community.JoinMode.OPEN else services.membership_apply
            )
            try:
                membership = service(community=item, user=request.user, statement=form.cleaned_data["statement"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if membership.state == Membership.State.ACTIVE:
                    messages.success(
                        request, _("Welcome: you are a member. Your membership credential is in your wallet.")
                    )
                else:
                    messages.success(request, _("Your application was sent to the community's managers."))
                return redirect(item.get_absolute_url())
        status = 400
    context = {
        "community": item,
        "membership": membership,
        "is_current": membership is not None and membership.is_current(),
        "form": form,
        "directory": selectors.directory(item),
    }
    return render(request, "communities/community.html", context, status=status)


def invite(request, slug: str, pk: int, token: str):
    """The emailed invitation: anyone with the link sees it; signed in, they accept with one button."""
    item = get_object_or_404(CommunityInvite.objects.select_related("community"), pk=pk, community__slug=slug)
    try:
        invite_tokens.check_token(item, token)
    except TokenError as exc:
        return render(
            request, "communities/invite_invalid.html", {"reason": exc.reason, "community": item.community},
            status=400 if exc.reason in ("forged", "malformed") else 410,
        )  # fmt: skip
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.invitation_accept(invite=item, token=token, user=request.user)
        except (TokenError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect(item.community.get_absolute_url())
        messages.success(request, _("Welcome: you are a member. Your membership credential is in your wallet."))
        return redirect("communities:mine")
    return render(request, "communities/invite.html", {"invite": item, "next": request.path})


@login_required
def mine(request):
    memberships = selectors.memberships_of(request.user)
    rows = [{"membership": m, "renewable": renewals.renewal_due(m)} for m in memberships]
    return render(request, "communities/mine.html", {"rows": rows, "renew_form": RenewForm()})


def _own(request, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("community"), pk=pk, user=request.user)


@login_required
@require_POST
def renew(request, pk: int):
    membership = _own(request, pk)
    form = RenewForm(request.POST)
    statement = form.cleaned_data["statement"] if form.is_valid() else ""
    try:
        membership = renewals.membership_renew(membership=membership, user=request.user, statement=statement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if membership.state == Membership.State.RENEWAL:
            messages.success(request, _("Your renewal was sent to the community's managers."))
        else:
            messages.success(request, _("Renewed: your new membership credential is in your wallet."))
    return redirect("communities:mine")


@login_required
@require_POST
def directory_toggle(request, pk: int):
    membership = _own(request, pk)
    listed = request.POST.get("listed") == "1"
    services.membership_directory_set(membership=membership, user=request.user, listed=listed)
    if listed:
        messages.success(request, _("You are listed in the member directory."))
    else:
        messages.success(request, _("You are no longer listed in the member directory."))
    return redirect("communities:mine")
