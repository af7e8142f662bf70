"""credentials.artifacts.qrcodes.make_qr gives the QR code segno gives: same mask, same modules, same images."""

import random
import string

import pytest
import segno

from credentials.artifacts import qrcodes


def urls(count: int, seed: int = 4):
    """Verification-like URLs and other content over the versions, modes and error levels in use."""
    rng = random.Random(seed)
    alphabets = [
        string.ascii_letters + string.digits + "-_",  # public ids
        string.digits,  # numeric mode
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 $%*+-./:",  # alphanumeric mode
        string.ascii_letters + "éüßЖ中",  # bytes beyond Latin-1
    ]
    for _ in range(count):
        alphabet = rng.choice(alphabets)
        tail = "".join(rng.choice(alphabet) for _ in range(rng.choice([5, 22, 40, 90, 200])))
        yield rng.choice(["https://laurel.example.org/c/", "HTTP://LAUREL.EXAMPLE.ORG/C/", ""]) + tail + "/"


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
def test_same_symbol_as_segno(error):
    masks = set()
    for content in urls(100, seed=ord(error)):
        fast, slow = qrcodes.make_qr(content, error=error), segno.make_qr(content, error=error)
        assert (fast.version, fast.error, fast.mask, fast.mode) == (slow.version, slow.error, slow.mask, slow.mode)
        assert fast.matrix == slow.matrix, content
        masks.add(slow.mask)
    assert len(masks) >= 6  # the comparison covered most masks


def test_same_images_as_segno():
    url = "https://laurel.example.org/c/01JDXK3Q5Z8V7N6M4B2C1X0Y9W/"
    fast, slow = qrcodes.make_qr(url, error="m"), segno.make_qr(url, error="m")
    options = {"scale": 1, "border": 4, "dark": "#1d4e89", "light": "#ffffff"}
    assert fast.png_data_uri(**options) == slow.png_data_uri(**options)
    assert fast.svg_inline(scale=3, dark="#1d4e89") == slow.svg_inline(scale=3, dark="#1d4e89")


def test_other_segno_versions_use_segno(monkeypatch):
    monkeypatch.setattr(qrcodes, "CHECKED_SEGNO", ("0.0.",))
    calls = []
    real = segno.make_qr
    monkeypatch.setattr(segno, "make_qr", lambda *args, **kwargs: calls.append(kwargs) or real(*args, **kwargs))
    qr = qrcodes.make_qr("https://laurel.example.org/c/abc/", error="m")
    assert calls == [{"error": "m"}] and qr.mask == real("https://laurel.example.org/c/abc/", error="m").mask
