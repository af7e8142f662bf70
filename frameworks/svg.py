"""SVG badge templates: safety checks, placeholder filling and PNG rendering through CairoSVG.

Templates use ``{{ name }}`` placeholders (see PLACEHOLDERS). Values are escaped for text and attribute
context alike (``& < >`` and both quotes), because a placeholder may stand inside an attribute (an icon's
path data, a colour): an unescaped ``"`` would end the attribute and start a new one (``onload=...``). A
template or an uploaded SVG may not contain scripts, event handlers, external references, foreign
content or a DTD (no entity expansion), and neither may a filled template: ``fill`` checks its result,
so a value that turns a safe template unsafe (``javascript:`` in an ``href``, ``@import`` in a
``<style>``) is refused with UnsafeSVG instead of rendered.
"""

import re
import textwrap
from xml.etree.ElementTree import Element  # noqa: S405 - only the type; parsing goes through defusedxml
from xml.sax.saxutils import escape

import cairosvg
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, tostring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDERS = (
    "title_1", "title_2", "title_3", "category", "level_marker", "issuer",
    "primary", "secondary", "accent", "ink", "icon_path",
)  # fmt: skip
PLACEHOLDER = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")
MAX_SVG_BYTES = 512 * 1024
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener", "audio", "video"}
HREF_ATTRS = {"href", "{http://www.w3.org/1999/xlink}href"}
SAFE_DATA_URI = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$")
CSS_EXTERNAL = re.compile(r"@import|url\(\s*['\"]?(?!#)|expression\(|javascript:", re.IGNORECASE)
# Content-Security-Policy of an SVG served on its own (badge images, template sources): its inline styles
# apply, nothing runs or loads, and it is sandboxed even if something slipped through the checks.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
# Entities for both quotes on top of saxutils.escape's & < >: safe in text and in either kind of attribute.
ATTRIBUTE_ENTITIES = {'"': "&quot;", "'": "&apos;"}


class UnsafeSVG(ValueError):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _problems(root: Element, remove: bool) -> list[str]:
    found: list[str] = []
    for parent in list(root.iter()):
        for child in list(parent):
            name = _local(child.tag)
            if name in FORBIDDEN_ELEMENTS:
                found.append(_("element <%(name)s>") % {"name": name})
                if remove:
                    parent.remove(child)
    for node in root.iter():
        for attr, value in list(node.attrib.items()):
            name = _local(attr)
            bad = None
            if name.startswith("on"):
                bad = _("event handler %(attr)s") % {"attr": name}
            elif attr in HREF_ATTRS and not (value.startswith("#") or SAFE_DATA_URI.match(value)):
                bad = _("external reference %(value)s") % {"value": value[:60]}
            elif name == "style" and CSS_EXTERNAL.search(value):
                bad = _("external reference in a style attribute")
            if bad:
                found.append(bad)
                if remove:
                    del node.attrib[attr]
        if _local(node.tag) == "style" and node.text and CSS_EXTERNAL.search(node.text):
            found.append(_("external reference in a <style> element"))
            if remove:
                node.text = ""
    return found


def _parse(svg: str | bytes) -> Element:
    data = svg.encode() if isinstance(svg, str) else svg
    if len(data) > MAX_SVG_BYTES:
        raise UnsafeSVG(_("The SVG is larger than %(kb)s KB.") % {"kb": MAX_SVG_BYTES // 1024})
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeSVG(_("The SVG declares a DTD or entities, which are not allowed.")) from exc
    except Exception as exc:  # ParseError and friends
        raise UnsafeSVG(_("This is not well-formed SVG: %(error)s") % {"error": exc}) from exc
    if _local(root.tag) != "svg":
        raise UnsafeSVG(_("The document's root element is <%(tag)s>, not <svg>.") % {"tag": _local(root.tag)})
    return root


def check_svg(svg: str | bytes) -> None:
    """Raise UnsafeSVG naming what makes this SVG unsafe to render or serve; return None when it is safe."""
    root = _parse(svg)
    problems = _problems(root, remove=False)
    if problems:
        raise UnsafeSVG(_("The SVG contains %(what)s.") % {"what": "; ".join(sorted(set(problems)))})


def check_svg_template(svg: str) -> None:
    """Raise UnsafeSVG naming what is wrong with a badge template; return None when it is safe."""
    check_svg(svg)
    unknown = sorted({name for name in PLACEHOLDER.findall(svg) if name not in PLACEHOLDERS})
    if unknown:
        raise UnsafeSVG(_("Unknown placeholder: %(names)s.") % {"names": ", ".join(unknown)})


def sanitize_svg(svg: str | bytes) -> str:
    """Return the SVG with scripts, handlers and external references removed (a DTD is refused)."""
    root = _parse(svg)
    _problems(root, remove=True)
    return tostring(root, encoding="unicode")


def wrap_title(name: str, width: int = 18, lines: int = 3) -> list[str]:
    wrapped = textwrap.wrap(name.strip(), width=width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    pad = (lines - len(wrapped)) // 2  # centre short names vertically
    return [""] * pad + wrapped + [""] * (lines - len(wrapped) - pad)


def level_text(marker: str, level: int | None, max_level: int) -> str:
    if not level or marker == "none" or not max_level:
        return ""
    level = min(level, max_level)
    if marker == "stars":
        return "★" * level + "☆" * (max_level - level)
    if marker == "bars":
        return "▮" * level + "▯" * (max_level - level)
    return ["", "I", "II", "III", "IV", "V"][level]


def fill(template: str, values: dict) -> str:
    """The template with each placeholder replaced by its escaped value; raise UnsafeSVG if the result is
    not safe (checked after filling, since values end up inside attributes and style sheets)."""
    filled = PLACEHOLDER.sub(lambda m: escape(str(values.get(m.group(1), "")), ATTRIBUTE_ENTITIES), template)
    check_svg(filled)
    return filled


def badge_values(category, *, name: str, level: int | None = None, issuer: str = "") -> dict:
    """The placeholder values for one badge of a category (or one certificate seal of a tier)."""
    title = wrap_title(name)
    return {
        "title_1": title[0], "title_2": title[1], "title_3": title[2],
        "category": str(category.name).upper(),
        "level_marker": level_text(category.level_marker, level, category.max_level),
        "issuer": issuer,
        "icon_path": category.icon_path,
        **category.palette,
    }  # fmt: skip


def check_design(kind, *, name: str, level: int | None = None) -> None:
    """Raise a ValidationError on ``svg_template`` if a tier's or category's template is unsafe, or becomes
    unsafe once filled with its own icon, palette and this sample name (for the admin form)."""
    try:
        check_svg_template(kind.svg_template)
        fill(kind.svg_template, badge_values(kind, name=name, level=level, issuer="Laurel"))
    except UnsafeSVG as exc:
        raise ValidationError({"svg_template": str(exc)}) from exc


def render_png(svg: str, *, size: int = 400) -> bytes:
    """Render SVG to PNG with CairoSVG. ``unsafe=False``: no external files, no entities, size limits."""
    return cairosvg.svg2png(bytestring=svg.encode(), output_width=size, output_height=size, unsafe=False)
