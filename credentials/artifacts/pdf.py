"""Certificate PDFs (WeasyPrint) from the tier's HTML/CSS template, cached until their inputs change.

What is drawn and how fast: `pdf_renderer` (shipped fonts only, one shared renderer per process, replayed SVG
decorations); the two third-party shims it installs: `shims` (docs/decisions/0007-third-party-shims.md).
The QR code gets segno's best mask, scored in about 1 ms instead of 4 (`qrcodes`).

The PDF carries its own proof: the award's signed Open Badges 3.0 credential is attached as
`credential.json`. Title, author (issuer), subject (achievement) and language are set as metadata.

Cache. A PDF is stored under `certificates/<public_id>-<digest>.pdf`, the digest hashing everything the
bytes depend on: the rendered HTML (template, palette, every value printed, the QR code, the translated
labels of the recipient's language), the attached credential, the renderer version, the font files and
the WeasyPrint version. Any change there gives a new name, so a stale PDF is never served and a missing
file is simply rendered again. Accepting, declining or expiring an award does not change its PDF
(verification through the printed URL and QR code shows the live status); a correction is a reissue, which
is a new award with a new PDF. Revocation does: a revoked award's page carries a REVOKED banner (date and
reason) on every page and a watermark (credentials.artifacts.revocation_marks), so its HTML, hence its cache key,
differs and the revoked variant is cached on its own; the clean PDF is never served for it again.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import unicodedata
from functools import lru_cache

from django.core.files.storage import default_storage
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from multilingual.text import in_language

from ..languages import award_language
from ..links import absolute
from .pdf_renderer import fonts_fingerprint, renderer, uncovered_characters
from .storing import store_once

logger = logging.getLogger(__name__)

ATTACHMENT_NAME = "credential.json"


# --- What is printed ----------------------------------------------------------------------------------


def _template_owner(achievement):
    """Certificates use their tier's template; badges use the first tier's template of their framework."""
    if achievement.tier_id:
        return achievement.tier
    return achievement.category.framework.certificatetier_set.order_by("order").first()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _signatories(achievement) -> list[dict]:
    """[{"name", "title"}], up to three, from the achievement or else its issuer.

    Neither model has such a field yet: until one does, certificates print no signatures (the templates
    lay out up to three signature lines when there are some).
    """
    for owner in (achievement, achievement.issuer):
        people = getattr(owner, "signatories", None)
        if people:
            return [{"name": _nfc(p.get("name", "")), "title": _nfc(p.get("title", ""))} for p in people[:3]]
    return []


def certificate_language(award) -> str:
    return award.recipient_language or award.achievement.language or "en"


def certificate_values(award) -> dict:
    """What the page prints (the variables of frameworks.samples.certificate_context), in the recipient's
    language: labels and date in it, the achievement's texts in the signed credential's language (the
    recipient's when translated); names are NFC-normalised so that precomposed letters meet the fonts' glyphs."""
    achievement = in_language(award.achievement, award_language(award))
    with translation.override(certificate_language(award)):
        issued_on = date_format(award.issued_at, "DATE_FORMAT")
        rtl = translation.get_language_bidi()
    return {
        "lang": certificate_language(award),
        "dir": "rtl" if rtl else "ltr",
        "tier_name": achievement.tier.name if achievement.tier_id else achievement.category.name,
        "recipient_name": _nfc(award.recipient_name),
        "achievement_name": _nfc(achievement.name),
        "achievement_description": _nfc(achievement.description),
        "hours": "" if achievement.hours is None else format(achievement.hours.normalize(), "f"),
        "ects": "" if achievement.ects_credits is None else format(achievement.ects_credits.normalize(), "f"),
        "issued_on": issued_on,
        "issuer_name": _nfc(achievement.issuer.name),
        "issuer_logo": "",
        "signatories": _signatories(achievement),
        "verify_url": absolute("verify_page", public_id=award.public_id),
        "credential_id": award.public_id,
    }


@lru_cache(maxsize=32)
def _compiled(template_text: str) -> Template:
    return Template(template_text)


#: The QR code's data mask: None for the best of the eight (ISO/IEC 18004 7.8.3, segno's choice, scored in
#: about 1 ms by credentials.artifacts.qrcodes instead of segno's 4), or a fixed mask (0-7). Every mask decodes: the
#: evaluation only avoids patterns that can confuse a scanner, so the default keeps it
#: (benchmarks/render_pdf.py --qr-mask shows the difference).
QR_MASK: int | None = None

# The QR code is a function of the verification URL, the ink colour and the mask, which the cache key
# includes: the page is rendered with placeholders (cheap, and enough to compute the cache key), and the
# QR code is only encoded when a PDF is actually drawn.
_QR_IMAGE = "laurel-qr-image-placeholder"
_QR_SVG = "<!-- laurel-qr-svg-placeholder -->"


def _page(award, owner) -> str:
    """The certificate page as HTML with QR placeholders, in the recipient's language (labels, date, direction).

    The context is frameworks.samples.certificate_context's, with every value given, plus `qr_image`.
    """
    from .revocation_marks import mark_html, revocation_note

    with translation.override(certificate_language(award)):
        context = {**owner.palette, **certificate_values(award), "qr_image": _QR_IMAGE, "qr_svg": _QR_SVG}
        page = _compiled(owner.html_template).render(Context(context, autoescape=True))
    note = revocation_note(award)
    return mark_html(page, note) if note else page


def _with_qr(page: str, *, url: str, ink: str) -> str:
    """Fill the QR placeholders: a PNG data URL (one pixel a module, drawn without smoothing) or inline SVG."""
    import segno

    from .qrcodes import make_qr

    qr = make_qr(url, error="m") if QR_MASK is None else segno.make_qr(url, error="m", mask=QR_MASK)
    if _QR_IMAGE in page:
        page = page.replace(_QR_IMAGE, qr.png_data_uri(scale=1, border=4, dark=ink, light="#ffffff"))
    if _QR_SVG in page:
        page = page.replace(_QR_SVG, qr.svg_inline(scale=3, dark=ink))
    return page


def certificate_html(award) -> str:
    """The certificate page as HTML, exactly as it is drawn into the PDF."""
    owner = _template_owner(award.achievement)
    return _with_qr(_page(award, owner), url=absolute("verify_page", public_id=award.public_id), ink=owner.ink)


def _credential_json(award) -> str:
    return json.dumps(award.credential, ensure_ascii=False, indent=2, sort_keys=True)


# --- Rendering and cache ---------------------------------------------------------------------------


def _render(award, html: str) -> bytes:
    from datetime import UTC

    from weasyprint import Attachment

    from .revocation_marks import revocation_note

    achievement = in_language(award.achievement, award_language(award))
    values = f"{award.recipient_name} {achievement.name} {achievement.issuer.name}"
    if missing := uncovered_characters(values):
        logger.warning("certificate %s: no shipped font draws %r", award.public_id, missing)
    issued = award.issued_at.astimezone(UTC)
    note = revocation_note(award)
    metadata = {
        "title": (f"{note.label} · " if note else "") + f"{_nfc(achievement.name)} · {_nfc(award.recipient_name)}",
        "authors": [_nfc(achievement.issuer.name)],
        "description": _nfc(achievement.name),
        "keywords": ["Open Badges 3.0", "verifiable credential", award.public_id],
        "generator": "Laurel",
        "created": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "modified": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lang": certificate_language(award),
    }
    attachment = Attachment(
        string=_credential_json(award),
        name=ATTACHMENT_NAME,
        description="Signed Open Badges 3.0 credential (W3C Verifiable Credential) of this certificate",
        created=issued,
        modified=issued,
        relationship="Data",
    )
    return renderer().render(html, metadata=metadata, attachments=[attachment])


def render_certificate_pdf(award) -> bytes:
    return _render(award, certificate_html(award))


def _cache_path(award, owner, page: str) -> str:
    """`page` is the HTML with QR placeholders; the QR code is a function of the URL, the ink and the mask."""
    qr = f"{absolute('verify_page', public_id=award.public_id)} {owner.ink} {QR_MASK}"
    digest = hashlib.sha256()
    for part in (fonts_fingerprint(), page, qr, _credential_json(award)):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"certificates/{award.public_id}-{digest.hexdigest()[:16]}.pdf"


def stored_certificate_pdf(award) -> str:
    """Render into storage if the current inputs have no PDF yet; return the storage path. Idempotent even
    when two runs render the same award at once (a redelivered task): one file remains (`store_once`)."""
    owner = _template_owner(award.achievement)
    page = _page(award, owner)
    path = _cache_path(award, owner, page)
    if not default_storage.exists(path):
        html = _with_qr(page, url=absolute("verify_page", public_id=award.public_id), ink=owner.ink)
        path = store_once(path, _render(award, html))
    return path


def certificate_pdf_file(award):
    """An open file of the award's PDF: rendered on first use, then served from storage."""
    with default_storage.open(stored_certificate_pdf(award), "rb") as handle:
        return io.BytesIO(handle.read())
