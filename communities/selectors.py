"""Reads of the communities app for pages, with their related rows fetched in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from programmes.models import Programme
from wallets.models import Profile

from .models import Community, CommunityInvite, ContributionAward, Membership


def community_public(slug: str) -> Community | None:
    return (
        Community.objects.filter(slug=slug, is_active=True, programme__is_active=True)
        .select_related("programme", "membership_achievement__issuer")
        .first()
    )


def membership_of(community: Community, user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(community=community, user=user).select_related("award").first()


def _current(now=None) -> Q:
    now = now or timezone.now()
    return Q(state__in=Membership.MEMBER_STATES) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def directory(community: Community, *, now=None) -> list[dict]:
    """The opt-in member directory: current members who chose to be listed, with their public profile (if
    public) and the community credentials they hold (membership, contribution badges). Three queries."""
    members = list(
        Membership.objects.filter(_current(now), community=community, in_directory=True)
        .select_related("award__achievement")
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=ContributionAward.objects.select_related("award__achievement").order_by("created_at"),
            )
        )
        .order_by("name")
    )
    profiles = {
        profile.user_id: profile
        for profile in Profile.objects.filter(user_id__in=[m.user_id for m in members], is_public=True)
    }
    return [
        {
            "membership": member,
            "profile": profiles.get(member.user_id),
            "contributions": [c for c in member.contributions.all() if c.award.state not in ("revoked",)],
        }
        for member in members
    ]


def memberships_of(user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("community__programme", "award")
        .prefetch_related(Prefetch("contributions", queryset=ContributionAward.objects.select_related("award")))
        .order_by("community__name")
    )


def communities_of_programme(programme: Programme):
    now = timezone.now()
    return (
        Community.objects.filter(programme=programme)
        .select_related("membership_achievement")
        .annotate(
            members=Count(
                "memberships",
                filter=Q(memberships__state__in=Membership.MEMBER_STATES)
                & (Q(memberships__expires_at__isnull=True) | Q(memberships__expires_at__gt=now)),
                distinct=True,
            ),
            waiting=Count("memberships", filter=Q(memberships__state__in=Membership.REVIEW_STATES), distinct=True),
        )
        .order_by("name")
    )


def community_of_programme(programme: Programme, slug: str) -> Community | None:
    return (
        Community.objects.filter(programme=programme, slug=slug)
        .select_related("programme", "membership_achievement")
        .prefetch_related("contribution_achievements", "managers")
        .first()
    )


def review_queue(community: Community) -> list[Membership]:
    return list(
        Membership.objects.filter(
            community=community, state__in=(*Membership.REVIEW_STATES, Membership.State.MORE_INFO)
        )
        .select_related("user")
        .order_by("created_at")
    )


def members(community: Community) -> list[Membership]:
    return list(
        Membership.objects.filter(community=community)
        .exclude(state__in=(Membership.State.APPLIED, Membership.State.MORE_INFO, Membership.State.DECLINED))
        .select_related("award")
        .prefetch_related("contributions")
        .order_by("name")
    )


def invites_of(community: Community) -> list[CommunityInvite]:
    return list(CommunityInvite.objects.filter(community=community).order_by("-created_at")[:50])
