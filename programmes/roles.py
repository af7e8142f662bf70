"""What each programme role may do: a preset of Django permission names, valid only inside its programme.

Services ask `access.require(actor, "credentials.add_award", obj=achievement)`. A platform administrator holds
the Django permission itself (everywhere); programme staff hold it through their role, for the objects of
that programme only. `role_allows` is registered in `access` by `ProgrammesConfig.ready`.
"""

from .models import Role

VIEWER = frozenset(
    {
        "programmes.view_programme",
        "programmes.view_analytics",
        "credentials.view_achievement",
        "credentials.view_award",
        "credentials.view_bulkjob",
        "events.view_event",
        "communities.view_community",
        "organisations.view_organisation",
        "applications.view_application",
    }
)
ISSUER = VIEWER | {
    "credentials.add_award",
    "credentials.revoke_award",
    "credentials.resend_claim",
    "credentials.add_bulkjob",
    "events.add_event",
    "events.change_event",
    "applications.change_application",
}
MANAGER = ISSUER | {
    "credentials.add_achievement",
    "credentials.change_achievement",
    "credentials.publish_achievement",
    "programmes.change_programme",
    "programmes.manage_staff",
    "communities.add_community",
    "communities.change_community",
    "organisations.add_organisation",
    "organisations.change_organisation",
    "applications.change_applicationroute",
}
PRESETS: dict[str, frozenset[str]] = {Role.VIEWER: VIEWER, Role.ISSUER: ISSUER, Role.MANAGER: MANAGER}
ORDER = [Role.VIEWER, Role.ISSUER, Role.MANAGER]  # each holds everything the one before holds


def programme_id_of(obj) -> int | None:
    """The programme an object belongs to: a Programme, or anything with `programme_id`, or something of an
    achievement (an award, an event, a bulk job: `achievement.programme_id`), or of one of those (an event's
    claim, a job's row, an award's email). Duck-typed, so that this low layer imports none of the apps above it."""
    from .models import Programme

    if isinstance(obj, Programme):
        return obj.pk
    paths = (
        "programme_id",
        "achievement.programme_id",  # an award, an event, a bulk job
        "award.achievement.programme_id",  # an email or a share of an award
        "event.achievement.programme_id",  # an event's claim
        "job.achievement.programme_id",  # a bulk job's row
    )
    for path in paths:
        value = obj
        for name in path.split("."):
            value = getattr(value, name, None)
            if value is None:
                break
        if value is not None:
            return value
    return None


def roles_of(user) -> dict[int, str]:
    """{programme id: role} for a user, read once per user object (one query per request at most)."""
    cached = getattr(user, "_programme_roles", None)
    if cached is None:
        from .models import StaffRole

        cached = dict(
            StaffRole.objects.filter(user=user, programme__is_active=True).values_list("programme_id", "role")
        )
        user._programme_roles = cached
    return cached


def role_allows(user, perms: tuple[str, ...], obj) -> bool:
    """Whether the user's role in the programme of `obj` includes every permission in `perms`."""
    if obj is None:
        return False
    programme_id = programme_id_of(obj)
    if programme_id is None:
        return False
    role = roles_of(user).get(programme_id)
    return role is not None and set(perms) <= PRESETS[role]


def forget_roles(user) -> None:
    """Drop the per-object cache after a role of this user changed."""
    if hasattr(user, "_programme_roles"):
        del user._programme_roles
