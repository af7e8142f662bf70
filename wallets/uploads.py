"""Checking learners' uploads: size, type from the content (magic bytes, never the name or the browser's
claim), images re-encoded with Pillow (drops EXIF, GPS, text chunks and anything hidden after the image),
PDFs refused when they carry active content, file names sanitised.
"""

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from credentials import imagelimits

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_IMPORT_BYTES = 2 * 1024 * 1024

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"
# Names that make a PDF act (scripts, launching programs, embedded files, Flash/3D media).
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")

EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


@dataclass
class CleanFile:
    content: bytes
    content_type: str
    filename: str


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes, or None when it is not a PDF, PNG or JPEG."""
    if head.startswith(PNG_MAGIC):
        return "image/png"
    if head.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if head.startswith(PDF_MAGIC):
        return "application/pdf"
    return None


def sanitise_filename(name: str, content_type: str) -> str:
    """ASCII letters, digits, dots, dashes and underscores only; no path; the extension of the real type."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")[:80] or "evidence"
    return f"{stem}.{EXTENSIONS[content_type]}"


def read_limited(upload, limit: int) -> bytes:
    """The upload's bytes, refusing more than `limit` (checks the declared size, then what is read)."""
    mb = limit // (1024 * 1024)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_("The file is larger than %(mb)s MB. Choose a smaller file.") % {"mb": mb})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("The file is larger than %(mb)s MB. Choose a smaller file.") % {"mb": mb})
    if not data:
        raise ValidationError(_("The file is empty."))
    return data


def _reencode_image(data: bytes, content_type: str, *, max_pixels: int) -> bytes:
    """Decode and re-encode: only pixels survive (no EXIF/GPS, text chunks, ICC or trailing data). The size
    in the header is checked first: an image over `max_pixels` is refused without being decoded."""
    from PIL import Image

    imagelimits.check_pixels(data[: imagelimits.HEADER_BYTES], limit=max_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _redraw(data, content_type, max_pixels=max_pixels)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image is too large (more than %(limit)s megapixels).") % {"limit": f"{max_pixels / 1e6:g}"}
        ) from exc
    except Exception as exc:  # truncated, corrupt or disguised files: Pillow raises many kinds
        raise ValidationError(_("The image could not be read; it may be damaged. Try exporting it again.")) from exc


def _redraw(data: bytes, content_type: str, *, max_pixels: int) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as probe:
        width, height = probe.size
        if width * height > max_pixels:  # what the decoder reads, should the header check have missed it
            raise ValidationError(
                _("The image is too large (more than %(limit)s megapixels).") % {"limit": f"{max_pixels / 1e6:g}"}
            )
        probe.verify()
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        ImageOps.exif_transpose(image, in_place=True)  # keep the orientation EXIF asked for (no copy), drop EXIF
        out = io.BytesIO()
        if content_type == "image/png":
            if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                image = image.convert("RGBA")
            clean = Image.new(image.mode, image.size)
            if image.mode == "P":
                clean.putpalette(image.getpalette())
            clean.paste(image)
            clean.save(out, format="PNG", optimize=True)
        else:
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            clean.save(out, format="JPEG", quality=90, optimize=True)
        return out.getvalue()


def _check_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("The PDF is incomplete or damaged. Try saving it again."))
    if PDF_ACTIVE.search(data):
        raise ValidationError(
            _(
                "The PDF contains scripts, attachments or other active content, which are not accepted. "
                "Print it to a new PDF and upload that."
            )
        )
    return data


def clean_evidence_file(upload) -> CleanFile:
    """Validate and clean an evidence upload, or raise ValidationError with a message for the learner."""
    data = read_limited(upload, MAX_EVIDENCE_BYTES)
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationError(_("Only PDF documents and PNG or JPEG images can be added (this file is neither)."))
    if content_type == "application/pdf":
        content = _check_pdf(data)
    else:
        content = _reencode_image(data, content_type, max_pixels=imagelimits.EVIDENCE_MAX_PIXELS)
    return CleanFile(content=content, content_type=content_type, filename=sanitise_filename(upload.name, content_type))


def badge_image_png(data: bytes) -> bytes | None:
    """A clean PNG to show for an imported badge: a baked PNG re-encoded (the baked data stays in the
    original file, kept for export), a baked SVG sanitised and rasterised without external access.
    None when no image can be made (the wallet then shows a placeholder)."""
    from frameworks.svg import UnsafeSVG, render_png, sanitize_svg

    try:
        if data.startswith(PNG_MAGIC):
            return _reencode_image(data, "image/png", max_pixels=imagelimits.BADGE_MAX_PIXELS)
        clean = sanitize_svg(data)
        imagelimits.check_svg_images(clean, limit=imagelimits.BADGE_MAX_PIXELS)  # cairo decodes them
        return render_png(clean)
    except (ValidationError, UnsafeSVG, ValueError):
        return None
    except Exception:  # CairoSVG raises various errors on odd SVG; the image is optional
        return None
