"""A learner's goals: achievements they aim at (set and removed by themselves)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from credentials.models import Achievement

from ..models import LearnerGoal

MAX_GOALS = 20


@transaction.atomic
def goal_set(*, user, achievement: Achievement, note: str = "") -> LearnerGoal:
    """Aim at a published achievement (setting it again changes the note)."""
    if not getattr(user, "is_authenticated", False):
        raise ValidationError(_("Sign in to set goals."))
    if achievement.status != Achievement.Status.PUBLISHED or not achievement.is_active:
        raise ValidationError({"achievement": _("Choose a published credential.")})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note under 500 characters.")})
    goal = LearnerGoal.objects.select_for_update().filter(user=user, achievement=achievement).first()
    if goal is None and LearnerGoal.objects.filter(user=user).count() >= MAX_GOALS:
        raise ValidationError(_("You can keep at most %(n)d goals.") % {"n": MAX_GOALS})
    goal = goal or LearnerGoal(user=user, achievement=achievement)
    goal.note = note
    goal.save()
    audit_record(action="application.goal_set", subject=goal, actor=user, data={"achievement": achievement.slug})
    return goal


@transaction.atomic
def goal_remove(*, user, pk: int) -> None:
    goal = LearnerGoal.objects.filter(user=user, pk=pk).first()
    if goal is None:
        raise ValidationError(_("This goal is not yours or no longer exists."))
    audit_record(action="application.goal_remove", subject=goal, actor=user, data={"achievement": goal.achievement_id})
    goal.delete()
