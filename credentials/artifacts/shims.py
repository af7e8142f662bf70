"""Two per-document costs of third-party code, removed without changing a byte of output.

Each shim is installed only for the version it was written for (SHIMMED_WEASYPRINT, SHIMMED_TINYHTML5):
with any other version the third-party code runs as it is. Why each exists, what it saves (measured by
benchmarks/shims.py) and when to remove it: docs/decisions/0007-third-party-shims.md.
"""

import re

#: WeasyPrint and tinyhtml5 versions the two shims below were written for; with others they are not installed.
SHIMMED_WEASYPRINT = ("66.",)
SHIMMED_TINYHTML5 = ("2.1.",)

_ARRAY = re.compile(r"hb_codepoint_t\[\d+\]")


class SizedArraysAsOpen:
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


class UntilRegexes(dict):
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


def install_shims() -> None:
    """Install both shims where the installed versions are the ones they were written for (idempotent)."""
    import tinyhtml5
    import weasyprint
    from tinyhtml5 import inputstream
    from weasyprint.pdf import fonts

    if weasyprint.__version__.startswith(SHIMMED_WEASYPRINT) and not isinstance(fonts.ffi, SizedArraysAsOpen):
        fonts.ffi = SizedArraysAsOpen(fonts.ffi)
    version = getattr(tinyhtml5, "__version__", "")
    if version.startswith(SHIMMED_TINYHTML5) and type(inputstream.characters_until_regex) is dict:
        inputstream.characters_until_regex = UntilRegexes()
