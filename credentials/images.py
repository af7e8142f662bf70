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


def stored_baked_png(award, *, version: str) -> str:
    """Bake once into storage (the baked PNG of an award never changes after issue; revocation is read from
    the status list and the hosted assertion). Returns the storage path."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    path = f"baked/{award.public_id}-{version}.png"
    if not default_storage.exists(path):
        from . import documents

        assertion = documents.ob2_assertion(award) if version == "ob2" else None
        default_storage.save(path, ContentFile(baked_png(award, version=version, assertion=assertion)))
    return path


def baked_svg(award, *, assertion: dict, verify_url: str) -> str:
    return bake_svg(achievement_svg(award.achievement), assertion, version="2.0", verify=verify_url)
