"""Sample artefacts of a framework: each category's sample badge PNG and each tier's sample certificate.

Sample badge images are derived data: stored under a name that hashes every input (template, icon,
palette, name, level), so a change of input gives a new file and a stale one is never served.
"""

import hashlib

import segno
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from . import svg
from .models import BadgeCategory, CertificateTier

SAMPLE_SIZE = 400


def sample_badge_svg(category: BadgeCategory) -> str:
    values = svg.badge_values(category, name=category.example_name, level=category.example_level, issuer="Laurel")
    return svg.fill(category.svg_template, values)


def _sample_prefix(category: BadgeCategory) -> str:
    return f"frameworks/samples/v{category.framework.version}/{category.code}"


def sample_badge_path(category: BadgeCategory) -> str:
    digest = hashlib.sha256(f"{SAMPLE_SIZE}:{sample_badge_svg(category)}".encode()).hexdigest()[:16]
    return f"{_sample_prefix(category)}-{digest}.png"


def cached_png(svg_text: str, *, prefix: str, size: int = SAMPLE_SIZE) -> tuple[str, bytes]:
    """Render SVG to PNG once: stored under a name hashing the SVG and size, reused afterwards."""
    digest = hashlib.sha256(f"{size}:{svg_text}".encode()).hexdigest()[:16]
    path = f"{prefix}-{digest}.png"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as handle:
            return path, handle.read()
    png = svg.render_png(svg_text, size=size)
    if not default_storage.exists(path):
        saved = default_storage.save(path, ContentFile(png))
        if saved != path:  # another process stored it since the check (storages never overwrite): keep one
            default_storage.delete(saved)
    return path, png


def sample_badge_png(category: BadgeCategory) -> bytes:
    """The stored sample PNG, rendered through CairoSVG and stored on first use."""
    return cached_png(sample_badge_svg(category), prefix=_sample_prefix(category))[1]


def certificate_context(tier: CertificateTier, **values) -> dict:
    """The variables a certificate template receives; sample values fill whatever is not given."""
    verify_url = values.get("verify_url", "https://example.org/c/sample/")
    lang = values.get("lang") or translation.get_language() or "en"
    context = {
        "lang": lang,
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "tier_name": tier.name,
        "recipient_name": "Amina Okonkwo-Díaz",
        "achievement_name": "Social Protection Policy Design",
        "achievement_description": "Designing inclusive social protection floors, from diagnosis to costing.",
        "hours": "60",
        "ects": "2",
        "issued_on": date_format(timezone.localdate(), "DATE_FORMAT"),
        "issuer_name": "Laurel Training Centre",
        "issuer_logo": "",
        "signatories": [{"name": "Maria Rossi", "title": "Director of Training"}],
        "verify_url": verify_url,
        "credential_id": "sample",
        **tier.palette,
    }
    context.update(values)
    context["qr_svg"] = segno.make(context["verify_url"], error="m").svg_inline(scale=3, dark=context["ink"])
    return context


def render_certificate_html(tier: CertificateTier, **values) -> str:
    return Template(tier.html_template).render(Context(certificate_context(tier, **values), autoescape=True))
