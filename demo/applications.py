"""Demo data of the applications app for `make run`: two achievements open for applications (a workplace
application reviewed by a nominated assessor, peer mentoring with three sessions confirmed by a mentor), the demo
learner's pending application and a goal. Created once; fast (no file, one email to the nominee in the outbox)."""

from django.contrib.auth import get_user_model

from applications.models import Application, ApplicationRoute, LearnerGoal
from applications.services import application_submit, goal_set, route_save
from credentials.models import Achievement

ROUTES = {
    "osh-workplace-application": {
        "nominee": "assessor",
        "instructions": "Upload your workplace risk assessment and improvement plan, or link to them, and tell us "
        "what changed. Name the supervisor who can confirm it: they receive a private link to review it.",
    },
    "peer-mentor": {
        "nominee": "mentor",
        "sessions_required": 3,
        "narrative_required": False,
        "instructions": "Record each mentoring session; your mentor confirms them through their link.",
    },
}
GOAL = ("decent-work-diploma", "A diploma within two years.")


def load(learner_email: str = "learner@example.org") -> list[ApplicationRoute]:
    routes = []
    for slug, fields in ROUTES.items():
        achievement = Achievement.objects.filter(slug=slug, status=Achievement.Status.PUBLISHED).first()
        if achievement is None:
            continue
        route = ApplicationRoute.objects.filter(achievement=achievement).first()
        routes.append(route or route_save(achievement=achievement, is_open=True, **fields))
    learner = get_user_model().objects.filter(email=learner_email).first()
    osh = Achievement.objects.filter(slug="osh-workplace-application").first()
    if learner is not None and osh is not None and not Application.objects.filter(user=learner).exists():
        application_submit(
            achievement=osh, user=learner, links=["https://example.org/risk-assessment"],
            narrative="I ran the risk assessment of our print shop with the team and we replaced two solvents.",
            nominee_email="supervisor@example.org", nominee_name="Samuel Mensah", nominee_language="en",
        )  # fmt: skip
    target = Achievement.objects.filter(slug=GOAL[0], status=Achievement.Status.PUBLISHED).first()
    if learner is not None and target is not None and not LearnerGoal.objects.filter(user=learner).exists():
        goal_set(user=learner, achievement=target, note=GOAL[1])
    return routes
