"""Organisation rules, defined by programme staff in the console: a result achievement that organisations may
receive, achievements the organisation must hold itself, and member requirements (an achievement and how many
distinct members must share it). Creating or activating a rule evaluates the programme's organisations after
commit (`organisations_backfill` does the same from the command line)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from credentials.models import Achievement, Award

from .evaluation import evaluate_on_commit
from .models import Organisation, OrganisationRule, RuleRequirement

CHANGE = "organisations.change_organisation"


def accepts(achievement: Achievement, kind: str) -> bool:
    """Whether the achievement may be issued to this kind of recipient (its category says; certificate tiers
    are for people)."""
    if achievement.category_id is None:
        return kind == Award.RecipientKind.PERSON
    return kind in (achievement.category.recipient_kinds or [])


def _check(*, programme, name, result, required, requirements) -> None:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the rule a name.")
    if result.programme_id != programme.pk:
        errors["result"] = _("The result must be an achievement of this programme.")
    elif not accepts(result, Award.RecipientKind.ORGANISATION):
        errors["result"] = _("“%(name)s” cannot be issued to an organisation: choose a badge of a category that "
                             "organisations may receive.") % {"name": result.name}  # fmt: skip
    bad = [a.name for a in required if not accepts(a, Award.RecipientKind.ORGANISATION) or a.pk == result.pk]
    if bad:
        errors["required_achievements"] = _("These cannot be held by an organisation here: %(names)s.") % {
            "names": ", ".join(bad)
        }
    people = [a.name for a, _minimum in requirements if not accepts(a, Award.RecipientKind.PERSON)]
    if people:
        errors["requirements"] = _("Members hold credentials issued to people: %(names)s are not.") % {
            "names": ", ".join(people)
        }
    elif any(not isinstance(minimum, int) or minimum < 1 or minimum > 10_000 for _a, minimum in requirements):
        errors["requirements"] = _("Each member requirement needs a number of members from 1 to 10,000.")
    elif len({a.pk for a, _minimum in requirements}) != len(requirements):
        errors["requirements"] = _("Name each member credential once.")
    if not required and not requirements:
        errors["requirements"] = _("A rule needs at least one credential to hold or one member requirement.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rule_create(
    *, programme, name: str, result: Achievement, required_achievements=(), requirements=(), actor=None
) -> OrganisationRule:
    """`requirements`: [(achievement, minimum distinct members)]. Needs `organisations.change_organisation`
    in the programme."""
    access.require(actor, CHANGE, obj=programme)
    required = list(required_achievements)
    requirements = list(requirements)
    _check(programme=programme, name=name, result=result, required=required, requirements=requirements)
    rule = OrganisationRule.objects.create(programme=programme, name=name.strip()[:200], result=result)
    rule.required_achievements.set(required)
    RuleRequirement.objects.bulk_create(
        [RuleRequirement(rule=rule, achievement=a, minimum=minimum) for a, minimum in requirements]
    )
    audit_record(
        action="organisation.rule_create",
        subject=rule,
        actor=actor,
        data={
            "result": result.slug,
            "organisation_holds": sorted(a.slug for a in required),
            "members": {a.slug: minimum for a, minimum in requirements},
        },
        programme=programme.pk,
    )
    _evaluate_programme(programme.pk)
    return rule


@transaction.atomic
def rule_set_active(*, rule: OrganisationRule, is_active: bool, actor=None) -> OrganisationRule:
    access.require(actor, CHANGE, obj=rule.programme)
    rule = OrganisationRule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_active == bool(is_active):
        return rule
    rule.is_active = bool(is_active)
    rule.save(update_fields=["is_active"])
    audit_record(
        action="organisation.rule_activate" if rule.is_active else "organisation.rule_deactivate",
        subject=rule,
        actor=actor,
        programme=rule.programme_id,
    )
    if rule.is_active:
        _evaluate_programme(rule.programme_id)
    return rule


def _evaluate_programme(programme_id: int) -> None:
    for pk in Organisation.objects.filter(programme_id=programme_id, is_active=True).values_list("pk", flat=True):
        evaluate_on_commit(pk)
