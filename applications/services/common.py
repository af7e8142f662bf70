"""What every write of the applications app shares: permissions, the applicant's address, evidence checks,
audit entries and the emails."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from credentials.openbadges import ob3
from frameworks.validators import validate_http_url
from outbox.services import mail
from wallets import uploads
from wallets.selectors.membership import verified_emails
from wallets.storage import private_storage

from ..links import mine_url, review_url
from ..models import Application, ApplicationFile, ApplicationRoute

#: Reviewing applications (deciding, confirming sessions): the programme's issuers and managers.
DECIDE = "applications.change_application"
#: Reading the queue and the evidence: the programme's staff.
VIEW = "applications.view_application"
#: Opening an achievement to applications and saying what evidence it asks for: the programme's managers.
ROUTE = "applications.change_applicationroute"

NARRATIVE_LENGTH = 10_000
COMMENT_LENGTH = 5_000
MAX_LINKS = 10
MAX_FILES = 5

KIND_NOMINEE = "application_nominee"
KIND_APPROVED = "application_approved"
KIND_CHANGES = "application_changes"
KIND_DECLINED = "application_declined"


def audit(action: str, subject, *, application=None, achievement=None, actor=None, data=None) -> None:
    achievement = achievement or application.achievement
    audit_record(action=action, subject=subject, actor=actor, data=data or {}, programme=achievement.programme_id)


def may_review(user, application: Application) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and access.allows(user, DECIDE, obj=application)


def may_view(user, application: Application) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and access.allows(user, VIEW, obj=application)


def require_owner(user, application: Application) -> None:
    if not getattr(user, "is_authenticated", False) or application.user_id != user.pk:
        raise PermissionDenied(_("This application is not yours."))


def applicant_email(user, chosen: str | None = None) -> str:
    """The verified address the credential goes to: the one chosen (it must be verified), else the account's own
    if verified, else its first verified one. ValidationError (code "unverified") without one."""
    emails = verified_emails(user)
    if chosen:
        chosen = ob3.normalize_email(chosen)
        if chosen not in emails:
            raise ValidationError({"email": _("Choose one of your confirmed addresses.")}, code="unverified")
        return chosen
    own = ob3.normalize_email(user.email or "")
    if own in emails:
        return own
    if emails:
        return emails[0]
    raise ValidationError(
        _("Confirm your email address first: credentials are sent to a confirmed address."), code="unverified"
    )


def applicant_name(user) -> str:
    profile = getattr(user, "wallet_profile", None) if hasattr(user, "wallet_profile") else None
    return ((profile.display_name if profile else "") or user.get_full_name() or user.get_username()).strip()[:200]


def clean_narrative(text: str, *, required: bool, errors: dict) -> str:
    text = (text or "").strip()
    if required and not text:
        errors["narrative"] = _("Describe what you did and what you learned.")
    elif len(text) > NARRATIVE_LENGTH:
        errors["narrative"] = _("Keep the narrative under %(count)d characters.") % {"count": NARRATIVE_LENGTH}
    return text


def clean_links(links, errors: dict) -> list[dict]:
    """Links as [{"url"}]: each a full http(s) address; at most MAX_LINKS."""
    result, bad = [], []
    for raw in links or []:
        url = (raw or "").strip()
        if not url:
            continue
        try:
            validate_http_url(url)
        except ValidationError:
            bad.append(url[:80])
            continue
        if len(url) > 500:
            bad.append(url[:80])
            continue
        if url not in [item["url"] for item in result]:
            result.append({"url": url})
    if bad:
        errors["links"] = _("Not a web address starting with https:// or http://: %(links)s") % {
            "links": ", ".join(bad)
        }
    elif len(result) > MAX_LINKS:
        errors["links"] = _("Add at most %(n)d links.") % {"n": MAX_LINKS}
    return result


def clean_files(upload_list, errors: dict) -> list[uploads.CleanFile]:
    """Each upload checked and cleaned by the wallet's rules (size, real type, re-encoded images, no active PDF);
    the message names the file."""
    cleaned, problems = [], []
    for upload in upload_list or []:
        try:
            cleaned.append(uploads.clean_evidence_file(upload))
        except ValidationError as exc:
            name = uploads.sanitise_filename(getattr(upload, "name", ""), "application/pdf").rsplit(".", 1)[0]
            problems.append(f"{name}: {' '.join(exc.messages)}")
    if problems:
        errors["files"] = " ".join(problems)
    return cleaned


def check_minimums(route: ApplicationRoute, *, files: int, links: int, errors: dict) -> None:
    if files > MAX_FILES:
        errors.setdefault("files", _("Add at most %(n)d files.") % {"n": MAX_FILES})
    if files < route.min_files:
        errors.setdefault("files", _("Add at least %(n)d file(s).") % {"n": route.min_files})
    if links < route.min_links:
        errors.setdefault("links", _("Add at least %(n)d link(s).") % {"n": route.min_links})


def store_files(application: Application, cleaned: list[uploads.CleanFile]) -> list[ApplicationFile]:
    """Save the cleaned files in private storage under random names, with their rows (as the wallet's evidence)."""
    stored = []
    for clean in cleaned:
        item = ApplicationFile(
            application=application, filename=clean.filename, content_type=clean.content_type, size=len(clean.content)
        )
        item.file.save(clean.filename, ContentFile(clean.content), save=False)
        try:
            item.save()
        except Exception:
            private_storage().delete(item.file.name)
            raise
        stored.append(item)
    return stored


def delete_files_on_commit(names: list[str]) -> None:
    names = [name for name in names if name]
    if names:
        storage = private_storage()
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _language(application: Application) -> str:
    return application.language or settings.LANGUAGE_CODE


def email_nominee(application: Application) -> None:
    """The nominee's signed link for this submission, in their language (once per submission)."""
    if not application.nominee_email:
        return
    route = getattr(application.achievement, "application_route", None)
    mail(
        to=application.nominee_email,
        template="applications/email/nominee",
        context={
            "application": application,
            "achievement": application.achievement,
            "nominee_name": application.nominee_name,
            "is_mentor": application.nominee_role == Application.Role.MENTOR,
            "review_url": review_url(application),
            "resubmitted": application.round > 1,
            "sessions_required": route.sessions_required if route else 0,
        },
        language=application.nominee_language or _language(application),
        kind=KIND_NOMINEE,
        dedupe_key=f"{KIND_NOMINEE}:{application.pk}:{application.round}",
    )


def email_applicant(application: Application, *, kind: str, template: str, comment: str, now) -> None:
    mail(
        to=application.email,
        template=f"applications/email/{template}",
        context={
            "application": application,
            "achievement": application.achievement,
            "name": application.name,
            "comment": comment,
            "mine_url": mine_url(),
            "credential_url": (
                settings.BASE_URL + reverse("wallets:detail", kwargs={"public_id": application.award.public_id})
                if application.award_id
                else ""
            ),
        },
        language=_language(application),
        kind=kind,
        dedupe_key=f"{kind}:{application.pk}:{application.round}:{now.isoformat()}",
        award=application.award if application.award_id else None,
    )
