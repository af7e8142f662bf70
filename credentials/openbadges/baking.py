"""Baking badge data into PNG and SVG images, and reading it back.

PNG (Open Badges 2.0 and 3.0 baking specifications): one ``iTXt`` chunk,
uncompressed, placed just before ``IEND``; keyword ``openbadges`` for 2.0 (the
assertion JSON or its URL) and ``openbadgecredential`` for 3.0 (the credential
JSON).  An existing chunk with the same keyword is replaced.  The chunk code is
written here with :func:`zlib.crc32`; nothing is decoded or re-encoded, so
baking costs one pass over the bytes.

SVG: 2.0 puts ``<openbadges:assertion verify="URL"><![CDATA[json]]></openbadges:assertion>``
(``verify`` optional: see :func:`bake_svg`) as the first child of ``<svg>`` with
``xmlns:openbadges="http://openbadges.org"``;
3.0 puts ``<openbadges:credential><![CDATA[json]]></openbadges:credential>`` with
``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"``.  Baking edits the
text (so the drawing is left byte-for-byte as it was); extraction parses the
SVG with :mod:`defusedxml`, which refuses entity declarations and external
references (XXE, billion laughs).
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any, Literal
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .errors import BakingError

Version = Literal["2.0", "3.0"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS: dict[str, str] = {"2.0": "openbadges", "3.0": "openbadgecredential"}
SVG_NAMESPACES: dict[str, str] = {"2.0": "http://openbadges.org", "3.0": "https://purl.imsglobal.org/ob/v3p0"}
SVG_ELEMENTS: dict[str, str] = {"2.0": "assertion", "3.0": "credential"}

MAX_PNG_TEXT = 8 * 1024 * 1024  # refuse absurd (or zip-bomb) baked payloads


@dataclass(frozen=True)
class BakedData:
    """What was found in an image: the version, the text (JSON or URL) and, for SVG 2.0, ``verify``."""

    version: Version
    text: str | None
    verify: str | None = None

    def json(self) -> Any:
        """The text parsed as JSON (raises ``ValueError`` when it is a URL or not JSON)."""
        if self.text is None:
            raise ValueError("no embedded text")
        return json.loads(self.text)


def _payload_text(data: str | dict) -> str:
    if isinstance(data, str):
        return data
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _check_version(version: str) -> Version:
    if version not in PNG_KEYWORDS:
        raise BakingError(f"unknown Open Badges version {version!r} (use '2.0' or '3.0')")
    return version  # type: ignore[return-value]


# --- PNG --------------------------------------------------------------------------------


def _png_chunks(png: bytes):
    """Yield ``(type, data_start, data_end, chunk_start, chunk_end)`` for each chunk."""
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image (bad signature)")
    pos = len(PNG_SIGNATURE)
    total = len(png)
    while pos < total:
        if pos + 8 > total:
            raise BakingError("truncated PNG chunk header")
        (length,) = struct.unpack_from(">I", png, pos)
        ctype = png[pos + 4 : pos + 8]
        data_start = pos + 8
        data_end = data_start + length
        end = data_end + 4
        if end > total:
            raise BakingError(f"truncated PNG chunk {ctype!r}")
        yield ctype, data_start, data_end, pos, end
        pos = end
        if ctype == b"IEND":
            return
    raise BakingError("PNG has no IEND chunk")


def _itxt_keyword(png: bytes, start: int, end: int) -> bytes:
    nul = png.find(b"\x00", start, min(end, start + 80))
    return png[start:nul] if nul != -1 else b""


def itxt_chunk(keyword: str, text: str) -> bytes:
    """An uncompressed ``iTXt`` chunk (length, type, data, CRC)."""
    kw = keyword.encode("latin-1")
    if not 1 <= len(kw) <= 79 or b"\x00" in kw:
        raise BakingError("a PNG keyword is 1 to 79 Latin-1 characters")
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL
    data = kw + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
    body = b"iTXt" + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def bake_png(png: bytes, data: str | dict, *, version: Version = "3.0") -> bytes:
    """Return ``png`` with ``data`` (JSON text, a dict, or for 2.0 a URL) baked in.

    Existing ``iTXt`` chunks with the version's keyword are removed; the new
    chunk goes right before ``IEND``.  Other chunks are copied unchanged.
    """
    keyword = PNG_KEYWORDS[_check_version(version)]
    kw = keyword.encode("latin-1")
    png = bytes(png)
    parts: list[bytes | memoryview] = [PNG_SIGNATURE]
    view = memoryview(png)
    copy_from = len(PNG_SIGNATURE)
    for ctype, d0, d1, c0, c1 in _png_chunks(png):
        if ctype == b"iTXt" and _itxt_keyword(png, d0, d1) == kw:
            parts.append(view[copy_from:c0])
            copy_from = c1
        elif ctype == b"IEND":
            parts.append(view[copy_from:c0])
            parts.append(itxt_chunk(keyword, _payload_text(data)))
            parts.append(view[c0:c1])
            copy_from = c1
    return b"".join(parts)


def _parse_itxt(png: bytes, start: int, end: int) -> tuple[str, str]:
    data = png[start:end]
    try:
        kw, rest = data.split(b"\x00", 1)
        compressed, method = rest[0], rest[1]
        _lang, rest = rest[2:].split(b"\x00", 1)
        _translated, text = rest.split(b"\x00", 1)
    except (ValueError, IndexError) as exc:
        raise BakingError("malformed iTXt chunk") from exc
    if compressed:
        if method != 0:
            raise BakingError("unknown iTXt compression method")
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_PNG_TEXT + 1)
        except zlib.error as exc:
            raise BakingError("corrupt compressed iTXt chunk") from exc
        if len(text) > MAX_PNG_TEXT:
            raise BakingError("baked text is too large")
    try:
        return kw.decode("latin-1"), text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakingError("iTXt text is not UTF-8") from exc


def extract_png(png: bytes, *, version: Version | None = None) -> BakedData | None:
    """Read baked data from a PNG; ``None`` when there is none.

    With ``version`` None, a 3.0 credential is preferred over a 2.0 assertion.
    The CRC of the chunk read is checked.
    """
    png = bytes(png)
    wanted = [_check_version(version)] if version else ["3.0", "2.0"]
    found: dict[str, str] = {}
    for ctype, d0, d1, c0, _c1 in _png_chunks(png):
        if ctype != b"iTXt":
            continue
        kw = _itxt_keyword(png, d0, d1).decode("latin-1")
        for v in wanted:
            if kw == PNG_KEYWORDS[v] and v not in found:
                (crc,) = struct.unpack_from(">I", png, d1)
                if zlib.crc32(png[c0 + 4 : d1]) & 0xFFFFFFFF != crc:
                    raise BakingError("CRC mismatch in the baked iTXt chunk")
                found[v] = _parse_itxt(png, d0, d1)[1]
    for v in wanted:
        if v in found:
            return BakedData(v, found[v])  # type: ignore[arg-type]
    return None


# --- SVG --------------------------------------------------------------------------------

_ATTRS = r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*?"  # lazy: leaves a closing "/" to the caller
_SVG_OPEN = re.compile(r"<svg\b(" + _ATTRS + r")(/?)>", re.S)
_XMLNS_OB = re.compile(r"\sxmlns:openbadges\s*=\s*(\"[^\"]*\"|'[^']*')")
_OB_ELEMENT = re.compile(
    r"<openbadges:(?:assertion|credential)\b" + _ATTRS + r"(?:/>|>.*?</openbadges:(?:assertion|credential)\s*>)",
    re.S,
)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _xml_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def bake_svg(svg: str | bytes, data: str | dict | None, *, version: Version = "3.0", verify: str | None = None) -> str:
    """Return ``svg`` with the badge data as the first child of ``<svg>``.

    2.0: ``data`` is the assertion JSON and/or ``verify`` the hosted assertion
    URL (or a JWS).  Without ``verify`` the element carries only the JSON, the
    form 1EdTech's 2.0 validator reads (its bakery returns ``verify`` as bytes,
    which the validator refuses); the JSON's ``id`` is the hosted URL.
    3.0: ``data`` is the credential JSON (or dict); ``verify`` is not used.
    Any existing ``openbadges:assertion`` / ``openbadges:credential`` element is removed.
    """
    version = _check_version(version)
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    if version == "2.0" and not verify and data is None:
        raise BakingError("Open Badges 2.0 SVG baking needs the assertion JSON or verify= (its URL)")
    if version == "3.0" and data is None:
        raise BakingError("Open Badges 3.0 SVG baking needs the credential")
    text = _OB_ELEMENT.sub("", text)
    match = _SVG_OPEN.search(text)
    if not match:
        raise BakingError("no <svg> element found")
    attrs, self_closing = match.group(1), match.group(2)
    namespace = SVG_NAMESPACES[version]
    ns_attr = f' xmlns:openbadges="{namespace}"'
    if _XMLNS_OB.search(attrs):
        attrs = _XMLNS_OB.sub(ns_attr, attrs, count=1)
    else:
        attrs = attrs.rstrip() + ns_attr if attrs.strip() else ns_attr
    tag = SVG_ELEMENTS[version]
    open_tag = f"<openbadges:{tag}"
    if version == "2.0" and verify:
        open_tag += f' verify="{_xml_attr(verify)}"'
    content = _cdata(_payload_text(data)) if data is not None else ""
    element = f"{open_tag}>{content}</openbadges:{tag}>"
    replacement = f"<svg{attrs}>{element}" + ("</svg>" if self_closing else "")
    return text[: match.start()] + replacement + text[match.end() :]


def extract_svg(svg: str | bytes, *, version: Version | None = None) -> BakedData | None:
    """Read baked data from an SVG (untrusted input); ``None`` when there is none.

    Parsed with defusedxml: entity declarations, external entities and
    external DTDs are refused with :class:`BakingError`.  The element is looked
    for among the children of the root ``<svg>`` (the first child, per the
    specifications, but a misplaced one is still found).
    """
    wanted = [_check_version(version)] if version else ["3.0", "2.0"]
    try:
        root = SafeET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    except DefusedXmlException as exc:
        raise BakingError(f"refused SVG: {type(exc).__name__} (entities/DTD are not allowed)") from exc
    except ParseError as exc:
        raise BakingError(f"SVG is not well-formed XML: {exc}") from exc
    except (LookupError, ValueError) as exc:  # expat: an unknown (or multi-byte) declared encoding
        raise BakingError(f"the SVG's declared encoding cannot be read: {exc}") from exc
    if not root.tag.endswith("svg"):
        raise BakingError("the root element is not <svg>")
    for v in wanted:
        tag = f"{{{SVG_NAMESPACES[v]}}}{SVG_ELEMENTS[v]}"
        element = root.find(tag)
        if element is None:
            element = next(root.iter(tag), None)
        if element is not None:
            text = (element.text or "").strip() or None
            return BakedData(v, text, element.get("verify"))  # type: ignore[arg-type]
    return None
