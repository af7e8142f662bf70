"""Share targets of a credential: LinkedIn add-to-profile, social links, email signature, embed snippet,
QR code. Pure functions of an award and its URLs. (The Learner Credential Wallet deep link and its QR code
come from exchange.services.exchange_links.)"""

from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from credentials.links import absolute

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
REDIRECT_CHANNELS = ("linkedin_profile", "linkedin", "x", "facebook", "whatsapp", "email")
BEACON_CHANNELS = ("link", "signature", "embed", "qr")


def verify_url(award) -> str:
    return absolute("verify_page", public_id=award.public_id)


def _encode(params: list[tuple[str, str]]) -> str:
    return urlencode(params, quote_via=quote)


def linkedin_add_to_profile(award) -> str:
    """LinkedIn's add-to-profile form, pre-filled (each value URL-encoded)."""
    achievement, issuer = award.achievement, award.achievement.issuer
    params = [("startTask", "CERTIFICATION_NAME"), ("name", achievement.name)]
    if issuer.linkedin_organization_id:
        params.append(("organizationId", issuer.linkedin_organization_id))
    else:
        params.append(("organizationName", issuer.name))
    params += [("issueYear", str(award.issued_at.year)), ("issueMonth", str(award.issued_at.month))]
    if award.expires_at:
        params += [("expirationYear", str(award.expires_at.year)), ("expirationMonth", str(award.expires_at.month))]
    params += [("certUrl", verify_url(award)), ("certId", award.public_id)]
    return f"{LINKEDIN_ADD}?{_encode(params)}"


def share_text(award) -> str:
    return _("I earned “%(name)s” from %(issuer)s.") % {
        "name": award.achievement.name,
        "issuer": award.achievement.issuer.name,
    }


def channel_target(award, channel: str) -> str:
    """Where the /share/<public_id>/<channel>/ redirect goes."""
    url, text = verify_url(award), share_text(award)
    if channel == "linkedin_profile":
        return linkedin_add_to_profile(award)
    if channel == "linkedin":
        return "https://www.linkedin.com/sharing/share-offsite/?" + _encode([("url", url)])
    if channel == "x":
        return "https://x.com/intent/tweet?" + _encode([("text", text), ("url", url)])
    if channel == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + _encode([("u", url)])
    if channel == "whatsapp":
        return "https://wa.me/?" + _encode([("text", f"{text} {url}")])
    if channel == "email":
        return "mailto:?" + _encode([("subject", award.achievement.name), ("body", f"{text}\n\n{url}")])
    raise KeyError(channel)


def share_links(award) -> list[dict]:
    """The redirect endpoints (they record the share, then go on): usable without JavaScript."""
    labels = {
        "linkedin": _("Share on LinkedIn"),
        "x": _("Share on X"),
        "facebook": _("Share on Facebook"),
        "whatsapp": _("Share on WhatsApp"),
        "email": _("Share by email"),
    }
    return [
        {
            "channel": channel,
            "label": label,
            "url": reverse("wallets:share", kwargs={"public_id": award.public_id, "channel": channel}),
        }
        for channel, label in labels.items()
    ]


def holder_share_context(award) -> dict:
    """What templates/wallets/_share_buttons.html needs: the holder's page and, for the holder only, the
    verification page."""
    return {
        "share_url": verify_url(award),
        "share_title": award.achievement.name,
        "share_text": share_text(award),
        "linkedin_url": reverse("wallets:share", kwargs={"public_id": award.public_id, "channel": "linkedin_profile"}),
        "share_links": share_links(award),
    }


def badge_image_url(award) -> str:
    return absolute("achievement_image", slug=award.achievement.slug)


SIGNATURE_LINK_STYLE = ' style="text-decoration:none;color:#1d4e89;font-family:sans-serif;font-size:13px"'
SIGNATURE_IMAGE_STYLE = ' style="vertical-align:middle;border:0"'


def email_signature(award, *, inline_styles: bool = True) -> str:
    """An email-signature snippet: the badge image (80 px) and a link to the verification page. Mail needs
    inline styles; the preview on our pages has none (the page's Content-Security-Policy would block them:
    the .signature-preview rules of wallet.css give it the same look)."""
    achievement = award.achievement
    alt = _("%(name)s, issued by %(issuer)s") % {"name": achievement.name, "issuer": achievement.issuer.name}
    link_style, image_style = (SIGNATURE_LINK_STYLE, SIGNATURE_IMAGE_STYLE) if inline_styles else ("", "")
    return format_html(
        '<a href="{url}"' + link_style + ">"
        '<img src="{img}" width="80" height="80" alt="{alt}"' + image_style + "> "
        "{name} · {verified}</a>",
        url=verify_url(award),
        img=badge_image_url(award),
        alt=alt,
        name=achievement.name,
        verified=_("verified credential"),
    )


def embed_url(award) -> str:
    return settings.BASE_URL + reverse("wallets:embed", kwargs={"public_id": award.public_id})


def embed_snippet(award) -> str:
    title = _("Verified credential: %(name)s") % {"name": award.achievement.name}
    return format_html(
        '<iframe src="{src}" title="{title}" width="320" height="420" style="border:0" loading="lazy"></iframe>',
        src=embed_url(award),
        title=title,
    )


def qr_svg(url: str, *, title: str) -> str:
    """An inline SVG QR code (no external file) with an accessible title."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4,
        border=4,
        title=title,
        svgclass="qr",
        lineclass=None,
        omitsize=True,  # viewBox: CSS sizes it
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
