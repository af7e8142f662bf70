"""The third-party shims (ADR 7) are tied to the versions they were written and measured for."""

import segno
import tinyhtml5
import weasyprint
from tinyhtml5 import inputstream
from weasyprint.pdf import fonts

from credentials.artifacts import pdf_renderer, qrcodes, shims


def test_each_shim_is_installed_for_the_versions_it_was_measured_with():
    """Fails on an upgrade of WeasyPrint, tinyhtml5 or segno: the shim then steps aside by itself; run
    benchmarks/shims.py and follow docs/decisions/0007-third-party-shims.md (remove it, or re-check and
    extend its version)."""
    assert weasyprint.__version__.startswith(shims.SHIMMED_WEASYPRINT), weasyprint.__version__
    assert tinyhtml5.VERSION.startswith(shims.SHIMMED_TINYHTML5), tinyhtml5.VERSION
    assert segno.__version__.startswith(qrcodes.CHECKED_SEGNO), segno.__version__
    pdf_renderer.renderer()
    assert isinstance(fonts.ffi, shims.SizedArraysAsOpen)
    assert isinstance(inputstream.characters_until_regex, shims.UntilRegexes)


def test_other_versions_are_left_alone(monkeypatch):
    monkeypatch.setattr(fonts, "ffi", getattr(fonts.ffi, "_ffi", fonts.ffi))
    monkeypatch.setattr(inputstream, "characters_until_regex", {})
    monkeypatch.setattr(shims, "SHIMMED_WEASYPRINT", ("0.",))
    monkeypatch.setattr(shims, "SHIMMED_TINYHTML5", ("0.",))
    shims.install_shims()
    assert not isinstance(fonts.ffi, shims.SizedArraysAsOpen)
    assert type(inputstream.characters_until_regex) is dict


def test_installing_twice_wraps_once():
    pdf_renderer.renderer()
    shims.install_shims()
    assert not isinstance(fonts.ffi._ffi, shims.SizedArraysAsOpen)
