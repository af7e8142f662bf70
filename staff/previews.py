"""What the issue wizard and the achievement form show before anything is written: the badge image for the
values being typed, the certificate of an award not issued yet, the claim email as its recipient reads it.

Previews build an unsaved Award and render it with the same code as the real artefacts (credentials.artifacts.pdf,
the claim email templates), so what staff see is what recipients get; nothing is stored.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from credentials.artifacts import pdf
from credentials.artifacts.images import IMAGE_SIZE
from credentials.links import absolute
from credentials.models import Award
from frameworks import svg
from frameworks.samples import cached_png

PREVIEW_ID = "PREVIEW"


def draft_award(achievement, *, name: str, email: str = "", language: str = "") -> Award:
    """An award that is never saved: the one a confirmation would issue, as far as the pages show it."""
    award = Award(
        achievement=achievement,
        recipient_name=name or "—",
        recipient_email=email,
        recipient_language=language or achievement.language,
    )
    award.public_id = PREVIEW_ID
    return award


def badge_png(kind, *, name: str, level: int | None, issuer: str, size: int = 200) -> bytes:
    """The category's (or tier's) design filled with these values (cached by its SVG, like real images).
    Raises frameworks.svg.UnsafeSVG for a value that would make the drawing unsafe."""
    drawing = svg.fill(kind.svg_template, svg.badge_values(kind, name=name, level=level, issuer=issuer))
    return cached_png(drawing, prefix=f"staff/preview-{kind._meta.model_name}-{kind.pk}", size=size)[1]


def certificate_html(award: Award) -> str:
    return pdf.certificate_html(award)


def certificate_pdf(award: Award) -> bytes:
    return pdf.render_certificate_pdf(award)


def claim_email(award: Award) -> dict:
    """{"subject", "body", "language"}: the claim email's text version, in the recipient's language."""
    achievement = award.achievement
    context = {
        "award": award,
        "recipient_name": award.recipient_name,
        "achievement": achievement,
        "achievement_name": achievement.name,
        "issuer_name": achievement.issuer.name,
        "claim_url": f"{settings.BASE_URL}/wallet/claim/…",  # personal and signed: made when issued
        "badge_image_url": absolute("achievement_image", slug=achievement.slug),
        "verify_url": f"{settings.BASE_URL}/c/…/",
        "claim_days": settings.CLAIM_TOKEN_DAYS,
    }
    language = award.recipient_language or achievement.language
    with translation.override(language):
        subject = render_to_string("credentials/email/claim_subject.txt", context)
        body = render_to_string("credentials/email/claim_body.txt", context)
    return {"subject": " ".join(subject.split()), "body": body.strip(), "language": language, "size": IMAGE_SIZE}
