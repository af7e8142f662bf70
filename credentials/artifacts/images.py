"""Achievement images (rendered once from the framework template, cached) and per-award baked images.

Baked PNGs come in three versions: "ob2" (the 2.0 assertion in an `openbadges` iTXt chunk), "ob3" (the
signed 3.0 credential in an `openbadgecredential` chunk) and "all" (both chunks in one image: each verifier
reads its own keyword, so the one image passes 1EdTech's 2.0 validator and 3.0 verifiers alike; this is the
image offered first). A revoked award's images carry a REVOKED band (credentials.artifacts.revocation_marks) over the
drawing; the baked data is kept, so verifiers see the revocation in the status list and the assertion.
"""

from frameworks import svg
from frameworks.samples import cached_png, png_digest
from multilingual.text import in_language, original_language

from ..languages import award_language
from ..openbadges import bake_png, bake_svg
from .revocation_marks import mark_svg, revocation_note

IMAGE_SIZE = 400
PNG_VERSIONS = ("all", "ob3", "ob2")


def achievement_svg(achievement, lang: str = "") -> str:
    """The achievement's drawing, its name and category in `lang` (default: the achievement's language)."""
    text = in_language(achievement, lang or original_language(achievement))
    kind = text.kind
    values = svg.badge_values(kind, name=text.name, level=achievement.level, issuer=achievement.issuer.name)
    return svg.fill(kind.svg_template, values)


def achievement_png(achievement, lang: str = "") -> bytes:
    """Rendered through CairoSVG once per distinct input (language included); baking reuses it."""
    return cached_png(achievement_svg(achievement, lang), prefix=f"achievements/{achievement.slug}", size=IMAGE_SIZE)[1]


def achievement_png_digest(achievement, lang: str = "") -> str:
    """The content address of the achievement image in `lang` (its URL changes whenever the image does)."""
    return png_digest(achievement_svg(achievement, lang), size=IMAGE_SIZE)


def award_svg(award) -> str:
    """The achievement's drawing as this award shows it, in the award's language (that of its signed
    credential): marked REVOKED (with date and reason) when revoked."""
    drawing = achievement_svg(award.achievement, award_language(award))
    note = revocation_note(award)
    return mark_svg(drawing, note) if note else drawing


def award_png(award) -> bytes:
    """The achievement image, or for a revoked award its marked variant (rendered once, cached by its SVG)."""
    if not award.is_revoked:
        return achievement_png(award.achievement, award_language(award))
    slug = award.achievement.slug
    return cached_png(award_svg(award), prefix=f"achievements/{slug}-revoked", size=IMAGE_SIZE)[1]


def bake_award_png(image: bytes, award, *, version: str, assertion: dict | None = None) -> bytes:
    """`image` with the award baked in: the 2.0 assertion ("ob2"), the signed 3.0 credential ("ob3") or both
    ("all"). The 2.0 chunk is the assertion JSON; its id is the hosted URL the 2.0 validator fetches."""
    if version not in PNG_VERSIONS:
        raise ValueError(f"unknown baked image version {version!r}")
    if version in ("all", "ob2"):
        image = bake_png(image, assertion, version="2.0")
    if version in ("all", "ob3"):
        image = bake_png(image, award.credential, version="3.0")
    return image


def baked_png(award, *, version: str, assertion: dict | None = None) -> bytes:
    return bake_award_png(award_png(award), award, version=version, assertion=assertion)


def baked_png_path(award, *, version: str) -> str:
    return f"baked/{award.public_id}-{version}.png"


def store_baked_pngs(awards) -> int:
    """Bake each award's PNGs (both chunks, 3.0, 2.0) into storage, once: what an award bakes does not change
    after issue (revocation is read from the status list and the hosted assertion), so a stored one is kept.
    The pages bake on request (a fraction of a millisecond) so that a revoked award's images are marked. The
    achievement image is read once per achievement. Returns how many files were written."""
    from django.core.files.storage import default_storage

    from .. import documents
    from .storing import store_once

    images: dict[tuple[int, str], bytes] = {}
    written = 0
    for award in awards:
        for version in PNG_VERSIONS:
            path = baked_png_path(award, version=version)
            if default_storage.exists(path):
                continue
            drawing = (award.achievement_id, award_language(award))
            if drawing not in images:
                images[drawing] = achievement_png(award.achievement, drawing[1])
            assertion = documents.ob2_assertion(award) if version != "ob3" else None
            baked = bake_award_png(images[drawing], award, version=version, assertion=assertion)
            store_once(path, baked)  # one file even if a redelivered task bakes it at the same time
            written += 1
    return written


def baked_svg(award, *, assertion: dict) -> str:
    """The award's SVG with the 2.0 assertion baked in, in the form 1EdTech's 2.0 validator reads.

    The assertion JSON goes in the element's CDATA, without a `verify` attribute: the validator's bakery
    (openbadges_bakery 1.2.x) returns `verify` as bytes, which the validator then refuses ("only URL, JSON, or
    JWS input implemented"), while it reads the JSON, whose `id` is the hosted assertion URL it then fetches.
    The baking specification's extraction rule reads the body as the assertion, so readers that follow it
    (ours included) get the same thing."""
    return bake_svg(award_svg(award), assertion, version="2.0", verify=None)
