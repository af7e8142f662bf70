"""One verifier for everything: our awards (verification page), and anything pasted or uploaded at /verify/
or sent to /api/verify (baked PNG or SVG, Open Badges 2.0 JSON or URL, Open Badges 3.0 credential), ours or
a third party's.

Each check says what was checked and why it failed, in words a person can read. Input of any shape gets a
clear answer: sizes and JSON depth are bounded before parsing, and the shape of every part the checks read
is validated first (`openbadges.shapes`), so a wrong shape is "Not a valid credential: credentialStatus
must be an object or a list of objects", never an exception. `verify_untrusted` adds a last-resort guard
for the views: an unexpected error is logged as the defect it is and answered in the same words. Hosted
Open Badges 2.0 assertions are checked by `ob2`.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import documents, imagelimits, selectors
from ..fetch import FetchError, fetch
from ..openbadges import BakingError, extract_png, extract_svg, ob3, shapes, verify_credential
from ..openbadges.shapes import ShapeError
from ..openbadges.status_list import StatusListError, entry_is_set

logger = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_INPUT_BYTES = 2 * 1024 * 1024  # a credential, a baked image or a link: /verify/ and /api/verify
_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_LOCAL_STATUS_LIST = re.compile(r"(\d{1,18})/?")


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


def shape_message(exc: ShapeError) -> str:
    """The reader's words for a ShapeError: "Not a valid credential: <field> must be <what>"."""
    if exc.expected == "depth":
        return _("Not a valid credential: the JSON is nested more than %(max)d levels deep.") % {
            "max": shapes.MAX_DEPTH
        }
    expected = {
        "object": _("an object"),
        "objects": _("an object or a list of objects"),
        "string": _("a string"),
        "strings": _("a string or a list of strings"),
        "url": _("an http or https URL"),
        "url_or_object": _("a URL or an object"),
        "date_time": _("a date-time (ISO 8601)"),
        "date_time_or_timestamp": _("a date-time (ISO 8601) or a Unix timestamp"),
        "boolean": _("true or false"),
        "context": _("a URL, an object or a list of them"),
        "index": _("a whole number"),
    }.get(exc.expected, exc.expected)
    return _("Not a valid credential: %(field)s must be %(expected)s.") % {"field": exc.path, "expected": expected}


def text_value(value) -> str:
    """A value shown to the reader: strings only (a name may be a JSON-LD language map, shown as nothing)."""
    return value if isinstance(value, str) else ""


def ours(url, route: str) -> str | None:
    """The rest of `url` after one of our routes (`c`, `ob2/assertions`), or None when it is not ours.
    Our URLs are looked up, never fetched."""
    prefix = f"{settings.BASE_URL}/{route}/"
    if isinstance(url, str) and url.startswith(prefix):
        return url[len(prefix) :].split("/")[0].removesuffix(".json")
    return None


def our_award(public_id: str):
    if not _PUBLIC_ID.fullmatch(public_id):
        return None
    return selectors.Award.objects.select_related(*selectors.AWARD_JOINS).filter(public_id=public_id).first()


def netloc(url) -> str:
    try:
        return urlsplit(url).netloc if isinstance(url, str) else ""
    except ValueError:
        return ""


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
    add_expiry(report, award.expires_at)
    return report


def add_expiry(report: Report, expires_at: datetime | None) -> None:
    if expires_at is None:
        report.add("expiry", True, _("Does not expire."))
    elif expires_at <= timezone.now():
        report.add("expiry", False, _("Expired on %(date)s.") % {"date": expires_at.date().isoformat()})
    else:
        report.add("expiry", True, _("Valid until %(date)s.") % {"date": expires_at.date().isoformat()})


# --- anything ---------------------------------------------------------------------------------------


def verify_untrusted(data: bytes | str, *, email: str = "") -> Report:
    """`verify_input` behind the views' last-resort guard. Every known shape of bad input is answered by
    verify_input itself (the fuzz tests check that this guard never answers); an exception reaching here is
    a defect: it is logged with its traceback and the person gets a clear answer, never a server error."""
    try:
        return verify_input(data, email=email)
    except Exception:
        logger.exception("The verifier failed on an input of %d bytes; it should have said why.", len(data))
        return Report(problem=_("Not a valid credential: it could not be read (the error was logged)."))


def verify_input(data: bytes | str, *, email: str = "") -> Report:
    """Verify what a person pasted or uploaded. Never raises for bad input: the report says what is wrong."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    if len(data) > MAX_INPUT_BYTES:
        return Report(problem=_("This is larger than %(mb)d MB: it is not a credential.") % {"mb": _mb()})
    data = data.strip()
    if not data:
        return Report(problem=_("Nothing to verify: paste a credential or choose a file."))
    try:
        if data.startswith(PNG_SIGNATURE):
            # Not decoded here, but an import re-encodes it, and no badge image is that large.
            imagelimits.check_pixels(data[:64], limit=imagelimits.BADGE_MAX_PIXELS)
            baked = extract_png(data)
            if baked is None:
                return Report(problem=_("This PNG image carries no Open Badges data (it is not a baked badge)."))
            report = _verify_text(baked.text or "", email=email)
            also = extract_png(data, version="2.0") if baked.version == "3.0" else None
            if also is not None and not report.problem:
                _also_baked_ob2(report, also.text or "", email=email)
            return report
        if data.lstrip().startswith((b"<?xml", b"<svg", b"<!--")):
            imagelimits.check_svg_images(data, limit=imagelimits.BADGE_MAX_PIXELS)  # the images it embeds
            baked = extract_svg(data)
            if baked is None:
                return Report(problem=_("This SVG image carries no Open Badges data (it is not a baked badge)."))
            return _verify_text(baked.text or baked.verify or "", email=email)
    except imagelimits.ImageTooLarge as exc:
        return Report(problem=exc.messages[0])
    except (BakingError, ValueError) as exc:
        return Report(problem=_("The image could not be read: %(error)s") % {"error": exc})
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Report(problem=_("This is neither a badge image nor JSON text."))
    return _verify_text(text, email=email)


def _mb() -> int:
    return MAX_INPUT_BYTES // (1024 * 1024)


def _also_baked_ob2(report: Report, text: str, *, email: str) -> None:
    """A PNG may carry both a 3.0 credential and a 2.0 assertion (ours do: one image for every verifier). The
    report is the 3.0 credential's; the 2.0 assertion is verified too, because a 2.0 verifier reads only it,
    and must be valid and, when both are ours, be the same award."""
    other = _verify_text(text, email=email)
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


def _verify_text(text: str, *, email: str) -> Report:
    text = text.strip()
    if text.startswith(("http://", "https://")) and "\n" not in text:
        return _verify_url(text, email=email)
    try:
        document = shapes.parse_json(text)
    except ShapeError as exc:
        return Report(problem=shape_message(exc))
    except ValueError:
        return Report(problem=_("This is not valid JSON, a badge image or a credential URL."))
    return _verify_document(document, email=email)


def _verify_document(document, *, email: str) -> Report:
    if not isinstance(document, dict):
        return Report(problem=_("The JSON is not an object: nothing here looks like a credential."))
    try:
        types = shapes.strings(document.get("type"), "type")
    except ShapeError as exc:
        return Report(problem=shape_message(exc))
    if "VerifiableCredential" in types or "proof" in document:
        return verify_ob3(document, email=email)
    if "Assertion" in types:
        from .ob2 import verify_ob2

        return verify_ob2(document, email=email)
    return Report(problem=_("The JSON is neither an Open Badges 2.0 Assertion nor a verifiable credential."))


def _verify_url(url: str, *, email: str) -> Report:
    if not shapes.is_http_url(url):
        return Report(problem=_("This is not a valid http or https address."))
    public_id = ours(url, "c")
    if public_id is None:
        public_id = ours(url, "ob2/assertions")
    if public_id is not None:
        award = our_award(public_id)
        if award is None:
            return Report(problem=_("No credential of ours has this address."))
        if "/ob2/" in url:
            from .ob2 import verify_ob2

            return verify_ob2(documents.ob2_assertion(award), email=email)
        return verify_ob3(award.credential, email=email)
    try:
        document = fetch_json(url)
    except FetchError as exc:
        return Report(problem=str(exc))
    except ShapeError as exc:
        return Report(problem=shape_message(exc))
    except ValueError:
        return Report(problem=_("%(url)s did not return JSON.") % {"url": url[:200]})
    return _verify_document(document, email=email)


def fetch_json(url: str, **kwargs):
    """A third party's JSON document. Raises FetchError, ShapeError (too deep) or ValueError (not JSON)."""
    body, _type = fetch(url, **kwargs)
    return shapes.parse_json(body)


def add_recipient(report: Report, *, identity: str, salt: str, hashed: bool, email: str) -> None:
    if not email:
        return
    if hashed:
        matches = ob3.email_matches(identity, email, salt)
    else:
        matches = ob3.normalize_email(identity) == ob3.normalize_email(email)
    report.add(
        "recipient",
        matches,
        _("Issued to %(email)s.") % {"email": email} if matches else _("Not issued to %(email)s.") % {"email": email},
    )


# --- Open Badges 3.0 --------------------------------------------------------------------------------


def verify_ob3(credential: dict, *, email: str = "") -> Report:
    report = Report(kind="ob3", document=credential if isinstance(credential, dict) else None)
    try:
        shapes.check_ob3(credential)
    except ShapeError as exc:
        report.problem = shape_message(exc)
        return report
    report.name = text_value(credential.get("name"))
    issuer = credential["issuer"]
    report.issuer_name = text_value(issuer.get("name")) if isinstance(issuer, dict) else issuer
    report.issued = text_value(credential.get("validFrom"))
    public_id = ours(credential.get("id"), "c")
    if public_id is not None:
        report.award = our_award(public_id)
    result = verify_credential(credential, check_dates=False)
    report.add(
        "signature",
        result.ok,
        _("The signature (eddsa-rdfc-2022, did:key) is intact.")
        if result.ok
        else _("The signature does not verify: %(why)s") % {"why": "; ".join(result.errors)},
    )
    _ob3_status(report, credential)
    valid_from = shapes.date_time(credential.get("validFrom"), "validFrom")
    if valid_from and valid_from > timezone.now():
        report.add("validity", False, _("Not valid before %(date)s.") % {"date": valid_from.date().isoformat()})
    add_expiry(report, shapes.date_time(credential.get("validUntil"), "validUntil"))
    for subject in shapes.objects(credential["credentialSubject"], "credentialSubject"):
        emails = [
            identifier
            for identifier in shapes.objects(subject.get("identifier"), "credentialSubject.identifier")
            if identifier.get("identityType") == "emailAddress"
        ]
        if emails:
            add_recipient(
                report,
                identity=emails[0].get("identityHash") or "",
                salt=emails[0].get("salt") or "",
                hashed=bool(emails[0].get("hashed")),
                email=email,
            )
            break
    return report


def _ob3_status(report: Report, credential: dict) -> None:
    entries = shapes.objects(credential.get("credentialStatus"), "credentialStatus")
    if not entries:
        report.add("status", True, _("The issuer publishes no revocation status for this credential."))
        return
    entry = entries[0]
    list_url = entry.get("statusListCredential") or ""
    if not shapes.is_http_url(list_url):
        report.add("status", False, _("The credential's status entry does not name a status list URL."))
        return
    local_prefix = f"{settings.BASE_URL}/status/"
    try:
        if list_url.startswith(local_prefix):
            local = _LOCAL_STATUS_LIST.fullmatch(list_url[len(local_prefix) :])
            if local is None:
                raise Http404
            from ..services import status_list_signed

            list_credential = status_list_signed(selectors.status_list_by_pk(int(local.group(1))))
        else:
            accept = "application/vc+ld+json, application/ld+json, application/json"
            list_credential = shapes.check_status_list_credential(fetch_json(list_url, accept=accept))
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
    except Http404:
        report.add("status", False, _("The status list %(url)s does not exist.") % {"url": list_url[:200]})
        return
    except (FetchError, StatusListError, ValueError) as exc:  # ShapeError and "not JSON" are ValueErrors
        report.add("status", False, _("The revocation status could not be checked: %(why)s") % {"why": exc})
        return
    if revoked:
        reason = getattr(report.award, "revocation_reason", "") if report.award else ""
        report.add("status", False, _("Revoked by the issuer.") + (f" {reason}" if reason else ""))
    else:
        report.add("status", True, _("Not revoked (checked in the issuer's status list)."))
