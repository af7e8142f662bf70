"""The public organisation page, the page of an emailed invitation, and the learner's organisations (share or
unshare credentials of their wallet, leave). Thin: the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from credentials.models import Award
from wallets.selectors.cards import CardUrls, award_card

from . import selectors, services
from .models import OrganisationInvite, OrganisationMember
from .tokens import TokenError, invite_tokens, parse_link_token


def organisation(request, slug: str):
    """Profile, logo, the organisation's credentials with their verification links, how many members. No
    member's personal data: what members share is for the organisation's admins."""
    item = selectors.organisation_public(slug)
    if item is None:
        raise Http404(_("No such organisation."))
    urls = CardUrls()
    cards = [award_card(award, True, urls) for award in selectors.wallet(item)]
    context = {
        "organisation": item,
        "cards": cards,
        "can_manage": services.is_admin(request.user, item),
    }
    return render(request, "organisations/organisation.html", context)


def _invalid(request, reason: str, organisation=None):
    status = 400 if reason in ("forged", "malformed") else 410
    context = {"reason": reason, "organisation": organisation}
    return render(request, "organisations/invite_invalid.html", context, status=status)


def invite(request, token: str):
    """The emailed invitation: anyone with the link sees it; signed in, they accept with one button."""
    try:
        pk, raw = parse_link_token(token)
    except TokenError as exc:
        return _invalid(request, exc.reason)
    item = OrganisationInvite.objects.select_related("organisation").filter(pk=pk).first()
    if item is None:
        return _invalid(request, "forged")
    try:
        invite_tokens.check_token(item, raw)
    except TokenError as exc:
        return _invalid(request, exc.reason, item.organisation)
    status = 200
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.invitation_accept(invite=item, token=raw, user=request.user)
        except TokenError as exc:
            return _invalid(request, exc.reason, item.organisation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 409 if getattr(exc, "code", "") == "already" else 403
        else:
            if item.role == OrganisationInvite.Role.ADMIN:
                messages.success(request, _("You now manage %(name)s.") % {"name": item.organisation.name})
                return redirect("organisations:manage", slug=item.organisation.slug)
            messages.success(
                request,
                _("Welcome to %(name)s. Choose which of your credentials to share with it.")
                % {"name": item.organisation.name},
            )
            return redirect("organisations:mine")
    return render(request, "organisations/invite.html", {"invite": item, "next": request.path}, status=status)


@login_required
def mine(request):
    context = {
        "rows": selectors.memberships_of(request.user),
        "administered": selectors.administered_by(request.user),
    }
    return render(request, "organisations/mine.html", context)


def _own(request, pk: int) -> OrganisationMember:
    return get_object_or_404(OrganisationMember.objects.select_related("organisation"), pk=pk, user=request.user)


@login_required
@require_POST
def share(request, pk: int):
    """Share (`action=share`) or unshare (`action=unshare`) one credential (`award`, its public id)."""
    member = _own(request, pk)
    award = Award.objects.select_related("achievement").filter(public_id=request.POST.get("award", "")).first()
    action = request.POST.get("action")
    if award is None or action not in ("share", "unshare"):
        messages.error(request, _("Choose a credential of your wallet."))
        return redirect("organisations:mine")
    try:
        if action == "share":
            services.credential_share(member=member, award=award, user=request.user)
            messages.success(
                request,
                _("“%(credential)s” is shared with %(organisation)s.")
                % {"credential": award.achievement.name, "organisation": member.organisation.name},
            )
        else:
            services.credential_unshare(member=member, award=award, user=request.user)
            messages.success(
                request,
                _("“%(credential)s” is no longer shared with %(organisation)s.")
                % {"credential": award.achievement.name, "organisation": member.organisation.name},
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("organisations:mine") + f"#member-{member.pk}")


@login_required
@require_POST
def leave(request, pk: int):
    member = _own(request, pk)
    services.membership_leave(member=member, user=request.user)
    messages.success(request, _("You left %(name)s.") % {"name": member.organisation.name})
    return redirect("organisations:mine")
