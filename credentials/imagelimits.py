"""Images are measured before they are decoded, and refused when decoding them would take too much memory.

A PNG of one colour compresses about 300 to 1: a 157 KB file can announce 6300 × 6300 pixels, and decoding
and re-encoding it took 450 MB. The dimensions are in the header: PNG's IHDR (the first chunk, read here
directly), JPEG's frame header (read by Pillow's JPEG plugin, which decodes no pixel). Each use has
its own limit; Pillow keeps 4 bytes a pixel and re-encoding holds two copies, so N megapixels cost about
8·N MB (measured: 4 MP 31 MB, 16 MP 122 MB; the 6300 × 6300 PNG took 456 MB).

`Image.MAX_IMAGE_PIXELS` is set to the largest limit as a backstop for any other decoding (WeasyPrint,
Pillow elsewhere): Pillow warns above it and refuses above twice it.
"""

import base64
import binascii
import io
import re
import struct

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EVIDENCE_MAX_PIXELS = 16_000_000  # a 16-megapixel photo (4608 × 3456) or an A4 page scanned at 400 dpi
BADGE_MAX_PIXELS = 4_000_000  # badge images: 2000 × 2000 (they are shown at 240 pixels)
LOGO_MAX_PIXELS = 4_000_000  # issuers' logos
BACKSTOP_MAX_PIXELS = max(EVIDENCE_MAX_PIXELS, BADGE_MAX_PIXELS, LOGO_MAX_PIXELS)
LOGO_MAX_BYTES = 2 * 1024 * 1024
HEADER_BYTES = 256 * 1024  # JPEG's frame header comes after its APP segments (EXIF: at most 64 KB each)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_DATA_IMAGE = re.compile(rb"data:image/[a-z+.-]+;base64,([A-Za-z0-9+/=\s]+)", re.IGNORECASE)
JPEG_MAGIC = b"\xff\xd8\xff"


class ImageTooLarge(ValidationError):
    pass


def install_backstop() -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = BACKSTOP_MAX_PIXELS


def dimensions(head: bytes) -> tuple[int, int] | None:
    """(width, height) from the first bytes of a PNG or JPEG, None when they do not say. Decodes no pixels."""
    if head.startswith(PNG_MAGIC):
        if len(head) < 24 or head[12:16] != b"IHDR":
            return None
        return struct.unpack(">II", head[16:24])
    if head.startswith(JPEG_MAGIC):
        from PIL import JpegImagePlugin

        try:  # the plugin's own constructor: reads the markers up to the frame header, no pixel, no bomb check
            with JpegImagePlugin.JpegImageFile(io.BytesIO(head)) as image:
                return image.size
        except Exception:  # truncated or damaged: the decoder (if any) refuses it with its own message
            return None
    return None


def _too_large(width: int, height: int, limit: int) -> ImageTooLarge:
    return ImageTooLarge(
        _(
            "The image is too large: %(width)s × %(height)s pixels (%(mp)s megapixels); the limit here is "
            "%(limit)s megapixels. Make it smaller and try again."
        )
        % {
            "width": width,
            "height": height,
            "mp": f"{width * height / 1_000_000:.1f}",
            "limit": f"{limit / 1_000_000:g}",
        }
    )


def check_pixels(head: bytes, *, limit: int) -> None:
    """Raise ImageTooLarge (a ValidationError with a message for people) when the image announces more than
    `limit` pixels."""
    size = dimensions(head)
    if size is not None and size[0] * size[1] > limit:
        raise _too_large(*size, limit)


def check_svg_images(svg: bytes | str, *, limit: int) -> None:
    """Raise ImageTooLarge when the raster images embedded in an SVG (base64 data URIs) announce more than
    `limit` pixels, one or all together: rasterising the SVG decodes them (CairoSVG hands PNGs to cairo,
    which Pillow's backstop does not cover)."""
    if isinstance(svg, str):
        svg = svg.encode("utf-8", "replace")
    sizes = []
    for match in SVG_DATA_IMAGE.finditer(svg):
        text = re.sub(rb"\s+", b"", match.group(1)[: HEADER_BYTES * 2])[: HEADER_BYTES // 3 * 4]
        try:
            size = dimensions(base64.b64decode(text[: len(text) // 4 * 4]))
        except (binascii.Error, ValueError):
            continue
        if size:
            sizes.append(size)
    largest = max(sizes, key=lambda size: size[0] * size[1], default=(0, 0))
    if largest[0] * largest[1] > limit:
        raise _too_large(*largest, limit)
    total = sum(width * height for width, height in sizes)
    if total > limit:
        raise ImageTooLarge(
            _("The images inside this SVG add up to %(mp)s megapixels; the limit here is %(limit)s megapixels.")
            % {"mp": f"{total / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:g}"}
        )


def validate_logo(file) -> None:
    """An issuer's logo: a PNG or JPEG (by its content, not its name) of at most 2 MB and LOGO_MAX_PIXELS.
    Only the header is read; the logo is never decoded here."""
    if not file:
        return
    size = getattr(file, "size", None)
    if size is not None and size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is larger than %(mb)s MB.") % {"mb": LOGO_MAX_BYTES // (1024 * 1024)})
    position = file.tell() if hasattr(file, "tell") else None
    file.seek(0)
    head = file.read(HEADER_BYTES)
    if position is not None:
        file.seek(position)
    if not head.startswith((PNG_MAGIC, JPEG_MAGIC)):
        raise ValidationError(_("The logo must be a PNG or JPEG image."))
    if dimensions(head) is None:
        raise ValidationError(_("The logo could not be read; it may be damaged. Try exporting it again."))
    check_pixels(head, limit=LOGO_MAX_PIXELS)
