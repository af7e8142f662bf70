"""Deciding: programme staff with the right role (checked here), or the nominee through their signed link.

Approving issues the credential with the evidence in it (narrative, links, the files at their public address,
the confirmed mentoring sessions, the reviewer's comment) and puts it in the applicant's wallet as accepted: they
applied signed in, to one of their confirmed addresses. The application row is locked, so of two approvals racing
one issues and the other is told the application was already decided; the award's idempotency key is a second
guard.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import access
from credentials.services import Recipient, award_issue_many
from wallets.services import claim_accept

from ..links import public_file_url
from ..models import Application, ApplicationReview, MentoringSession
from ..tokens import review_tokens
from .common import (
    COMMENT_LENGTH,
    DECIDE,
    KIND_APPROVED,
    KIND_CHANGES,
    KIND_DECLINED,
    audit,
    email_applicant,
)

DECISIONS = ApplicationReview.Decision


def _reviewer(application: Application, *, actor, token):
    """Lock the application and check who decides: the nominee's token, or the actor's permission."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("achievement__issuer", "achievement__category", "user")
        .get(pk=application.pk)
    )
    if token is not None:
        if not locked.nominee_email:
            raise PermissionDenied(_("This application has no nominee."))
        review_tokens.check_token(locked, token)  # TokenError: forged, expired, or used (decided, resubmitted)
        return locked, True
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to review applications."))
    access.require(actor, DECIDE, obj=locked)
    return locked, False


def _comment(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({"comment": _("Write a comment: the applicant will read it.")}, code="required")
    if len(text) > COMMENT_LENGTH:
        raise ValidationError(
            {"comment": _("Keep the comment under %(count)d characters.") % {"count": COMMENT_LENGTH}}
        )
    return text


def confirmed_sessions(application: Application) -> list[MentoringSession]:
    return [s for s in application.sessions.all() if s.confirmed_at is not None]


def credential_evidence(application: Application, *, comment: str, reviewer: str) -> list[dict]:
    """The evidence entries of the credential, named in the applicant's language."""
    with translation.override(application.language):
        evidence = [{"url": link["url"], "name": link.get("title") or link["url"]} for link in application.links]
        evidence += [{"url": public_file_url(item), "name": item.filename} for item in application.files.all()]
        for session in confirmed_sessions(application):
            name = _("Mentoring session of %(date)s (%(minutes)d minutes), confirmed by %(who)s") % {
                "date": session.date.isoformat(), "minutes": session.minutes, "who": session.confirmed_by,
            }  # fmt: skip
            evidence.append(
                {"name": name, "narrative": session.topic + (f"\n\n{session.notes}" if session.notes else "")}
            )
        if comment:
            evidence.append({"name": _("Review by %(who)s") % {"who": reviewer}, "narrative": comment})
    return evidence


def _issue(application: Application, *, actor, comment: str, reviewer: str, now):
    recipient = Recipient(
        email=application.email,
        name=application.name,
        issued_at=now,
        narrative=application.narrative,
        evidence=credential_evidence(application, comment=comment, reviewer=reviewer),
        idempotency_key=f"application:{application.pk}",
    )
    on_behalf_of = actor if getattr(actor, "is_authenticated", False) else None
    [award] = award_issue_many(
        achievement=application.achievement, recipients=[recipient], actor=None, on_behalf_of=on_behalf_of
    )
    if isinstance(award, ValidationError):
        raise award
    try:
        with transaction.atomic():  # the address may have left the account since: the claim email then goes out
            award = claim_accept(award=award, user=application.user)
    except ValidationError:
        pass
    return award


@transaction.atomic
def application_decide(
    *, application: Application, decision: str, comment: str = "", actor=None, token: str | None = None, now=None
) -> Application:
    """Approve, ask for changes or decline, with a comment (required unless approving). `token`: the nominee's
    signed link (TokenError when forged, expired or used); else `actor` needs the review permission in the
    achievement's programme (PermissionDenied). ValidationError when the application is not waiting for this
    decision, or (approving a mentoring route) fewer sessions are confirmed than required."""
    now = now or timezone.now()
    if decision not in DECISIONS.values:
        raise ValidationError(_("Choose approve, ask for changes or decline."), code="bad_decision")
    application, by_nominee = _reviewer(application, actor=actor, token=token)
    allowed = [Application.State.SUBMITTED]
    if decision == DECISIONS.DECLINE and not by_nominee:
        allowed.append(Application.State.CHANGES)
    if application.state not in allowed:
        raise ValidationError(
            _("This application was already answered (it is now: %(state)s).")
            % {"state": application.get_state_display()},
            code="not_waiting",
        )
    comment = _comment(comment, required=decision != DECISIONS.APPROVE)
    reviewer = application.nominee_name if by_nominee else (actor.get_full_name() or actor.get_username())
    review = ApplicationReview(
        application=application, round=application.round, author=None if by_nominee else actor,
        by_nominee=by_nominee, author_name=reviewer[:200], decision=decision, comment=comment,
    )  # fmt: skip
    if decision == DECISIONS.APPROVE:
        route = getattr(application.achievement, "application_route", None)
        needed = route.sessions_required if route else 0
        done = len(confirmed_sessions(application))
        if done < needed:
            raise ValidationError(
                _("%(done)d of %(needed)d mentoring sessions are confirmed: confirm them all before approving.")
                % {"done": done, "needed": needed},
                code="sessions",
            )
        application.award = _issue(application, actor=None if by_nominee else actor, comment=comment,
                                   reviewer=reviewer, now=now)  # fmt: skip
        application.state = Application.State.APPROVED
    elif decision == DECISIONS.CHANGES:
        application.state = Application.State.CHANGES
    else:
        application.state = Application.State.DECLINED
    application.decided_at = now
    application.save()
    review.save()
    audit(
        f"application.{decision}", application, application=application, actor=None if by_nominee else actor,
        data={"by_nominee": by_nominee, "round": application.round,
              "award": application.award.public_id if application.award_id else None},
    )  # fmt: skip
    kind, template = {
        DECISIONS.APPROVE: (KIND_APPROVED, "approved"),
        DECISIONS.CHANGES: (KIND_CHANGES, "changes"),
        DECISIONS.DECLINE: (KIND_DECLINED, "declined"),
    }[decision]
    email_applicant(application, kind=kind, template=template, comment=comment, now=now)
    return application


@transaction.atomic
def session_confirm(*, session: MentoringSession, actor=None, token: str | None = None, now=None) -> MentoringSession:
    """The mentor (through the nominee's link) or staff with the review permission confirm a recorded session."""
    application, by_nominee = _reviewer(session.application, actor=actor, token=token)
    if by_nominee and application.nominee_role != Application.Role.MENTOR:
        raise PermissionDenied(_("Only the nominated mentor confirms mentoring sessions."))
    if not application.is_open:
        raise ValidationError(_("This application was already decided."), code="not_open")
    session = MentoringSession.objects.select_for_update().get(pk=session.pk, application=application)
    if session.confirmed_at is not None:
        return session
    session.confirmed_at = now or timezone.now()
    who = application.nominee_name if by_nominee else (actor.get_full_name() or actor.get_username())
    session.confirmed_by = who[:200]
    session.save(update_fields=["confirmed_at", "confirmed_by"])
    audit(
        "application.session_confirm", session, application=application, actor=None if by_nominee else actor,
        data={"by_nominee": by_nominee},
    )  # fmt: skip
    return session
