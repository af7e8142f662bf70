"""Certificate PDFs (WeasyPrint) from the tier's HTML/CSS template, cached until their inputs change."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.formats import date_format

from frameworks.samples import render_certificate_html

from .links import absolute


def _template_owner(achievement):
    """Certificates use their tier's template; badges use the Participation template of their framework."""
    if achievement.tier_id:
        return achievement.tier
    return achievement.category.framework.certificatetier_set.order_by("order").first()


def certificate_values(award) -> dict:
    achievement = award.achievement
    with translation.override(award.recipient_language or achievement.language):
        issued_on = date_format(award.issued_at, "DATE_FORMAT")
        rtl = translation.get_language_bidi()
    return {
        "lang": award.recipient_language or achievement.language,
        "dir": "rtl" if rtl else "ltr",
        "tier_name": achievement.tier.name if achievement.tier_id else achievement.category.name,
        "recipient_name": award.recipient_name,
        "achievement_name": achievement.name,
        "achievement_description": achievement.description,
        "hours": "" if achievement.hours is None else format(achievement.hours.normalize(), "f"),
        "ects": "" if achievement.ects_credits is None else format(achievement.ects_credits.normalize(), "f"),
        "issued_on": issued_on,
        "issuer_name": achievement.issuer.name,
        "issuer_logo": "",
        "signatories": [],
        "verify_url": absolute("verify_page", public_id=award.public_id),
        "credential_id": award.public_id,
    }


def render_certificate_pdf(award) -> bytes:
    from weasyprint import HTML

    owner = _template_owner(award.achievement)
    html = render_certificate_html(owner, **certificate_values(award))
    return HTML(string=html, base_url=None).write_pdf(
        custom_metadata=False,
    )


def _cache_path(award) -> str:
    owner = _template_owner(award.achievement)
    inputs = repr((owner.html_template, sorted(certificate_values(award).items()), award.state))
    digest = hashlib.sha256(inputs.encode()).hexdigest()[:16]
    return f"certificates/{award.public_id}-{digest}.pdf"


def stored_certificate_pdf(award) -> str:
    """Render into storage if the current inputs have no PDF yet; return the storage path."""
    path = _cache_path(award)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(render_certificate_pdf(award)))
    return path


def certificate_pdf_file(award):
    """An open file of the award's PDF: rendered on first use, then served from storage."""
    path = _cache_path(award)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(render_certificate_pdf(award)))
    data = default_storage.open(path, "rb").read()
    return io.BytesIO(data)
