"""Hosted Open Badges 2.0 verification (part of the one verifier, `credentials.verification`): the
assertion is fetched from its id (ours are read from the database), then its badge class and issuer; each
document is checked for shape before it is read."""

from django.utils.translation import gettext as _

from .. import documents
from ..fetch import FetchError
from ..languages import award_language
from ..openbadges import shapes
from ..openbadges.shapes import ShapeError
from . import (
    Report,
    add_expiry,
    add_recipient,
    fetch_json,
    netloc,
    our_award,
    ours,
    shape_message,
    text_value,
)


def verify_ob2(assertion: dict, *, email: str = "") -> Report:
    """Hosted Open Badges 2.0: the assertion, its badge class and issuer are fetched from their ids."""
    report = Report(kind="ob2", document=assertion if isinstance(assertion, dict) else None)
    try:
        shapes.obj(assertion, "assertion")
        verification = assertion.get("verification")
        vtypes = []
        if verification is not None:
            vtypes = shapes.strings(shapes.obj(verification, "verification").get("type"), "verification.type")
        if not {"hosted", "HostedBadge"} & set(vtypes):
            report.problem = _(
                "Only hosted Open Badges 2.0 assertions can be verified here (this one is “%(type)s”)."
            ) % {"type": ", ".join(vtypes) or "?"}
            return report
        shapes.check_ob2_assertion(assertion)
        hosted, badge, issuer = _ob2_hosted(report, assertion)
    except ShapeError as exc:
        report.problem = shape_message(exc)
        return report
    except FetchError as exc:
        report.add("hosted", False, str(exc))
        return report
    except ValueError:
        report.add("hosted", False, _("The issuer's server did not return JSON."))
        return report
    if hosted is None:
        report.add("hosted", False, _("The assertion is not hosted at its id."))
        return report
    report.name = text_value(badge.get("name"))
    report.issuer_name = text_value(issuer.get("name"))
    report.issued = str(hosted.get("issuedOn") or "")
    assertion_id = assertion["id"]
    same = hosted.get("id") == assertion_id and hosted.get("recipient") == assertion.get("recipient")
    report.add(
        "hosted",
        same,
        _("The issuer hosts this assertion at its id.")
        if same
        else _("The assertion at its id differs from the one given."),
    )
    origin_ok = netloc(assertion_id) == netloc(issuer.get("id"))
    report.add(
        "origin",
        origin_ok,
        _("The assertion is hosted on the issuer's own site.")
        if origin_ok
        else _("The assertion is not hosted on the issuer's site."),
    )
    if hosted.get("revoked"):
        reason = text_value(hosted.get("revocationReason")) or _("no reason given")
        report.add("status", False, _("Revoked by the issuer: %(reason)s") % {"reason": reason})
    else:
        report.add("status", True, _("Not revoked."))
    add_expiry(report, shapes.date_time(hosted.get("expires"), "expires", timestamps=True))
    recipient = hosted["recipient"]
    add_recipient(
        report,
        identity=recipient.get("identity") or "",
        salt=recipient.get("salt") or "",
        hashed=bool(recipient.get("hashed")),
        email=email,
    )
    return report


def _ob2_hosted(report: Report, assertion: dict) -> tuple[dict | None, dict | None, dict | None]:
    """The assertion as hosted at its id, its badge class and issuer: ours from the database, a third
    party's fetched (each checked for shape). (None, None, None) when it is one of our URLs but unknown."""
    public_id = ours(assertion["id"], "ob2/assertions")
    if public_id is not None:
        award = our_award(public_id)
        if award is None:
            return None, None, None
        report.award = award
        return (
            documents.ob2_assertion(award),
            documents.ob2_badge_class(award.achievement, award_language(award)),
            documents.ob2_issuer(award.achievement.issuer),
        )
    hosted = shapes.check_ob2_assertion(fetch_json(assertion["id"]), "hosted assertion")
    badge = hosted["badge"]
    if not isinstance(badge, dict):
        badge = shapes.check_ob2_badge(fetch_json(badge), "badge")
    issuer = badge["issuer"]
    if not isinstance(issuer, dict):
        issuer = shapes.check_ob2_issuer(fetch_json(issuer), "badge.issuer")
    return hosted, badge, issuer
