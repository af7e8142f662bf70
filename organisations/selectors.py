"""Reads of the organisations app for pages, the console and the data export, in a fixed number of queries."""

from django.db.models import Count, Prefetch

from credentials.models import Award
from programmes.models import Programme
from wallets.selectors.membership import holder_awards

from .models import (
    Organisation,
    OrganisationAdmin,
    OrganisationInvite,
    OrganisationMember,
    OrganisationOutcome,
    OrganisationRule,
    RuleRequirement,
    SharedCredential,
)

WALLET_HIDDEN = (Award.State.DECLINED, Award.State.REVOKED)
CARD_JOINS = ("achievement__issuer", "achievement__category", "achievement__tier")


def organisation_public(slug: str) -> Organisation | None:
    return (
        Organisation.objects.filter(slug=slug, is_active=True, programme__is_active=True)
        .select_related("programme")
        .annotate(member_count=Count("members", distinct=True))
        .first()
    )


def organisation_any(slug: str) -> Organisation | None:
    """Also a closed organisation (its admins and the programme's staff still see it)."""
    return (
        Organisation.objects.filter(slug=slug)
        .select_related("programme")
        .annotate(member_count=Count("members", distinct=True))
        .first()
    )


def wallet(organisation: Organisation) -> list[Award]:
    """The organisation's credentials: issued to its address as an organisation, not declined or revoked
    (expired ones stay, shown as expired). One query."""
    return list(
        Award.objects.filter(recipient_email=organisation.email, recipient_kind=Award.RecipientKind.ORGANISATION)
        .exclude(state__in=WALLET_HIDDEN)
        .select_related(*CARD_JOINS)
        .defer("credential")
        .order_by("-issued_at", "-id")
    )


def admins_of(organisation: Organisation) -> list[OrganisationAdmin]:
    return list(OrganisationAdmin.objects.filter(organisation=organisation).select_related("user").order_by("id"))


def members_with_shares(organisation: Organisation) -> list[OrganisationMember]:
    """Members with the credentials they shared (each with its achievement). Two queries."""
    shares = SharedCredential.objects.select_related("award__achievement").order_by("award__achievement__name")
    return list(
        OrganisationMember.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("shares", queryset=shares))
        .order_by("name", "id")
    )


def invites_of(organisation: Organisation) -> list[OrganisationInvite]:
    return list(OrganisationInvite.objects.filter(organisation=organisation).order_by("-created_at", "-id")[:50])


def is_member(organisation: Organisation, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return OrganisationMember.objects.filter(organisation=organisation, user=user).exists()


def administered_by(user) -> list[Organisation]:
    return list(Organisation.objects.filter(admins__user=user).select_related("programme").order_by("name").distinct())


def memberships_of(user) -> list[dict]:
    """The learner's organisations with, for each, the credentials of their wallet they may share and which
    are shared. Three queries whatever the number of organisations."""
    members = list(
        OrganisationMember.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related("shares")
        .order_by("organisation__name")
    )
    if not members:
        return []
    awards = list(
        holder_awards(user)
        .filter(recipient_kind=Award.RecipientKind.PERSON)
        .exclude(state__in=(*WALLET_HIDDEN, Award.State.EXPIRED))
        .defer("credential")
        .order_by("achievement__name", "-issued_at")
    )
    awards = [award for award in awards if award.effective_state in (Award.State.ISSUED, Award.State.ACCEPTED)]
    return [
        {
            "member": member,
            "awards": awards,
            "shared": {share.award_id for share in member.shares.all()},
        }
        for member in members
    ]


def organisations_of_programme(programme: Programme):
    return (
        Organisation.objects.filter(programme=programme)
        .annotate(
            member_count=Count("members", distinct=True),
            admin_count=Count("admins", distinct=True),
        )
        .order_by("name")
    )


def organisation_of_programme(programme: Programme, slug: str) -> Organisation | None:
    return Organisation.objects.filter(programme=programme, slug=slug).select_related("programme").first()


def rules_of_programme(programme: Programme) -> list[OrganisationRule]:
    return list(
        OrganisationRule.objects.filter(programme=programme)
        .select_related("result")
        .prefetch_related(
            "required_achievements",
            Prefetch("requirements", queryset=RuleRequirement.objects.select_related("achievement").order_by("id")),
        )
        .annotate(outcome_count=Count("outcomes", distinct=True))
        .order_by("name", "id")
    )


def outcomes_of_programme(programme: Programme, *, limit: int = 50) -> list[OrganisationOutcome]:
    return list(
        OrganisationOutcome.objects.filter(organisation__programme=programme)
        .select_related("organisation", "award", "result")
        .order_by("-created_at", "-id")[:limit]
    )


def export_of(user) -> dict:
    """For the learner's data export: the organisations they belong to or administer, and what they shared."""
    members = OrganisationMember.objects.filter(user=user).select_related("organisation")
    members = members.prefetch_related(Prefetch("shares", queryset=SharedCredential.objects.select_related("award")))
    return {
        "memberships": [
            {
                "organisation": member.organisation.name,
                "page": member.organisation.get_absolute_url(),
                "joined": member.joined_at.isoformat(),
                "shared": [
                    {"credential": share.award.public_id, "shared": share.shared_at.isoformat()}
                    for share in member.shares.all()
                ],
            }
            for member in members
        ],
        "admin_of": [
            {"organisation": row.organisation.name, "since": row.created_at.isoformat()}
            for row in OrganisationAdmin.objects.filter(user=user).select_related("organisation")
        ],
    }
