"""Reads of the applications app for pages, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from credentials.models import Achievement
from frameworks.models import StackingRule
from frameworks.services import stacking_rule_spec
from frameworks.stacking import progress
from programmes.models import Programme
from wallets.selectors import current_rules, earned_of
from wallets.selectors.membership import HELD_STATES, holder_awards, verified_emails

from .models import EVIDENCE_CATEGORIES, Application, ApplicationFile, ApplicationRoute, LearnerGoal, MentoringSession

ACHIEVEMENT_JOINS = (
    "achievement__issuer",
    "achievement__category",
    "achievement__tier",
    "achievement__application_route",
)


def achievement_for_apply(slug: str) -> Achievement | None:
    return (
        Achievement.objects.filter(slug=slug, status=Achievement.Status.PUBLISHED, is_active=True)
        .select_related("issuer", "category", "tier", "application_route")
        .first()
    )


def route_of(achievement: Achievement) -> ApplicationRoute | None:
    try:
        return achievement.application_route
    except ApplicationRoute.DoesNotExist:
        return None


def open_route_of(achievement: Achievement) -> ApplicationRoute | None:
    route = route_of(achievement)
    return route if route is not None and route.is_open else None


def applications_of(user) -> list[Application]:
    """The learner's applications, newest first, with their files, sessions and reviews (five queries)."""
    return list(
        Application.objects.filter(user=user)
        .select_related(*ACHIEVEMENT_JOINS, "award")
        .prefetch_related("files", "sessions", "reviews")
        .order_by("-created_at", "-id")
    )


def own_application(user, pk: int) -> Application | None:
    return (
        Application.objects.filter(user=user, pk=pk)
        .select_related(*ACHIEVEMENT_JOINS, "award")
        .prefetch_related("files", "sessions", "reviews")
        .first()
    )


def latest_of(user, achievement: Achievement) -> Application | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Application.objects.filter(user=user, achievement=achievement).order_by("-created_at", "-id").first()


def for_review(pk: int) -> Application | None:
    """An application with everything its review page shows."""
    return (
        Application.objects.filter(pk=pk)
        .select_related(*ACHIEVEMENT_JOINS, "award")
        .prefetch_related("files", "sessions", "reviews")
        .first()
    )


def queue(programme: Programme, *, state: str = "", achievement: str = "", q: str = "") -> list[Application]:
    """The programme's applications, waiting ones first by default, with their evidence counts (one query)."""
    rows = Application.objects.filter(achievement__programme=programme)
    if state in Application.State.values:
        rows = rows.filter(state=state)
    elif state != "all":
        rows = rows.filter(state__in=Application.OPEN_STATES)
    if achievement:
        rows = rows.filter(achievement__slug=achievement)
    if q.strip():
        rows = rows.filter(Q(name__icontains=q.strip()) | Q(email__icontains=q.strip()))
    return list(
        rows.select_related("achievement")
        .annotate(
            file_count=Count("files", distinct=True),
            session_count=Count("sessions", distinct=True),
            confirmed_count=Count("sessions", filter=Q(sessions__confirmed_at__isnull=False), distinct=True),
        )
        .order_by("submitted_at", "id")[:200]
    )


def application_of_programme(programme: Programme, pk: int) -> Application | None:
    return (
        Application.objects.filter(pk=pk, achievement__programme=programme)
        .select_related(*ACHIEVEMENT_JOINS, "award")
        .prefetch_related("files", "sessions", "reviews")
        .first()
    )


def evidence_achievements(programme: Programme) -> list[Achievement]:
    """The programme's achievements of evidence categories, with their routes (one query)."""
    return list(
        Achievement.objects.filter(programme=programme, category__code__in=EVIDENCE_CATEGORIES)
        .select_related("category", "application_route")
        .order_by("name")
    )


def programme_achievement(programme: Programme, slug: str) -> Achievement | None:
    return (
        Achievement.objects.filter(programme=programme, slug=slug)
        .select_related("category", "application_route")
        .first()
    )


def file_of(application: Application, pk: int) -> ApplicationFile | None:
    return ApplicationFile.objects.filter(application=application, pk=pk).first()


def public_file(key: str) -> ApplicationFile | None:
    """An approved application's file (evidence in its credential), by its unguessable key."""
    return (
        ApplicationFile.objects.filter(public_key=key, application__state=Application.State.APPROVED)
        .select_related("application")
        .first()
    )


def session_of(application: Application, pk: int) -> MentoringSession | None:
    return MentoringSession.objects.filter(application=application, pk=pk).first()


# --- Goals ---------------------------------------------------------------------------------------------------


@dataclass
class Step:
    achievement: Achievement | None
    slug: str
    held: bool
    open_for_application: bool


@dataclass
class Path:
    rule: StackingRule
    done: int
    needed: int
    steps: list[Step] = field(default_factory=list)
    pool: str = ""  # "any N badges of these categories" when the rule names no achievements

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.needed) if self.needed else 100


@dataclass
class Goal:
    goal: LearnerGoal
    reached: bool
    open_for_application: bool
    paths: list[Path] = field(default_factory=list)


def _leads_to(rule: StackingRule, target: Achievement) -> bool:
    if rule.result_achievement:
        return rule.result_achievement == target.slug
    if rule.result_tier_id and target.tier_id:
        return rule.result_tier.code == target.tier.code
    if rule.result_category_id and target.category_id:
        return rule.result_category.code == target.category.code
    return False


def goals_of(user) -> list[Goal]:
    """The learner's goals, each with the stacking rules of the current framework leading to it (their inputs
    and the learner's progress) and whether the target is open for application. Six queries at most."""
    goals = list(
        LearnerGoal.objects.filter(user=user).select_related(
            "achievement__issuer", "achievement__tier", "achievement__category", "achievement__application_route"
        )
    )
    if not goals:
        return []
    awards = [a for a in holder_awards(user, emails=verified_emails(user)) if a.effective_state in HELD_STATES]
    held = {a.achievement.slug for a in awards}
    earned = earned_of(awards)
    rules = list(current_rules())
    wanted = {slug for rule in rules for slug in (rule.components or ())}
    inputs = {
        a.slug: a
        for a in Achievement.objects.filter(
            slug__in=wanted, status=Achievement.Status.PUBLISHED, is_active=True
        ).select_related("application_route")
    }
    result = []
    for goal in goals:
        target = goal.achievement
        route = route_of(target)
        view = Goal(
            goal=goal,
            reached=target.slug in held,
            open_for_application=bool(route and route.is_open and target.is_active),
        )
        for rule in rules:
            if not _leads_to(rule, target):
                continue
            spec = stacking_rule_spec(rule)
            outcome = progress(spec, earned)
            steps = []
            for slug in rule.components or ():
                item = inputs.get(slug)
                item_route = route_of(item) if item is not None else None
                steps.append(Step(achievement=item, slug=slug, held=slug in held,
                                  open_for_application=bool(item_route and item_route.is_open)))  # fmt: skip
            pool = ", ".join(
                [str(c.name) for c in rule.allowed_categories.all()] + [str(t.name) for t in rule.allowed_tiers.all()]
            )
            view.paths.append(Path(rule=rule, done=outcome.done, needed=outcome.needed, steps=steps, pool=pool))
        result.append(view)
    return result


def goal_choices() -> list[Achievement]:
    """What a learner may aim at: published, active achievements (Interests & Goals and certificates first)."""
    return list(
        Achievement.objects.filter(status=Achievement.Status.PUBLISHED, is_active=True)
        .select_related("category", "tier")
        .order_by("name")[:500]
    )
