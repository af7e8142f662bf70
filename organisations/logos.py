"""An organisation's logo: a PNG or JPEG by its content (never its name), at most 2 MB and 4 megapixels, checked
from its header before anything is decoded (credentials.imagelimits, as issuers' logos), then decoded and
re-encoded as PNG by Pillow so that only pixels are kept (no EXIF, GPS, text chunks, trailing data). SVG is
refused: an uploaded SVG could carry scripts."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from credentials import imagelimits


def clean_logo(upload) -> ContentFile:
    """A ContentFile of the re-encoded PNG, or ValidationError with a message for people."""
    from PIL import Image

    imagelimits.validate_logo(upload)
    upload.seek(0)
    data = upload.read(imagelimits.LOGO_MAX_BYTES + 1)
    if len(data) > imagelimits.LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is larger than %(mb)s MB.") % {"mb": imagelimits.LOGO_MAX_BYTES // 2**20})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.size[0] * image.size[1] > imagelimits.LOGO_MAX_PIXELS:
                    raise ValidationError(_("The logo is too large (more than 4 megapixels)."))
                image.load()
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
                out = io.BytesIO()
                clean.save(out, format="PNG", optimize=True)
    except ValidationError:
        raise
    except Exception as exc:  # truncated, corrupt or disguised files: Pillow raises many kinds
        raise ValidationError(_("The logo could not be read; it may be damaged. Try exporting it again.")) from exc
    return ContentFile(out.getvalue(), name=f"logo-{get_random_string(8).lower()}.png")
