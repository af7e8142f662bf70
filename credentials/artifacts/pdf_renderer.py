"""The shared certificate renderer: shipped fonts only, parsed stylesheets and SVG decorations kept per process.

Fonts. The renderer sees only the fonts shipped in `credentials/artifacts/fonts/` (Noto Sans for Latin, Greek
and Cyrillic; Noto Sans Arabic; a Noto Sans CJK subset with common Han, kana and Hangul; see its README). It
uses a Fontconfig configuration of its own with no system font in it, so a certificate looks the same on a
laptop, in CI and in production, and a template can only name these families: "Noto Sans", "Noto Sans Arabic",
"Noto Sans CJK SC". A character none of them has is logged (warning) and is not drawn.

Speed. One font configuration, the @font-face stylesheet, each template's parsed stylesheet, each parsed SVG
decoration and each compiled Django template are built once per process and shared by every render (a lock
serialises renders, which share Pango's font map). An SVG decoration is drawn by WeasyPrint once per size; its
content-stream operators are then replayed, unless it needs more than operators and transparency states
(fonts, images, gradients, groups: then it is drawn every time; `_RecordedSVG`). The QR code gets segno's best
mask, scored in about 1 ms instead of 4 (credentials.artifacts.qrcodes). Two shims remove per-document costs
of third-party code without changing a byte of output (credentials.artifacts.shims). The default templates are
flat: one SVG background of simple shapes, SVG backgrounds for dividers, a few absolutely placed blocks of
text, translucent colours rather than `opacity` (which makes a transparency group per element), the QR code as
a one-pixel-a-module PNG drawn without smoothing. Fonts are subset at render time by HarfBuzz when
libharfbuzz-subset is installed (a few ms); without it WeasyPrint falls back to fontTools, which works but is
far slower (benchmarks/render_pdf.py, docs/benchmarks.md).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from .shims import install_shims

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

_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.DOTALL | re.IGNORECASE)


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
        install_shims()
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
def fonts_fingerprint() -> str:
    import weasyprint

    files = sorted((path.name, path.stat().st_size) for path in FONTS_DIR.glob("*.woff2"))
    return f"{RENDERER_VERSION}:{weasyprint.__version__}:{files}"
