"""One verifier for everything: our awards (verification page), and anything pasted or uploaded at /verify/
(baked PNG or SVG, Open Badges 2.0 JSON or URL, Open Badges 3.0 credential), ours or a third party's.

Each check says what was checked and why it failed, in words a person can read.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import documents, selectors
from .fetch import FetchError, fetch
from .openbadges import BakingError, extract_png, extract_svg, ob3, verify_credential
from .openbadges.status_list import StatusListError, entry_is_set

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Check:
    name: str
    ok: bool
    message: str


@dataclass
class Report:
    kind: str = ""  # "ob2" | "ob3" | ""
    checks: list[Check] = field(default_factory=list)
    problem: str = ""  # the input itself could not be read
    name: str = ""
    issuer_name: str = ""
    issued: str = ""
    award: object = None  # our Award, when the credential is ours
    document: dict | None = None

    @property
    def valid(self) -> bool:
        return not self.problem and bool(self.checks) and all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, message: str) -> None:
        self.checks.append(Check(name, ok, message))


def _parse_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _our_public_id(url: str, route: str) -> str | None:
    """The public id when `url` is one of our award URLs (never fetched over the network)."""
    prefix = f"{settings.BASE_URL}/{route}/"
    if isinstance(url, str) and url.startswith(prefix):
        rest = url[len(prefix) :].split("/")[0].removesuffix(".json")
        return rest or None
    return None


# --- our awards -------------------------------------------------------------------------------------


def verify_award(award) -> Report:
    """The checks shown on an award's verification page: signature, status and expiry."""
    report = Report(
        kind="ob3",
        award=award,
        name=award.achievement.name,
        issuer_name=award.achievement.issuer.name,
        document=award.credential,
    )
    result = verify_credential(award.credential, check_dates=False)
    report.add(
        "signature",
        result.ok,
        _("The issuer's signature (eddsa-rdfc-2022) is intact.")
        if result.ok
        else _("The signature does not verify: %(why)s") % {"why": "; ".join(result.errors)},
    )
    revoked = selectors.award_bit(award)
    if revoked or award.is_revoked:
        report.add("status", False, _("Revoked by the issuer: %(reason)s") % {"reason": award.revocation_reason})
    else:
        report.add("status", True, _("Not revoked (checked in the issuer's status list)."))
    _expiry(report, award.expires_at)
    return report


def _expiry(report: Report, expires_at: datetime | None) -> None:
    if expires_at is None:
        report.add("expiry", True, _("Does not expire."))
    elif expires_at <= timezone.now():
        report.add("expiry", False, _("Expired on %(date)s.") % {"date": expires_at.date().isoformat()})
    else:
        report.add("expiry", True, _("Valid until %(date)s.") % {"date": expires_at.date().isoformat()})


# --- anything ---------------------------------------------------------------------------------------


def verify_input(data: bytes | str, *, email: str = "") -> Report:
    """Verify what a person pasted or uploaded. Never raises for bad input: the report says what is wrong."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = data.strip()
    if not data:
        return Report(problem=_("Nothing to verify: paste a credential or choose a file."))
    try:
        if data.startswith(PNG_SIGNATURE):
            baked = extract_png(data)
            if baked is None:
                return Report(problem=_("This PNG image carries no Open Badges data (it is not a baked badge)."))
            report = _verify_text(baked.text or "", email=email, baked=True)
            also = extract_png(data, version="2.0") if baked.version == "3.0" else None
            if also is not None and not report.problem:
                _also_baked_ob2(report, also.text or "", email=email)
            return report
        if data.lstrip().startswith((b"<?xml", b"<svg", b"<!--")):
            baked = extract_svg(data)
            if baked is None:
                return Report(problem=_("This SVG image carries no Open Badges data (it is not a baked badge)."))
            return _verify_text(baked.text or baked.verify or "", email=email, baked=True)
    except (BakingError, ValueError) as exc:
        return Report(problem=_("The image could not be read: %(error)s") % {"error": exc})
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Report(problem=_("This is neither a badge image nor JSON text."))
    return _verify_text(text, email=email)


def _also_baked_ob2(report: Report, text: str, *, email: str) -> None:
    """A PNG may carry both a 3.0 credential and a 2.0 assertion (ours do: one image for every verifier). The
    report is the 3.0 credential's; the 2.0 assertion is verified too, because a 2.0 verifier reads only it,
    and must be valid and, when both are ours, be the same award."""
    other = _verify_text(text, email=email, baked=True)
    failed = [check.message for check in other.checks if not check.ok]
    same = not (report.award and other.award) or report.award.pk == other.award.pk
    if other.problem or failed:
        message = _("The image also carries an Open Badges 2.0 assertion, which does not verify: %(why)s") % {
            "why": other.problem or " ".join(failed)
        }
    elif not same:
        message = _("The image also carries an Open Badges 2.0 assertion of another credential.")
    else:
        message = _("The image also carries the Open Badges 2.0 assertion of this credential, which verifies too.")
    report.add("baked 2.0 assertion", not (other.problem or failed) and same, message)


def _verify_text(text: str, *, email: str, baked: bool = False) -> Report:
    text = text.strip()
    if text.startswith(("http://", "https://")) and "\n" not in text:
        return _verify_url(text, email=email)
    try:
        document = json.loads(text)
    except ValueError:
        return Report(problem=_("This is not valid JSON, a badge image or a credential URL."))
    if not isinstance(document, dict):
        return Report(problem=_("The JSON is not an object: nothing here looks like a credential."))
    types = document.get("type") or []
    types = [types] if isinstance(types, str) else types
    if "VerifiableCredential" in types or "proof" in document:
        return verify_ob3(document, email=email)
    if "Assertion" in types:
        return verify_ob2(document, email=email)
    return Report(problem=_("The JSON is neither an Open Badges 2.0 Assertion nor a verifiable credential."))


def _verify_url(url: str, *, email: str) -> Report:
    public_id = _our_public_id(url, "c") or _our_public_id(url, "ob2/assertions")
    if public_id:
        try:
            award = selectors.award_by_public_id(public_id)
        except Exception:
            return Report(problem=_("No credential of ours has this address."))
        if "/ob2/" in url:
            return verify_ob2(documents.ob2_assertion(award), email=email)
        return verify_ob3(award.credential, email=email)
    try:
        body, _type = fetch(url)
        document = json.loads(body)
    except FetchError as exc:
        return Report(problem=str(exc))
    except ValueError:
        return Report(problem=_("%(url)s did not return JSON.") % {"url": url})
    return _verify_text(json.dumps(document), email=email)


def _recipient(report: Report, *, identity: str, salt: str, hashed: bool, email: str) -> None:
    if not email:
        return
    if hashed:
        matches = ob3.email_matches(identity or "", email, salt or "")
    else:
        matches = ob3.normalize_email(identity or "") == ob3.normalize_email(email)
    report.add(
        "recipient",
        matches,
        _("Issued to %(email)s.") % {"email": email} if matches else _("Not issued to %(email)s.") % {"email": email},
    )


def verify_ob3(credential: dict, *, email: str = "") -> Report:
    report = Report(kind="ob3", document=credential, name=str(credential.get("name") or ""))
    issuer = credential.get("issuer")
    report.issuer_name = str(issuer.get("name", "")) if isinstance(issuer, dict) else str(issuer or "")
    report.issued = str(credential.get("validFrom") or "")
    public_id = _our_public_id(str(credential.get("id") or ""), "c")
    if public_id:
        report.award = (
            selectors.Award.objects.select_related(*selectors.AWARD_JOINS).filter(public_id=public_id).first()
        )
    result = verify_credential(credential, check_dates=False)
    report.add(
        "signature",
        result.ok,
        _("The signature (eddsa-rdfc-2022, did:key) is intact.")
        if result.ok
        else _("The signature does not verify: %(why)s") % {"why": "; ".join(result.errors)},
    )
    _ob3_status(report, credential)
    valid_from, valid_until = _parse_time(credential.get("validFrom")), _parse_time(credential.get("validUntil"))
    if valid_from and valid_from > timezone.now():
        report.add("validity", False, _("Not valid before %(date)s.") % {"date": valid_from.date().isoformat()})
    _expiry(report, valid_until)
    subject = credential.get("credentialSubject") or {}
    for identifier in (subject.get("identifier") or []) if isinstance(subject, dict) else []:
        if isinstance(identifier, dict) and identifier.get("identityType") == "emailAddress":
            _recipient(
                report,
                identity=identifier.get("identityHash", ""),
                salt=identifier.get("salt", ""),
                hashed=bool(identifier.get("hashed")),
                email=email,
            )
            break
    return report


def _ob3_status(report: Report, credential: dict) -> None:
    entry = credential.get("credentialStatus")
    if not entry:
        report.add("status", True, _("The issuer publishes no revocation status for this credential."))
        return
    if isinstance(entry, list):
        entry = entry[0] if entry else {}
    list_url = str(entry.get("statusListCredential") or "")
    try:
        local = list_url.startswith(f"{settings.BASE_URL}/status/")
        if local:
            status_list = selectors.status_list_by_pk(int(list_url.rstrip("/").rsplit("/", 1)[-1]))
            from .services import status_list_signed

            list_credential = status_list_signed(status_list)
        else:
            body, _type = fetch(list_url, accept="application/vc+ld+json, application/ld+json, application/json")
            list_credential = json.loads(body)
            result = verify_credential(list_credential, check_dates=True)
            if not result.ok:
                report.add(
                    "status",
                    False,
                    _("The status list's signature does not verify: %(why)s") % {"why": "; ".join(result.errors)},
                )
                return
        list_issuer = list_credential.get("issuer")
        list_issuer = list_issuer.get("id") if isinstance(list_issuer, dict) else list_issuer
        cred_issuer = credential.get("issuer")
        cred_issuer = cred_issuer.get("id") if isinstance(cred_issuer, dict) else cred_issuer
        if list_issuer != cred_issuer:
            report.add("status", False, _("The status list was not published by the credential's issuer."))
            return
        revoked = entry_is_set(list_credential, entry)
    except (FetchError, StatusListError, ValueError, LookupError) as exc:
        report.add("status", False, _("The revocation status could not be checked: %(why)s") % {"why": exc})
        return
    except Exception as exc:  # Http404 for an unknown local list
        report.add("status", False, _("The revocation status could not be checked: %(why)s") % {"why": exc})
        return
    if revoked:
        reason = getattr(report.award, "revocation_reason", "") if report.award else ""
        report.add("status", False, _("Revoked by the issuer.") + (f" {reason}" if reason else ""))
    else:
        report.add("status", True, _("Not revoked (checked in the issuer's status list)."))


def verify_ob2(assertion: dict, *, email: str = "") -> Report:
    """Hosted Open Badges 2.0: the assertion, its badge class and issuer are fetched from their ids."""
    report = Report(kind="ob2", document=assertion)
    verification = assertion.get("verification") or {}
    vtype = verification.get("type") if isinstance(verification, dict) else None
    if vtype not in ("hosted", "HostedBadge"):
        report.problem = _("Only hosted Open Badges 2.0 assertions can be verified here (this one is “%(type)s”).") % {
            "type": vtype or "?"
        }
        return report
    assertion_id = str(assertion.get("id") or "")
    public_id = _our_public_id(assertion_id, "ob2/assertions")
    try:
        if public_id:
            award = selectors.award_by_public_id(public_id)
            report.award = award
            hosted = documents.ob2_assertion(award)
            badge = documents.ob2_badge_class(award.achievement)
            issuer = documents.ob2_issuer(award.achievement.issuer)
        else:
            hosted = json.loads(fetch(assertion_id)[0])
            badge_ref = hosted.get("badge")
            badge = badge_ref if isinstance(badge_ref, dict) else json.loads(fetch(str(badge_ref))[0])
            issuer_ref = badge.get("issuer")
            issuer = issuer_ref if isinstance(issuer_ref, dict) else json.loads(fetch(str(issuer_ref))[0])
    except FetchError as exc:
        report.add("hosted", False, str(exc))
        return report
    except ValueError:
        report.add("hosted", False, _("The issuer's server did not return JSON."))
        return report
    except Exception:
        report.add("hosted", False, _("The assertion is not hosted at its id."))
        return report
    report.name = str(badge.get("name") or "")
    report.issuer_name = str(issuer.get("name") or "")
    report.issued = str(hosted.get("issuedOn") or "")
    same = hosted.get("id") == assertion_id and hosted.get("recipient") == assertion.get("recipient")
    report.add(
        "hosted",
        same,
        _("The issuer hosts this assertion at its id.")
        if same
        else _("The assertion at its id differs from the one given."),
    )
    from urllib.parse import urlsplit

    origin_ok = urlsplit(assertion_id).netloc == urlsplit(str(issuer.get("id") or "")).netloc
    report.add(
        "origin",
        origin_ok,
        _("The assertion is hosted on the issuer's own site.")
        if origin_ok
        else _("The assertion is not hosted on the issuer's site."),
    )
    if hosted.get("revoked"):
        report.add(
            "status",
            False,
            _("Revoked by the issuer: %(reason)s") % {"reason": hosted.get("revocationReason") or _("no reason given")},
        )
    else:
        report.add("status", True, _("Not revoked."))
    _expiry(report, _parse_time(hosted.get("expires")))
    recipient = hosted.get("recipient") or {}
    _recipient(
        report,
        identity=recipient.get("identity", ""),
        salt=recipient.get("salt", ""),
        hashed=bool(recipient.get("hashed")),
        email=email,
    )
    return report
