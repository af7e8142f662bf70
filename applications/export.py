"""The learner's applications and goals in their data export (`applications.json`, registered with
`wallets.export`). Files are listed by name (the learner downloads them from the application page)."""

from .models import Application, LearnerGoal


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def applications_of(user) -> dict:
    applications = (
        Application.objects.filter(user=user)
        .select_related("achievement", "award")
        .prefetch_related("files", "sessions", "reviews")
        .order_by("created_at")
    )
    goals = LearnerGoal.objects.filter(user=user).select_related("achievement").order_by("created_at")
    return {
        "applications": [
            {
                "achievement": application.achievement.name,
                "state": application.state,
                "credential_address": application.email,
                "narrative": application.narrative,
                "links": application.links,
                "files": [item.filename for item in application.files.all()],
                "nominee": {
                    "email": application.nominee_email,
                    "name": application.nominee_name,
                    "role": application.nominee_role,
                }
                if application.nominee_email
                else None,
                "mentoring_sessions": [
                    {
                        "date": session.date.isoformat(),
                        "minutes": session.minutes,
                        "topic": session.topic,
                        "notes": session.notes,
                        "confirmed": _iso(session.confirmed_at),
                    }
                    for session in application.sessions.all()
                ],
                "reviews": [
                    {"decision": review.decision, "comment": review.comment, "at": _iso(review.created_at)}
                    for review in application.reviews.all()
                ],
                "credential": application.award.public_id if application.award_id else None,
                "applied": _iso(application.created_at),
                "decided": _iso(application.decided_at),
            }
            for application in applications
        ],
        "goals": [
            {"achievement": goal.achievement.name, "note": goal.note, "set": _iso(goal.created_at)} for goal in goals
        ],
    }
