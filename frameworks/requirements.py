"""Content requirements: which fields a badge or certificate definition must fill.

A badge category lists requirement names (``criteria``, ``level`` …). A definition is a plain mapping of
field values (the credentials app passes its Achievement's fields); ``validate_badge_definition`` and
``validate_certificate_definition`` refuse it with a message naming each missing field.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HOURS_PER_ECTS = (25, 30)


@dataclass(frozen=True)
class Requirement:
    label: str
    fields: tuple[str, ...]  # definition fields that satisfy it (any one of them, non-empty)


REQUIREMENTS: dict[str, Requirement] = {
    "criteria": Requirement(_("Criteria"), ("criteria_narrative", "criteria_url")),
    "assessment_method": Requirement(_("Assessment method"), ("assessment_method",)),
    "evidence_required": Requirement(_("Evidence required"), ("evidence_required",)),
    "hours": Requirement(_("Hours"), ("hours",)),
    "ects_credits": Requirement(_("ECTS credits"), ("ects_credits",)),
    "level": Requirement(_("Level"), ("level",)),
    "expiry_policy": Requirement(_("Expiry policy (validity in days)"), ("validity_days",)),
    "skill_alignment": Requirement(_("Skill alignment"), ("alignments",)),
}


def _filled(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | set | dict):
        return bool(value)
    return True


def _missing(required: list[str], data: Mapping) -> dict[str, str]:
    errors = {}
    for name in required:
        requirement = REQUIREMENTS[name]
        if not any(_filled(data.get(field)) for field in requirement.fields):
            errors[requirement.fields[0]] = requirement.label
    return errors


def _num(value) -> str:
    """12.50 -> "12.5", 50 -> "50" (no exponent)."""
    return format(Decimal(str(value)).normalize(), "f")


def _check_ects(data: Mapping, errors: dict) -> None:
    hours, ects = data.get("hours"), data.get("ects_credits")
    if not (_filled(hours) and _filled(ects)):
        return
    hours, ects = Decimal(str(hours)), Decimal(str(ects))
    low, high = ects * HOURS_PER_ECTS[0], ects * HOURS_PER_ECTS[1]
    if not low <= hours <= high:
        errors["ects_credits"] = _(
            "%(ects)s ECTS credits mean %(low)s to %(high)s hours of learning (1 ECTS = 25 to 30 hours), "
            "but the definition says %(hours)s hours."
        ) % {"ects": _num(ects), "low": _num(low), "high": _num(high), "hours": _num(hours)}


def validate_badge_definition(category, data: Mapping) -> None:
    """Raise ValidationError naming every field the badge category requires and the definition lacks."""
    errors = {
        field: _("%(field)s is required for a %(category)s badge.") % {"field": label, "category": category.name}
        for field, label in _missing(list(category.required_fields or []), data).items()
    }
    level = data.get("level")
    if _filled(level) and category.max_level and not 1 <= int(level) <= category.max_level:
        errors["level"] = _("Level must be between 1 and %(max)s for a %(category)s badge.") % {
            "max": category.max_level,
            "category": category.name,
        }
    if _filled(data.get("validity_days")) and int(data["validity_days"]) <= 0:
        errors["validity_days"] = _("Validity must be a positive number of days.")
    _check_ects(data, errors)
    if errors:
        raise ValidationError(errors)


def validate_certificate_definition(tier, data: Mapping) -> None:
    """Raise ValidationError when a certificate definition does not meet its tier's requirements."""
    errors = {}
    names = {
        "hours": _("Hours"),
        "ects_credits": _("ECTS credits"),
        "assessment_method": _("Assessment method"),
        "criteria_narrative": _("Criteria"),
    }
    if not (_filled(data.get("criteria_narrative")) or _filled(data.get("criteria_url"))):
        errors["criteria_narrative"] = _("%(field)s is required for a %(tier)s.") % {
            "field": names["criteria_narrative"],
            "tier": tier.name,
        }
    if tier.summative_assessment_required and not _filled(data.get("assessment_method")):
        errors["assessment_method"] = _("%(tier)s requires a summative assessment: describe the %(field)s.") % {
            "tier": tier.name,
            "field": names["assessment_method"].lower(),
        }
    for field, minimum in (("hours", tier.min_hours), ("ects_credits", tier.min_ects)):
        if minimum is None:
            continue
        value = data.get(field)
        if not _filled(value):
            errors[field] = _("%(field)s is required for a %(tier)s (at least %(min)s).") % {
                "field": names[field],
                "tier": tier.name,
                "min": _num(minimum),
            }
        elif Decimal(str(value)) < Decimal(str(minimum)):
            errors[field] = _("A %(tier)s needs at least %(min)s %(field)s; this one has %(value)s.") % {
                "tier": tier.name,
                "min": _num(minimum),
                "field": names[field].lower(),
                "value": _num(value),
            }
    _check_ects(data, errors)
    if errors:
        raise ValidationError(errors)
