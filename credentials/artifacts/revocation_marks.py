"""What a revoked award's downloads say about it: a "REVOKED" mark with the date and the reason.

A revoked credential must not leave its public page as a clean document. Its certificate PDF gets a
banner on every page and a diagonal watermark; its badge images (PNG and SVG) get a diagonal band. The
baked data stays in the images, so verifiers still read the credential and find it revoked in the status
list and the hosted assertion. The mark is written in the recipient's language (the certificate's).

The marked files are derived data like the clean ones: the PDF cache key hashes the page HTML, and the
PNG cache key hashes the SVG, both of which include the mark, so a revoked award has its own cached files
and the clean ones are never served for it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape as html_escape
from django.utils.translation import gettext as _

REASON_CHARS_ON_IMAGES = 70
_NUMBER = r"([-\d.eE]+)[\s,]+"
_VIEWBOX = re.compile(r"<svg\b[^>]*?\bviewBox\s*=\s*[\"']\s*" + _NUMBER * 3 + r"([\d.eE]+)")
_CLOSE_SVG = re.compile(r"</svg\s*>\s*$")
_CLOSE_BODY = re.compile(r"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class RevocationNote:
    label: str  # "REVOKED", translated
    date: str  # the revocation date, formatted in the language
    reason: str
    line: str  # "Revoked on 1 December 2026: Issued in error", translated


def _language(award) -> str:
    return award.recipient_language or award.achievement.language or "en"


def revocation_note(award) -> RevocationNote | None:
    """The mark of a revoked award in its recipient's language; None when the award is not revoked."""
    if not award.is_revoked:
        return None
    when = award.state_changed_at or award.issued_at
    reason = " ".join((award.revocation_reason or "").split())
    with translation.override(_language(award)):
        date = date_format(when, "DATE_FORMAT")
        label = _("REVOKED")
        if reason:
            line = _("Revoked on %(date)s: %(reason)s") % {"date": date, "reason": reason}
        else:
            line = _("Revoked on %(date)s") % {"date": date}
    return RevocationNote(label=label, date=date, reason=reason, line=line)


# --- images ------------------------------------------------------------------------------------------


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mark_svg(svg: str, note: RevocationNote) -> str:
    """`svg` with a diagonal red band saying REVOKED (and the date and reason) drawn over everything."""
    match = _VIEWBOX.search(svg)
    x, y, width, height = (float(v) for v in match.groups()) if match else (0.0, 0.0, 600.0, 600.0)
    cx, cy = x + width / 2, y + height / 2
    band = height * 0.26
    size = band * 0.42
    detail = xml_escape(_shorten(note.line, REASON_CHARS_ON_IMAGES))
    mark = (
        f'<g id="laurel-revoked" transform="rotate(-30 {cx:g} {cy:g})">'
        f'<rect x="{x - width * 0.3:g}" y="{cy - band / 2:g}" width="{width * 1.6:g}" height="{band:g}" '
        'fill="#b00020" fill-opacity="0.9" stroke="#ffffff" stroke-width="3"/>'
        f'<text x="{cx:g}" y="{cy + size * 0.2:g}" text-anchor="middle" font-family="DejaVu Sans, Noto Sans, '
        f'sans-serif" font-weight="bold" font-size="{size:g}" fill="#ffffff">{xml_escape(note.label)}</text>'
        f'<text x="{cx:g}" y="{cy + band * 0.38:g}" text-anchor="middle" font-family="DejaVu Sans, Noto Sans, '
        f'sans-serif" font-size="{band * 0.1:g}" fill="#ffffff">{detail}</text>'
        "</g>"
    )
    closing = _CLOSE_SVG.search(svg)
    if closing is None:
        raise ValueError("not an SVG document (no closing </svg>)")
    return svg[: closing.start()] + mark + svg[closing.start() :]


# --- certificate PDF ---------------------------------------------------------------------------------

_PDF_STYLE = """<style>
.laurel-revoked-banner { position: fixed; top: 0; left: 0; right: 0; z-index: 1000; background: #b00020;
  color: #ffffff; font: bold 12pt "Noto Sans", sans-serif; text-align: center; padding: 3mm 6mm; }
.laurel-revoked-watermark { position: fixed; top: 45%; left: -10%; width: 120%; z-index: 999;
  transform: rotate(-28deg); text-align: center; color: rgba(176, 0, 32, 0.55);
  font: bold 72pt "Noto Sans", sans-serif; letter-spacing: 8pt; }
</style>"""


def mark_html(page: str, note: RevocationNote) -> str:
    """The certificate page with a banner (label, date, reason) at the top of every page and a watermark."""
    banner = (
        f'{_PDF_STYLE}<div class="laurel-revoked-banner" role="note">{html_escape(note.label)} · '
        f"{html_escape(note.line)}</div>"
        f'<div class="laurel-revoked-watermark" aria-hidden="true">{html_escape(note.label)}</div>'
    )
    closing = _CLOSE_BODY.search(page)
    if closing is None:
        return page + banner
    return page[: closing.start()] + banner + page[closing.start() :]
