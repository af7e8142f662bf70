"""Absolute URLs under BASE_URL for every public form of issuers, achievements and awards."""

from django.conf import settings
from django.urls import reverse


def absolute(name: str, **kwargs) -> str:
    return settings.BASE_URL + reverse(f"credentials:{name}", kwargs=kwargs)


def claim_url(award) -> str:
    """A signed, expiring, single-use link for the recipient to accept or decline: into the claim flow an app
    registered (credentials.claims: the learner wallet's), else the plain accept/decline page."""
    from .claims import claim_path
    from .tokens import claim_tokens

    kwargs = {"public_id": award.public_id, "token": claim_tokens.make_token(award)}
    path = claim_path(**kwargs)
    return settings.BASE_URL + path if path else absolute("claim", **kwargs)


def award_links(award) -> dict:
    public_id = award.public_id
    return {
        "id": award.public_id,
        "verify_url": absolute("verify_page", public_id=public_id),
        "ob2_assertion_url": absolute("ob2_assertion", public_id=public_id),
        "ob3_credential_url": absolute("ob3_credential", public_id=public_id),
        "baked_png_url": absolute("baked_png_all", public_id=public_id),  # 2.0 and 3.0 in one image
        "baked_png_ob3_url": absolute("baked_png", public_id=public_id, version="ob3"),
        "baked_png_ob2_url": absolute("baked_png", public_id=public_id, version="ob2"),
        "baked_svg_url": absolute("baked_svg", public_id=public_id),
        # badge mode: no certificate (None), so pages offer no PDF and /certificate.pdf answers 404
        "pdf_url": absolute("certificate_pdf", public_id=public_id) if award.achievement.has_certificate else None,
        "claim_url": claim_url(award),
    }


# What `manage.py issue_credential --json` prints and the API answers for an award (api.serializers).
ISSUE_JSON_FIELDS = (
    "id",
    "verify_url",
    "ob2_assertion_url",
    "ob3_credential_url",
    "baked_png_url",
    "pdf_url",
    "claim_url",
)


def award_issue_json(award) -> dict:
    """The award's id and URLs as `issue_credential --json` prints them."""
    links = award_links(award)
    return {key: links[key] for key in ISSUE_JSON_FIELDS}
