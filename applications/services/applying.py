"""The learner's side: apply with evidence, resubmit after "changes asked", withdraw, record mentoring sessions."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from credentials.openbadges import ob3
from wallets.selectors.membership import verified_emails

from ..models import Application, ApplicationRoute, MentoringSession
from .common import (
    applicant_email,
    applicant_name,
    audit,
    check_minimums,
    clean_files,
    clean_links,
    clean_narrative,
    delete_files_on_commit,
    email_nominee,
    require_owner,
    store_files,
)

MAX_SESSIONS = 60


def open_route(achievement) -> ApplicationRoute:
    """The achievement's route, locked, if open; ValidationError (code "closed") otherwise."""
    route = ApplicationRoute.objects.select_for_update().filter(achievement=achievement).first()
    if route is None or not route.is_open or not achievement.is_active:
        raise ValidationError(_("This credential is not open for applications."), code="closed")
    return route


def _nominee(route, user, *, email: str, name: str, language: str, errors: dict) -> tuple[str, str, str, str]:
    email, name = (email or "").strip(), (name or "").strip()
    if not email:
        return "", "", "", ""
    if not route.nominee:
        errors["nominee_email"] = _("This credential is reviewed by the programme's staff: no nominee.")
        return "", "", "", ""
    try:
        validate_email(email)
    except ValidationError:
        errors["nominee_email"] = _("Enter the nominee's email address.")
        return "", "", "", ""
    email = ob3.normalize_email(email)
    if email in verified_emails(user) or email == ob3.normalize_email(user.email or ""):
        errors["nominee_email"] = _("Nominate someone else: you cannot review your own application.")
    if not name:
        errors["nominee_name"] = _("Enter the nominee's name.")
    elif len(name) > 200:
        errors["nominee_name"] = _("Keep the name under 200 characters.")
    languages = dict(settings.LANGUAGES)
    language = language if language in languages else (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language not in languages:
        language = settings.LANGUAGE_CODE
    return email, name[:200], route.nominee, language


@transaction.atomic
def application_submit(
    *,
    achievement,
    user,
    narrative: str = "",
    links=(),
    uploads=(),
    email: str | None = None,
    nominee_email: str = "",
    nominee_name: str = "",
    nominee_language: str = "",
    now=None,
) -> Application:
    """Apply for an achievement with evidence. ValidationError naming each problem: the route is closed, the
    learner has an application waiting or holds an approved one, an address not confirmed, evidence missing or
    refused (files checked and cleaned as the wallet's evidence). The nominee, if any, is emailed a signed link."""
    now = now or timezone.now()
    route = open_route(achievement)
    mine = Application.objects.filter(achievement=achievement, user=user)
    if mine.filter(state__in=Application.OPEN_STATES).exists():
        raise ValidationError(
            _("You already applied for this credential: see My applications."), code="already_applied"
        )
    if mine.filter(state=Application.State.APPROVED).exists():
        raise ValidationError(_("Your application for this credential was already approved."), code="approved")
    address = applicant_email(user, email)
    errors: dict = {}
    narrative = clean_narrative(narrative, required=route.narrative_required, errors=errors)
    links = clean_links(links, errors)
    cleaned = clean_files(uploads, errors)
    check_minimums(route, files=len(cleaned), links=len(links), errors=errors)
    nominee = _nominee(route, user, email=nominee_email, name=nominee_name, language=nominee_language, errors=errors)
    if errors:
        raise ValidationError(errors)
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    application = Application.objects.create(
        achievement=achievement, user=user, email=address, name=applicant_name(user),
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        narrative=narrative, links=links, submitted_at=now,
        nominee_email=nominee[0], nominee_name=nominee[1], nominee_role=nominee[2], nominee_language=nominee[3],
    )  # fmt: skip
    store_files(application, cleaned)
    audit(
        "application.submit", application, application=application, actor=user,
        data={"achievement": achievement.slug, "files": len(cleaned), "links": len(links),
              "nominee": bool(nominee[0])},
    )  # fmt: skip
    email_nominee(application)
    return application


def _locked_own(application: Application, user) -> Application:
    locked = Application.objects.select_for_update(of=("self",)).select_related("achievement").get(pk=application.pk)
    require_owner(user, locked)
    return locked


@transaction.atomic
def application_resubmit(
    *, application: Application, user, narrative: str = "", links=(), uploads=(), remove_files=(), now=None
) -> Application:
    """Answer "changes asked": the evidence changed (files removed by id, new ones added) and submitted again;
    the nominee is emailed a fresh link (the earlier one no longer works)."""
    now = now or timezone.now()
    application = _locked_own(application, user)
    if application.state != Application.State.CHANGES:
        raise ValidationError(_("This application is not waiting for your changes."), code="not_changes")
    route = open_route(application.achievement)
    errors: dict = {}
    narrative = clean_narrative(narrative, required=route.narrative_required, errors=errors)
    links = clean_links(links, errors)
    cleaned = clean_files(uploads, errors)
    remove = {int(pk) for pk in remove_files if str(pk).isdigit()}
    kept = [item for item in application.files.all() if item.pk not in remove]
    gone = [item for item in application.files.all() if item.pk in remove]
    check_minimums(route, files=len(kept) + len(cleaned), links=len(links), errors=errors)
    if errors:
        raise ValidationError(errors)
    delete_files_on_commit([item.file.name for item in gone])
    application.files.filter(pk__in=[item.pk for item in gone]).delete()
    store_files(application, cleaned)
    application.narrative, application.links = narrative, links
    application.state = Application.State.SUBMITTED
    application.round += 1
    application.submitted_at = now
    application.save()
    audit(
        "application.resubmit", application, application=application, actor=user,
        data={"round": application.round, "added": len(cleaned), "removed": len(gone)},
    )  # fmt: skip
    email_nominee(application)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, user, now=None) -> Application:
    application = _locked_own(application, user)
    if not application.is_open:
        raise ValidationError(_("Only an application waiting for a decision can be withdrawn."), code="not_open")
    application.state = Application.State.WITHDRAWN
    application.decided_at = now or timezone.now()
    application.save(update_fields=["state", "decided_at"])
    audit("application.withdraw", application, application=application, actor=user)
    return application


@transaction.atomic
def session_record(
    *, application: Application, user, date: date, minutes: int, topic: str, notes: str = ""
) -> MentoringSession:
    """The mentee records a mentoring session; the mentor (or staff) confirms it."""
    application = _locked_own(application, user)
    route = getattr(application.achievement, "application_route", None)
    if route is None or not route.sessions_required:
        raise ValidationError(_("This credential does not count mentoring sessions."), code="no_sessions")
    if not application.is_open:
        raise ValidationError(_("Sessions can be recorded while the application is open."), code="not_open")
    errors = {}
    topic, notes = (topic or "").strip(), (notes or "").strip()
    if date is None or date > timezone.localdate():
        errors["date"] = _("Enter the date of a session that took place.")
    if not isinstance(minutes, int) or not 1 <= minutes <= 600:
        errors["minutes"] = _("Enter the length in minutes (1 to 600).")
    if not topic:
        errors["topic"] = _("Enter the session's topic.")
    elif len(topic) > 200:
        errors["topic"] = _("Keep the topic under 200 characters.")
    if len(notes) > 2000:
        errors["notes"] = _("Keep the notes under 2,000 characters.")
    if application.sessions.count() >= MAX_SESSIONS:
        errors["date"] = _("An application can list at most %(n)d sessions.") % {"n": MAX_SESSIONS}
    if errors:
        raise ValidationError(errors)
    session = MentoringSession.objects.create(
        application=application, date=date, minutes=minutes, topic=topic, notes=notes
    )
    audit("application.session_record", session, application=application, actor=user, data={"minutes": minutes})
    return session
