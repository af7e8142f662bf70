"""Certificate PDFs (WeasyPrint) from the tier's HTML/CSS template, cached until their inputs change.

Fonts. The renderer sees only the fonts shipped in `credentials/artifacts/fonts/` (Noto Sans for Latin, Greek and
Cyrillic; Noto Sans Arabic; a Noto Sans CJK subset with common Han, kana and Hangul; see its README). It
uses a Fontconfig configuration of its own with no system font in it, so a certificate looks the same on a
laptop, in CI and in production, and a template can only name these families: "Noto Sans", "Noto Sans
Arabic", "Noto Sans CJK SC". A character none of them has is logged (warning) and is not drawn.

Speed. One font configuration, the @font-face stylesheet, each template's parsed stylesheet, each parsed
SVG decoration and each compiled Django template are built once per process and shared by every render (a
lock serialises renders, which share Pango's font map). An SVG decoration is drawn by WeasyPrint once per
size; its content-stream operators are then replayed, unless it needs more than operators and transparency
states (fonts, images, gradients, groups: then it is drawn every time; `_RecordedSVG`). The QR code gets
segno's best mask, scored in about 1 ms instead of 4 (credentials.artifacts.qrcodes). Two shims remove per-document
costs of third-party code without changing a byte of output, each only for the version it was written for:
WeasyPrint's font subsetting no longer has cffi parse a new C type for every glyph count, and tinyhtml5
finds its cached regular expressions again. The default templates are flat: one SVG background of simple
shapes, SVG backgrounds for dividers, a few absolutely placed blocks of text, translucent colours rather
than `opacity` (which makes a transparency group per element), the QR code as a one-pixel-a-module PNG
drawn without smoothing. Fonts are subset at render time by HarfBuzz when libharfbuzz-subset is installed
(a few ms); without it WeasyPrint falls back to fontTools, which works but is far slower
(benchmarks/render_pdf.py, docs/benchmarks.md).

The PDF carries its own proof: the award's signed Open Badges 3.0 credential is attached as
`credential.json`. Title, author (issuer), subject (achievement) and language are set as metadata.

Cache. A PDF is stored under `certificates/<public_id>-<digest>.pdf`, the digest hashing everything the
bytes depend on: the rendered HTML (template, palette, every value printed, the QR code, the translated
labels of the recipient's language), the attached credential, the renderer version, the font files and
the WeasyPrint version. Any change there gives a new name, so a stale PDF is never served and a missing
file is simply rendered again. Accepting, declining or expiring an award does not change its PDF
(verification through the printed URL and QR code shows the live status); a correction is a reissue, which
is a new award with a new PDF. Revocation does: a revoked award's page carries a REVOKED banner (date and
reason) on every page and a watermark (credentials.artifacts.revocation_marks), so its HTML, hence its cache key,
differs and the revoked variant is cached on its own; the clean PDF is never served for it again.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import threading
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from ..links import absolute

logger = logging.getLogger(__name__)

#: Bump when this module changes what it draws, so cached PDFs are re-rendered.
RENDERER_VERSION = "2"

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
#: (CSS family, weight, style, file): the only fonts certificates can use.
FONT_FACES = (
    ("Noto Sans", 400, "normal", "NotoSans-Regular.woff2"),
    ("Noto Sans", 700, "normal", "NotoSans-Bold.woff2"),
    ("Noto Sans", 400, "italic", "NotoSans-Italic.woff2"),
    ("Noto Sans Arabic", 400, "normal", "NotoSansArabic-Regular.woff2"),
    ("Noto Sans Arabic", 700, "normal", "NotoSansArabic-Bold.woff2"),
    ("Noto Sans CJK SC", 400, "normal", "NotoSansCJK-Regular.woff2"),
    ("Noto Sans CJK SC", 700, "normal", "NotoSansCJK-Bold.woff2"),
)
ATTACHMENT_NAME = "credential.json"

_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.DOTALL | re.IGNORECASE)


# --- What is printed ----------------------------------------------------------------------------------


def _template_owner(achievement):
    """Certificates use their tier's template; badges use the first tier's template of their framework."""
    if achievement.tier_id:
        return achievement.tier
    return achievement.category.framework.certificatetier_set.order_by("order").first()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _signatories(achievement) -> list[dict]:
    """[{"name", "title"}], up to three, from the achievement or else its issuer.

    Neither model has such a field yet: until one does, certificates print no signatures (the templates
    lay out up to three signature lines when there are some).
    """
    for owner in (achievement, achievement.issuer):
        people = getattr(owner, "signatories", None)
        if people:
            return [{"name": _nfc(p.get("name", "")), "title": _nfc(p.get("title", ""))} for p in people[:3]]
    return []


def certificate_language(award) -> str:
    return award.recipient_language or award.achievement.language or "en"


def certificate_values(award) -> dict:
    """What the page prints (the variables of frameworks.samples.certificate_context), in the recipient's
    language; names are NFC-normalised so that precomposed letters meet the fonts' precomposed glyphs."""
    achievement = award.achievement
    with translation.override(certificate_language(award)):
        issued_on = date_format(award.issued_at, "DATE_FORMAT")
        rtl = translation.get_language_bidi()
    return {
        "lang": certificate_language(award),
        "dir": "rtl" if rtl else "ltr",
        "tier_name": achievement.tier.name if achievement.tier_id else achievement.category.name,
        "recipient_name": _nfc(award.recipient_name),
        "achievement_name": _nfc(achievement.name),
        "achievement_description": _nfc(achievement.description),
        "hours": "" if achievement.hours is None else format(achievement.hours.normalize(), "f"),
        "ects": "" if achievement.ects_credits is None else format(achievement.ects_credits.normalize(), "f"),
        "issued_on": issued_on,
        "issuer_name": _nfc(achievement.issuer.name),
        "issuer_logo": "",
        "signatories": _signatories(achievement),
        "verify_url": absolute("verify_page", public_id=award.public_id),
        "credential_id": award.public_id,
    }


@lru_cache(maxsize=32)
def _compiled(template_text: str) -> Template:
    return Template(template_text)


#: The QR code's data mask: None for the best of the eight (ISO/IEC 18004 7.8.3, segno's choice, scored in
#: about 1 ms by credentials.artifacts.qrcodes instead of segno's 4), or a fixed mask (0-7). Every mask decodes: the
#: evaluation only avoids patterns that can confuse a scanner, so the default keeps it
#: (benchmarks/render_pdf.py --qr-mask shows the difference).
QR_MASK: int | None = None

# The QR code is a function of the verification URL, the ink colour and the mask, which the cache key
# includes: the page is rendered with placeholders (cheap, and enough to compute the cache key), and the
# QR code is only encoded when a PDF is actually drawn.
_QR_IMAGE = "laurel-qr-image-placeholder"
_QR_SVG = "<!-- laurel-qr-svg-placeholder -->"


def _page(award, owner) -> str:
    """The certificate page as HTML with QR placeholders, in the recipient's language (labels, date, direction).

    The context is frameworks.samples.certificate_context's, with every value given, plus `qr_image`.
    """
    from .revocation_marks import mark_html, revocation_note

    with translation.override(certificate_language(award)):
        context = {**owner.palette, **certificate_values(award), "qr_image": _QR_IMAGE, "qr_svg": _QR_SVG}
        page = _compiled(owner.html_template).render(Context(context, autoescape=True))
    note = revocation_note(award)
    return mark_html(page, note) if note else page


def _with_qr(page: str, *, url: str, ink: str) -> str:
    """Fill the QR placeholders: a PNG data URL (one pixel a module, drawn without smoothing) or inline SVG."""
    import segno

    from .qrcodes import make_qr

    qr = make_qr(url, error="m") if QR_MASK is None else segno.make_qr(url, error="m", mask=QR_MASK)
    if _QR_IMAGE in page:
        page = page.replace(_QR_IMAGE, qr.png_data_uri(scale=1, border=4, dark=ink, light="#ffffff"))
    if _QR_SVG in page:
        page = page.replace(_QR_SVG, qr.svg_inline(scale=3, dark=ink))
    return page


def certificate_html(award) -> str:
    """The certificate page as HTML, exactly as it is drawn into the PDF."""
    owner = _template_owner(award.achievement)
    return _with_qr(_page(award, owner), url=absolute("verify_page", public_id=award.public_id), ink=owner.ink)


def _credential_json(award) -> str:
    return json.dumps(award.credential, ensure_ascii=False, indent=2, sort_keys=True)


# --- Fonts and the shared renderer -----------------------------------------------------------------


@cache
def _fontconfig_create():
    """Fontconfig's FcConfigCreate (an empty configuration), which WeasyPrint's bindings do not declare."""
    import cffi
    from weasyprint.text import ffi as weasy

    ffi = cffi.FFI()
    ffi.cdef("typedef struct _FcConfig FcConfig; FcConfig * FcConfigCreate (void);")
    for name in ("libfontconfig.so.1", "libfontconfig-1", "fontconfig", "libfontconfig.1.dylib"):
        try:
            library = ffi.dlopen(name)
            break
        except OSError:
            continue
    else:  # pragma: no cover - fontconfig is a WeasyPrint requirement
        raise OSError("fontconfig not found")

    def create():
        pointer = library.FcConfigCreate()
        return weasy.ffi.cast("FcConfig *", int(ffi.cast("uintptr_t", pointer)))

    return create


def _font_configuration():
    """A WeasyPrint FontConfiguration that starts with no fonts: only @font-face fonts exist in it."""
    from weasyprint.text import ffi as weasy
    from weasyprint.text.fonts import FontConfiguration

    class ShippedFontsOnly(FontConfiguration):
        def __init__(self):
            self._folder = None
            config = _fontconfig_create()()
            self._config = weasy.ffi.gc(config, weasy.fontconfig.FcConfigDestroy)
            self.font_map = weasy.ffi.gc(weasy.pangoft2.pango_ft2_font_map_new(), weasy.gobject.g_object_unref)
            weasy.pangoft2.pango_fc_font_map_set_config(weasy.ffi.cast("PangoFcFontMap *", self.font_map), config)
            # pango_fc_font_map_set_config keeps its own reference (as in FontConfiguration.__init__)
            weasy.fontconfig.FcConfigDestroy(config)

    return ShippedFontsOnly()


def font_face_css() -> str:
    rules = []
    for family, weight, style, filename in FONT_FACES:
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
            f'src: url("{(FONTS_DIR / filename).as_uri()}") format("woff2") }}'
        )
    return "\n".join(rules)


def _url_fetcher(url: str, *args, **kwargs):
    """Templates are staff-editable: they may load data: URLs and the shipped fonts, nothing else."""
    from weasyprint import default_url_fetcher

    if url.startswith("data:") or url.startswith(FONTS_DIR.as_uri() + "/"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"certificate templates cannot load {url[:80]!r}")


# --- Two per-document costs of third-party code, removed without changing any output --------------------

#: WeasyPrint and tinyhtml5 versions the two shims below were written for; with others they are not installed.
SHIMMED_WEASYPRINT = ("66.",)
SHIMMED_TINYHTML5 = ("2.1.",)

_ARRAY = re.compile(r"hb_codepoint_t\[\d+\]")


class _SizedArraysAsOpen:
    """The cffi FFI of weasyprint.pdf.fonts, creating `hb_codepoint_t[N]` arrays as `hb_codepoint_t[]`.

    Font subsetting (Font._harfbuzz_subset) builds its glyph arrays with `ffi.new(f"hb_codepoint_t[{n}]",
    values)`. cffi parses each C type string once, with pycparser (several ms), and every new length is a
    new string: the lengths of a certificate's glyph sets vary, so renders kept paying for new parses. An
    open array of the same values is the same array (n is always len(values)), and its type is parsed once.
    """

    def __init__(self, ffi):
        self._ffi = ffi

    def __getattr__(self, name):
        return getattr(self._ffi, name)

    def new(self, cdecl, init=None):
        if init is not None and isinstance(cdecl, str) and _ARRAY.fullmatch(cdecl):
            cdecl = "hb_codepoint_t[]"
        return self._ffi.new(cdecl, init)


class _UntilRegexes(dict):
    """tinyhtml5's cache of the regular expressions of InputStream.chars_until, keyed as it looks them up.

    tinyhtml5 2.1 stores each expression under the wrong key (`characters = cache[key(characters)] =
    regex` rebinds `characters` first), so it never finds one and builds the expression again at each call:
    about 1 ms a certificate page. This mapping builds it as tinyhtml5 does, once.
    """

    def __missing__(self, key):
        characters, opposite = key
        pattern = "".join(f"\\x{ord(character):02x}" for character in characters)
        value = self[key] = re.compile(f"[{'' if opposite else '^'}{pattern}]+")
        return value


def _install_shims():
    import tinyhtml5
    import weasyprint
    from tinyhtml5 import inputstream
    from weasyprint.pdf import fonts

    if weasyprint.__version__.startswith(SHIMMED_WEASYPRINT) and not isinstance(fonts.ffi, _SizedArraysAsOpen):
        fonts.ffi = _SizedArraysAsOpen(fonts.ffi)
    version = getattr(tinyhtml5, "__version__", "")
    if version.startswith(SHIMMED_TINYHTML5) and type(inputstream.characters_until_regex) is dict:
        inputstream.characters_until_regex = _UntilRegexes()


class _RecordedSVG:
    """A shared SVG image (a template's decoration) drawn once per size, then replayed.

    WeasyPrint draws an SVG image node by node at every draw, parsing its paths and lengths again (about
    5 ms for the default decorations). What it writes is a list of content-stream operators, the same each
    time for the same size, plus the constant transparency states (`/a0.5 gs`) of fill and stroke opacities
    in the stream's resources. The first draw of a size is checked to need nothing else from outside the
    stream: no font, image, pattern, shading, group (text, gradients, group opacity, embedded images and
    masks all add some). If so, its operators and transparency states are kept and added as they are at the
    next draws; otherwise the image is always drawn by WeasyPrint. The drawing is one q ... Q block, so the
    graphics state (colour, transparency) around it is what it was before.
    """

    def __init__(self, image):
        self.image = image
        self.drawings: dict[tuple, tuple | None] = {}

    def __getattr__(self, name):
        return getattr(self.image, name)

    def get_intrinsic_size(self, image_resolution, font_size):
        return self.image.get_intrinsic_size(image_resolution, font_size)

    def draw(self, stream, concrete_width, concrete_height, image_rendering):
        from pydyf import Dictionary

        key = (concrete_width, concrete_height, image_rendering)
        drawing = self.drawings.get(key)
        if drawing:
            operators, states = drawing
            resources = stream._resources["ExtGState"]
            for name, state in states:
                if name not in resources:
                    resources[name] = Dictionary(state)
            stream.stream.extend(operators)
            return
        before = _outside(stream)
        start = list(stream.stream)
        self.image.draw(stream, concrete_width, concrete_height, image_rendering)
        if key in self.drawings or len(self.drawings) >= 8:
            return
        operators = tuple(stream.stream[len(start) :])
        after = _outside(stream)
        replayable = (
            before is not None
            and after is not None
            and after[0] == before[0]
            and after[1].keys() >= before[1].keys()
            and all(before[1][name] == after[1][name] for name in before[1])
            and all(len(state) == 1 and state.keys() <= {"ca", "CA"} for state in after[1].values())
            and stream.stream[: len(start)] == start
            and len(operators) > 2
            and operators[0] == b"q"
            and operators[-1] == b"Q"
        )
        states = tuple((name, state) for name, state in after[1].items() if name not in before[1]) if replayable else ()
        self.drawings[key] = (operators, states) if replayable else None


def _outside(stream) -> tuple | None:
    """What a drawing may change in a WeasyPrint stream besides its operators: the number of resources of
    each kind but transparency states, the fonts and images of the document; and the transparency states."""
    try:
        resources = stream._resources
        counts = tuple(sorted((kind, len(value or ())) for kind, value in resources.items() if kind != "ExtGState"))
        states = {name: dict(state) for name, state in resources["ExtGState"].items()}
        return (counts, len(stream._fonts), len(stream._images)), states
    except (AttributeError, TypeError, KeyError, ValueError):  # not the stream this was written for (WeasyPrint 66)
        return None


class _Renderer:
    """Per-process state shared by every render: fonts, parsed stylesheets, a lock."""

    def __init__(self):
        from weasyprint import CSS
        from weasyprint.pdf import fonts as weasy_fonts

        if not weasy_fonts.harfbuzz_subset:
            logger.warning(
                "libharfbuzz-subset is not installed: WeasyPrint subsets fonts with fontTools, about a second "
                "per certificate PDF instead of a few ms (Debian package libharfbuzz-subset0)"
            )
        _install_shims()
        self.lock = threading.Lock()
        self.font_config = _font_configuration()
        self.fonts_css = CSS(string=font_face_css(), font_config=self.font_config, url_fetcher=_url_fetcher)
        self.stylesheet = lru_cache(maxsize=32)(self._stylesheet)
        # Parsed SVG images (the templates' decorations are one SVG background each), shared between
        # documents through WeasyPrint's image cache. Only SVG data URLs are kept: the per-award QR code
        # and everything WeasyPrint caches under its own keys live for one document.
        self.images: dict = {}

    def _stylesheet(self, text: str):
        from weasyprint import CSS

        return CSS(string=text, font_config=self.font_config, url_fetcher=_url_fetcher)

    def render(self, html: str, *, metadata: dict, attachments: list) -> bytes:
        from weasyprint import HTML

        body = _STYLE.sub("", html)
        with self.lock:
            # The template's <style> is parsed once per distinct text, then reused.
            styles = [self.stylesheet(match.group(1)) for match in _STYLE.finditer(html)]
            cache = dict(self.images)
            document = HTML(string=body, url_fetcher=_url_fetcher).render(
                stylesheets=[self.fonts_css, *styles], font_config=self.font_config, cache=cache
            )
            if len(self.images) < 64:
                self.images.update(
                    (url, image if isinstance(image, _RecordedSVG) else _RecordedSVG(image))
                    for url, image in cache.items()
                    if url.startswith("data:image/svg") and image is not None
                )
            for key, value in metadata.items():
                setattr(document.metadata, key, value)
            return document.write_pdf(attachments=attachments)


_renderer: _Renderer | None = None
_renderer_lock = threading.Lock()


def renderer() -> _Renderer:
    global _renderer
    if _renderer is None:
        with _renderer_lock:
            if _renderer is None:
                _renderer = _Renderer()
    return _renderer


@cache
def shipped_characters() -> frozenset[int]:
    """Every code point some shipped font can draw."""
    from fontTools.ttLib import TTFont

    chars: set[int] = set()
    for filename in {face[3] for face in FONT_FACES}:
        chars.update(TTFont(FONTS_DIR / filename, lazy=True).getBestCmap())
    return frozenset(chars)


def uncovered_characters(text: str) -> str:
    """The characters of `text` that no shipped font draws (they would be missing from the PDF)."""
    covered = shipped_characters()
    missing = {ch for ch in text if ord(ch) not in covered and not ch.isspace() and unicodedata.category(ch)[0] != "C"}
    return "".join(sorted(missing))


@cache
def _fonts_fingerprint() -> str:
    import weasyprint

    files = sorted((path.name, path.stat().st_size) for path in FONTS_DIR.glob("*.woff2"))
    return f"{RENDERER_VERSION}:{weasyprint.__version__}:{files}"


# --- Rendering and cache ---------------------------------------------------------------------------


def _render(award, html: str) -> bytes:
    from datetime import UTC

    from weasyprint import Attachment

    from .revocation_marks import revocation_note

    achievement = award.achievement
    values = f"{award.recipient_name} {achievement.name} {achievement.issuer.name}"
    if missing := uncovered_characters(values):
        logger.warning("certificate %s: no shipped font draws %r", award.public_id, missing)
    issued = award.issued_at.astimezone(UTC)
    note = revocation_note(award)
    metadata = {
        "title": (f"{note.label} · " if note else "") + f"{_nfc(achievement.name)} · {_nfc(award.recipient_name)}",
        "authors": [_nfc(achievement.issuer.name)],
        "description": _nfc(achievement.name),
        "keywords": ["Open Badges 3.0", "verifiable credential", award.public_id],
        "generator": "Laurel",
        "created": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "modified": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lang": certificate_language(award),
    }
    attachment = Attachment(
        string=_credential_json(award),
        name=ATTACHMENT_NAME,
        description="Signed Open Badges 3.0 credential (W3C Verifiable Credential) of this certificate",
        created=issued,
        modified=issued,
        relationship="Data",
    )
    return renderer().render(html, metadata=metadata, attachments=[attachment])


def render_certificate_pdf(award) -> bytes:
    return _render(award, certificate_html(award))


def _cache_path(award, owner, page: str) -> str:
    """`page` is the HTML with QR placeholders; the QR code is a function of the URL, the ink and the mask."""
    qr = f"{absolute('verify_page', public_id=award.public_id)} {owner.ink} {QR_MASK}"
    digest = hashlib.sha256()
    for part in (_fonts_fingerprint(), page, qr, _credential_json(award)):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"certificates/{award.public_id}-{digest.hexdigest()[:16]}.pdf"


def stored_certificate_pdf(award) -> str:
    """Render into storage if the current inputs have no PDF yet; return the storage path."""
    owner = _template_owner(award.achievement)
    page = _page(award, owner)
    path = _cache_path(award, owner, page)
    if not default_storage.exists(path):
        html = _with_qr(page, url=absolute("verify_page", public_id=award.public_id), ink=owner.ink)
        path = default_storage.save(path, ContentFile(_render(award, html)))
    return path


def certificate_pdf_file(award):
    """An open file of the award's PDF: rendered on first use, then served from storage."""
    with default_storage.open(stored_certificate_pdf(award), "rb") as handle:
        return io.BytesIO(handle.read())
