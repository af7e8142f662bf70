"""Opening an achievement to applications (programme managers, in the console)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import access

from ..models import EVIDENCE_CATEGORIES, ApplicationRoute
from .common import ROUTE, audit

ROUTE_FIELDS = (
    "is_open",
    "instructions",
    "nominee",
    "sessions_required",
    "narrative_required",
    "min_files",
    "min_links",
)


def is_evidence_achievement(achievement) -> bool:
    return bool(achievement.category_id) and achievement.category.code in EVIDENCE_CATEGORIES


@transaction.atomic
def route_save(*, achievement, actor=None, **fields) -> ApplicationRoute:
    """Create or change the achievement's application route. PermissionDenied unless the actor may manage routes
    in the achievement's programme; ValidationError for an achievement that is not earned with evidence (only
    badges of the evidence categories can be opened), or not published, or numbers out of range."""
    access.require(actor, ROUTE, obj=achievement)
    unknown = set(fields) - set(ROUTE_FIELDS)
    if unknown:
        raise TypeError(f"route_save() cannot change {sorted(unknown)}")
    route = ApplicationRoute.objects.select_for_update().filter(achievement=achievement).first()
    created = route is None
    route = route or ApplicationRoute(achievement=achievement)
    for name, value in fields.items():
        setattr(route, name, value)
    errors = {}
    if route.is_open:
        if not is_evidence_achievement(achievement):
            errors["is_open"] = _(
                "Only badges earned with evidence (Learning Application, Mentoring & Coaching, Community of Practice, "
                "Interests & Goals) can be opened to applications."
            )
        elif achievement.status != achievement.Status.PUBLISHED or not achievement.is_active:
            errors["is_open"] = _("Publish the achievement before opening it to applications.")
    if route.sessions_required > 50:
        errors["sessions_required"] = _("Ask for at most 50 sessions.")
    if route.sessions_required and route.nominee == ApplicationRoute.Nominee.ASSESSOR:
        errors["nominee"] = _("Mentoring sessions are confirmed by a mentor: let the learner nominate a mentor.")
    if route.min_files > 5:
        errors["min_files"] = _("Ask for at most 5 files.")
    if route.min_links > 10:
        errors["min_links"] = _("Ask for at most 10 links.")
    if errors:
        raise ValidationError(errors)
    route.full_clean()
    route.save()
    audit(
        "application.route_create" if created else "application.route_update", route, achievement=achievement,
        actor=actor, data={"achievement": achievement.slug, "open": route.is_open, "fields": sorted(fields)},
    )  # fmt: skip
    return route
