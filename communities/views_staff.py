"""A programme's Communities pages in the staff console: the list, one community (applications queue with
approve / ask for more / decline with a reason, members, invitations, contribution badges).

As elsewhere in the console: signed out → sign-in; no role anywhere → 403; a programme the user cannot see →
404; seen but lacking the permission → 403. Besides, a community's own named managers open its page and act
on it without a role in the programme. The services check again (`services.require_manager`).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import access
from programmes.models import Programme
from programmes.roles import roles_of

from . import selectors, services
from .forms import CommunityForm, ContributionForm, InviteForm, ReasonForm
from .models import Community, Membership

VIEW = "programmes.view_programme"
VIEW_COMMUNITY = "communities.view_community"
ADD = services.ADD
CHANGE = services.CHANGE


def _guard(request, programme_slug: str, perm: str, *, community_slug: str | None = None, post_only=False):
    """(programme, community or None, refusal or None); raises 403/404 as the console does."""
    user = request.user
    if not user.is_authenticated:
        return None, None, redirect_to_login(request.get_full_path())
    programme = Programme.objects.filter(slug=programme_slug, is_active=True).first()
    item = selectors.community_of_programme(programme, community_slug) if programme and community_slug else None
    named = item is not None and any(manager.pk == user.pk for manager in item.managers.all())
    if not named:
        if not (access.allows(user, VIEW) or roles_of(user)):
            raise PermissionDenied(_("The staff console is for the staff of a programme."))
        if programme is None or not access.allows(user, VIEW, obj=programme):
            raise Http404(_("No such programme."))
        if not access.allows(user, perm, obj=programme):
            raise PermissionDenied(_("Your role in this programme does not allow this."))
    if community_slug and item is None:
        raise Http404(_("No such community."))
    if post_only and request.method != "POST":
        return programme, item, HttpResponseNotAllowed(["POST"])
    return programme, item, None


def _community_url(item: Community) -> str:
    return reverse("community_staff:community", kwargs={"programme": item.programme.slug, "community": item.slug})


def communities(request, programme: str):
    programme, _item, refusal = _guard(request, programme, VIEW_COMMUNITY)
    if refusal:
        return refusal
    return render(
        request,
        "communities/staff/communities.html",
        {
            "programme": programme,
            "communities": selectors.communities_of_programme(programme),
            "can_add": access.allows(request.user, ADD, obj=programme),
        },
    )


def _form_errors(form, exc: ValidationError) -> None:
    for name, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(name if name in form.fields else None, errors)


def community_new(request, programme: str):
    programme, _item, refusal = _guard(request, programme, ADD)
    if refusal:
        return refusal
    form = CommunityForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.community_create(
                programme=programme, actor=request.user,
                **{name: data[name] for name in ("slug", "name", "description", "how_to_join", "membership_achievement",
                                                 "join_mode", "renewal_mode", "reminder_days")},
            )  # fmt: skip
            services.contribution_achievements_set(
                community=created, achievements=list(data["contribution_achievements"]), actor=request.user
            )
            services.community_managers_set(community=created, users=data["manager_emails"], actor=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Community “%(name)s” created.") % {"name": created.name})
            return redirect(_community_url(created))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "communities/staff/community_form.html", {"programme": programme, "form": form}, status=status
    )


def community_edit(request, programme: str, community: str):
    programme, item, refusal = _guard(request, programme, CHANGE, community_slug=community)
    if refusal:
        return refusal
    form = CommunityForm(request.POST or None, instance=Community.objects.get(pk=item.pk), programme=programme)
    if not access.allows(request.user, CHANGE, obj=item):  # a named manager: badges and managers are the programme's
        del form.fields["contribution_achievements"]
        del form.fields["manager_emails"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = [name for name in form.changed_data if name in services.COMMUNITY_FIELDS]
        try:
            services.community_update(community=item, actor=request.user, **{name: data[name] for name in fields})
            if "contribution_achievements" in form.changed_data:
                services.contribution_achievements_set(
                    community=item, achievements=list(data["contribution_achievements"]), actor=request.user
                )
            if "manager_emails" in form.changed_data:
                services.community_managers_set(community=item, users=data["manager_emails"], actor=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Community “%(name)s” saved.") % {"name": item.name})
            return redirect(_community_url(item))
    status = 400 if request.method == "POST" else 200
    context = {"programme": programme, "community": item, "form": form}
    return render(request, "communities/staff/community_form.html", context, status=status)


def _page(request, programme, item, *, invite_form=None, status=200):
    language = (get_language() or "en").split("-")[0]
    achievements = list(item.contribution_achievements.all())
    context = {
        "programme": programme,
        "community": item,
        "can_manage": services.is_manager(request.user, item),
        "can_edit": services.is_manager(request.user, item),
        "queue": selectors.review_queue(item),
        "members": selectors.members(item),
        "invites": selectors.invites_of(item),
        "invite_form": invite_form or InviteForm(initial={"language": language}),
        "reason_form": ReasonForm(),
        "contribution_form": ContributionForm(achievements=achievements) if achievements else None,
    }
    return render(request, "communities/staff/community.html", context, status=status)


def community(request, programme: str, community: str):
    programme, item, refusal = _guard(request, programme, VIEW_COMMUNITY, community_slug=community)
    if refusal:
        return refusal
    return _page(request, programme, item)


def invite(request, programme: str, community: str):
    programme, item, refusal = _guard(request, programme, CHANGE, community_slug=community, post_only=True)
    if refusal:
        return refusal
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            created = services.invitation_send(community=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": created.email})
            return redirect(_community_url(item))
    return _page(request, programme, item, invite_form=form, status=400)


DECISIONS = ("approve", "ask", "decline")


def decide(request, programme: str, community: str, pk: int, decision: str):
    programme, item, refusal = _guard(request, programme, CHANGE, community_slug=community, post_only=True)
    if refusal:
        return refusal
    if decision not in DECISIONS:
        raise Http404(_("No such decision."))
    membership = get_object_or_404(Membership, pk=pk, community=item)
    text = request.POST.get("text", "")
    try:
        if decision == "approve":
            services.application_approve(membership=membership, actor=request.user)
            messages.success(
                request, _("Approved: %(name)s's membership credential was issued.") % {"name": membership.name}
            )
        elif decision == "ask":
            services.application_ask_more(membership=membership, question=text, actor=request.user)
            messages.success(request, _("Your question was emailed to %(name)s.") % {"name": membership.name})
        else:
            services.application_decline(membership=membership, reason=text, actor=request.user)
            messages.success(request, _("Declined: %(name)s was told why.") % {"name": membership.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_community_url(item))


def contribute(request, programme: str, community: str, pk: int):
    programme, item, refusal = _guard(request, programme, CHANGE, community_slug=community, post_only=True)
    if refusal:
        return refusal
    membership = get_object_or_404(Membership, pk=pk, community=item)
    achievements = list(item.contribution_achievements.all())
    form = ContributionForm(request.POST, achievements=achievements)
    if not form.is_valid():
        messages.error(request, _("Choose a badge and a contribution."))
        return redirect(_community_url(item))
    achievement = next(a for a in achievements if str(a.pk) == form.cleaned_data["achievement"])
    try:
        services.contribution_award(
            membership=membership,
            achievement=achievement,
            role=form.cleaned_data["role"],
            narrative=form.cleaned_data["narrative"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("“%(badge)s” awarded to %(name)s.") % {"badge": achievement.name, "name": membership.name}
        )
    return redirect(_community_url(item))
