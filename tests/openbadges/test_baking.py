import io
import json
import struct
import time
import zlib

import pytest
from PIL import Image

from credentials.openbadges.baking import (
    BakingError,
    bake_png,
    bake_svg,
    extract_png,
    extract_svg,
    itxt_chunk,
)

CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "Café ✓ ]]> test", "id": "urn:x"}


def _png(size=(64, 64), extra_chunks=b"") -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", size, (200, 30, 30, 255)).save(buf, format="PNG")
    data = buf.getvalue()
    if extra_chunks:  # insert after IHDR
        ihdr_end = 8 + 8 + 13 + 4
        data = data[:ihdr_end] + extra_chunks + data[ihdr_end:]
    return data


def _chunks(png: bytes):
    pos, out = 8, []
    while pos < len(png):
        (length,) = struct.unpack_from(">I", png, pos)
        ctype = png[pos + 4 : pos + 8]
        out.append((ctype, png[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return out


def test_bake_and_extract_png_v3():
    png = _png()
    baked = bake_png(png, CREDENTIAL)
    chunks = _chunks(baked)
    assert [c for c, _ in chunks][-2:] == [b"iTXt", b"IEND"]
    itxt = chunks[-2][1]
    assert itxt.startswith(b"openbadgecredential\x00\x00\x00\x00\x00")  # uncompressed, no language
    found = extract_png(baked)
    assert found.version == "3.0"
    assert found.json() == CREDENTIAL
    with Image.open(io.BytesIO(baked)) as img:
        img.load()
        assert img.size == (64, 64)
        assert json.loads(img.text["openbadgecredential"]) == CREDENTIAL
    assert extract_png(png) is None


def test_bake_png_v2_url_and_versions_side_by_side():
    baked = bake_png(_png(), "https://laurel.example.org/assertions/1", version="2.0")
    assert _chunks(baked)[-2][1].startswith(b"openbadges\x00")
    assert extract_png(baked).text == "https://laurel.example.org/assertions/1"
    both = bake_png(baked, CREDENTIAL, version="3.0")
    assert extract_png(both, version="2.0").text == "https://laurel.example.org/assertions/1"
    assert extract_png(both).version == "3.0"


def test_rebaking_replaces_the_existing_chunk():
    # an existing chunk in an unusual place (right after IHDR), as other bakers may write it
    png = _png(extra_chunks=itxt_chunk("openbadgecredential", '{"old": true}'))
    assert extract_png(png).json() == {"old": True}
    baked = bake_png(png, CREDENTIAL)
    again = bake_png(baked, {"new": 1})
    kinds = [(c, d.split(b"\x00", 1)[0]) for c, d in _chunks(again) if c == b"iTXt"]
    assert kinds == [(b"iTXt", b"openbadgecredential")]
    assert extract_png(again).json() == {"new": 1}
    with Image.open(io.BytesIO(again)) as img:
        img.load()


def test_extract_reads_compressed_itxt_and_checks_crc():
    text = json.dumps(CREDENTIAL).encode()
    data = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(text)
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))
    png = _png(extra_chunks=chunk)
    assert extract_png(png).json() == CREDENTIAL
    broken = bytearray(bake_png(_png(), CREDENTIAL))
    broken[-12 - 20] ^= 0xFF  # a byte inside the iTXt text
    with pytest.raises(BakingError, match="CRC"):
        extract_png(bytes(broken))
    with pytest.raises(BakingError, match="not a PNG"):
        bake_png(b"GIF89a...", CREDENTIAL)


def test_png_baking_is_fast():
    png = _png((600, 600))
    payload = json.dumps(CREDENTIAL) * 20
    start = time.perf_counter()
    for _ in range(200):
        bake_png(png, payload)
    per_image = (time.perf_counter() - start) / 200
    assert per_image < 0.005, f"{per_image * 1000:.2f} ms per bake"


SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" data-note="a > b">'
    '<circle cx="50" cy="50" r="40" fill="red"/></svg>'
)


def test_bake_and_extract_svg_v3():
    baked = bake_svg(SVG, CREDENTIAL)
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" data-note="a > b"' in baked
    first_child = baked.split('data-note="a > b"', 1)[1]
    assert first_child.startswith(' xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>')
    found = extract_svg(baked)
    assert found.version == "3.0"
    assert found.json() == CREDENTIAL  # "]]>" inside the JSON survives the CDATA split
    assert '<circle cx="50" cy="50" r="40" fill="red"/>' in baked
    rebaked = bake_svg(baked, {"new": 1})
    assert rebaked.count("<openbadges:credential>") == 1
    assert extract_svg(rebaked).json() == {"new": 1}


def test_bake_and_extract_svg_v2():
    url = "https://laurel.example.org/assertions/1?a=1&b=2"
    assertion = {"id": url, "type": "Assertion"}
    baked = bake_svg(SVG, assertion, version="2.0", verify=url)
    assert 'xmlns:openbadges="http://openbadges.org"' in baked
    assert '<openbadges:assertion verify="https://laurel.example.org/assertions/1?a=1&amp;b=2"><![CDATA[' in baked
    found = extract_svg(baked)
    assert found.version == "2.0"
    assert found.verify == url
    assert found.json() == assertion
    with pytest.raises(BakingError):
        bake_svg(SVG, None, version="2.0")
    assert extract_svg(SVG) is None


def test_svg_v2_without_verify_carries_the_assertion_json_only():
    """The form 1EdTech's 2.0 validator reads: no `verify` attribute (its bakery would return it as bytes)."""
    assertion = {"id": "https://laurel.example.org/assertions/1", "type": "Assertion"}
    baked = bake_svg(SVG, assertion, version="2.0")
    assert "<openbadges:assertion><![CDATA[" in baked and "verify=" not in baked
    found = extract_svg(baked)
    assert found.version == "2.0" and found.verify is None and found.json() == assertion


def test_png_with_both_chunks_keeps_each_and_reads_either():
    assertion = {"id": "https://laurel.example.org/assertions/1", "type": "Assertion"}
    both = bake_png(bake_png(_png(), assertion, version="2.0"), CREDENTIAL, version="3.0")
    assert extract_png(both).version == "3.0" and extract_png(both).json() == CREDENTIAL
    assert extract_png(both, version="2.0").json() == assertion
    rebaked = bake_png(both, {"new": 1}, version="3.0")  # replaces its own chunk only
    assert extract_png(rebaked, version="2.0").json() == assertion and extract_png(rebaked).json() == {"new": 1}
    assert rebaked.count(b"openbadgecredential\x00") == 1 and rebaked.count(b"iTXtopenbadges\x00") == 1


def test_self_closing_svg():
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', CREDENTIAL)
    assert extract_svg(baked).json() == CREDENTIAL


XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
    "<openbadges:credential>&xxe;</openbadges:credential></svg>"
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
    "<openbadges:credential>&lol3;</openbadges:credential></svg>"
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&ext;</text></svg>'
)


@pytest.mark.parametrize("hostile", [XXE, LAUGHS, EXTERNAL_DTD], ids=["xxe", "billion-laughs", "external-dtd"])
def test_hostile_svg_is_refused(hostile):
    with pytest.raises(BakingError):
        extract_svg(hostile)


def test_malformed_svg_is_refused():
    with pytest.raises(BakingError, match="well-formed"):
        extract_svg("<svg><unclosed></svg>")


def test_self_closing_baked_element_is_replaced():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        '<openbadges:assertion verify="https://old.example/1"/><rect/></svg>'
    )
    baked = bake_svg(svg, None, version="2.0", verify="https://laurel.example.org/assertions/2")
    assert "old.example" not in baked
    assert extract_svg(baked).verify == "https://laurel.example.org/assertions/2"
