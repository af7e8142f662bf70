"""The learner's memberships in their data export (`communities.json`, registered with `wallets.export`)."""

from .models import Membership


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def memberships_of(user) -> list[dict]:
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("community", "award")
        .prefetch_related("contributions__award")
        .order_by("community__name")
    )
    return [
        {
            "community": membership.community.name,
            "community_url": membership.community.get_absolute_url(),
            "state": membership.state,
            "credential_address": membership.email,
            "statement": membership.statement,
            "note_from_the_managers": membership.manager_note,
            "credential": membership.award.public_id if membership.award_id else None,
            "period": membership.period,
            "expires": _iso(membership.expires_at),
            "in_directory": membership.in_directory,
            "joined": _iso(membership.created_at),
            "contributions": [
                {"role": item.role, "credential": item.award.public_id, "awarded": _iso(item.created_at)}
                for item in membership.contributions.all()
            ],
        }
        for membership in memberships
    ]
