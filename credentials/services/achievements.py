"""Achievements: checked against their framework's requirements, saved with an audit entry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from frameworks.requirements import validate_badge_definition, validate_certificate_definition
from frameworks.svg import UnsafeSVG
from frameworks.validators import is_http_url

from ..artifacts.images import achievement_svg
from ..models import Achievement


def achievement_validate(achievement: Achievement) -> None:
    """Model checks plus the framework's content requirements (tier or category)."""
    achievement.full_clean()
    kind = achievement.tier or achievement.category
    if kind is None or (achievement.tier and achievement.category):
        raise ValidationError({"category": _("Choose a certificate tier or a badge category (one of them).")})
    if not kind.framework.is_published:
        raise ValidationError({"category": _("Choose a tier or category of a published framework.")})
    if achievement.tier:
        validate_certificate_definition(achievement.tier, achievement.definition())
    else:
        validate_badge_definition(achievement.category, achievement.definition())
    for item in achievement.alignments or []:
        if not isinstance(item, dict) or not item.get("targetName") or not item.get("targetUrl"):
            raise ValidationError({"alignments": _("Each skill alignment needs a targetName and a targetUrl.")})
        if not is_http_url(item["targetUrl"]):
            raise ValidationError(
                {"alignments": _("A skill alignment's targetUrl must start with https:// or http://.")}
            )
    if kind.svg_template:
        # The image is the design filled with this name (and each translated name): it must stay safe.
        for lang in [achievement.language, *sorted(achievement.translations)]:
            try:
                achievement_svg(achievement, lang)
            except UnsafeSVG as exc:
                raise ValidationError({"name" if lang == achievement.language else "translations": str(exc)}) from exc


@transaction.atomic
def achievement_save(*, achievement: Achievement, actor=None) -> Achievement:
    created = achievement.pk is None
    permission = "credentials.add_achievement" if created else "credentials.change_achievement"
    access.require(actor, permission, obj=achievement)
    if not created:  # moved to another programme: the actor must also hold the permission where it was
        stored = Achievement.objects.filter(pk=achievement.pk).only("programme_id").first()
        if stored is not None and stored.programme_id != achievement.programme_id:
            access.require(actor, permission, obj=stored if stored.programme_id else None)
    achievement_validate(achievement)
    achievement.save()
    audit_record(
        action=f"achievement.{'create' if created else 'change'}",
        subject=achievement,
        actor=actor,
        programme=achievement.programme_id,
    )
    return achievement
