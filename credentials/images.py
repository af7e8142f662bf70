"""Achievement images (rendered once from the framework template, cached) and per-award baked images."""

from frameworks import svg
from frameworks.samples import cached_png

from .openbadges import bake_png, bake_svg

IMAGE_SIZE = 400


def achievement_svg(achievement) -> str:
    kind = achievement.kind
    template = kind.svg_template
    values = svg.badge_values(kind, name=achievement.name, level=achievement.level, issuer=achievement.issuer.name)
    return svg.fill(template, values)


def achievement_png(achievement) -> bytes:
    """Rendered through CairoSVG once per distinct input; baking reuses it, never re-renders."""
    return cached_png(achievement_svg(achievement), prefix=f"achievements/{achievement.slug}", size=IMAGE_SIZE)[1]


def baked_png(award, *, version: str, assertion: dict | None = None) -> bytes:
    """The achievement image with the award baked in: the 2.0 assertion or the signed 3.0 credential."""
    image = achievement_png(award.achievement)
    if version == "ob2":
        return bake_png(image, assertion, version="2.0")
    return bake_png(image, award.credential, version="3.0")


def baked_png_path(award, *, version: str) -> str:
    return f"baked/{award.public_id}-{version}.png"


def store_baked_pngs(awards) -> int:
    """Bake each award's PNGs (2.0 and 3.0) into storage, once: the baked PNG of an award never changes after
    issue (revocation is read from the status list and the hosted assertion), so a stored one is kept. The
    achievement image is read once per achievement. Returns how many files were written."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from . import documents

    images: dict[int, bytes] = {}
    written = 0
    for award in awards:
        for version in ("ob3", "ob2"):
            path = baked_png_path(award, version=version)
            if default_storage.exists(path):
                continue
            if award.achievement_id not in images:
                images[award.achievement_id] = achievement_png(award.achievement)
            image = images[award.achievement_id]
            if version == "ob2":
                baked = bake_png(image, documents.ob2_assertion(award), version="2.0")
            else:
                baked = bake_png(image, award.credential, version="3.0")
            default_storage.save(path, ContentFile(baked))
            written += 1
    return written


def baked_svg(award, *, assertion: dict, verify_url: str) -> str:
    return bake_svg(achievement_svg(award.achievement), assertion, version="2.0", verify=verify_url)
