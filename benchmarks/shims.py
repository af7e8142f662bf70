"""Benchmark: what each third-party shim of the certificate renderer saves (docs/decisions/0007).

    .venv/bin/python benchmarks/shims.py              # 100 PDFs per mode, 300 QR codes, 200 page parses
    .venv/bin/python benchmarks/shims.py -n 40 --qr 100

Four measurements, each with and without the shim, on the same inputs:

1. QR codes: `segno.make_qr(url, error="m")` against `credentials.artifacts.qrcodes.make_qr(url)` for
   distinct verification URLs; the two symbols are compared (same matrix, same mask).
2. cffi: an array of a glyph count not seen before, built as WeasyPrint asks for it (`hb_codepoint_t[N]`,
   a new type string to parse) and as the shim does (`hb_codepoint_t[]`).
3. tinyhtml5's regular-expression cache: `tinyhtml5.parse` of certificate pages with the module's own
   cache (a plain dict it never hits) against `shims.UntilRegexes`.
4. Whole PDFs: a fresh process per mode (no shim, each shim alone, both) renders n distinct awards;
   CPU per PDF (median, mean, the first 20, total) and how many distinct glyph-array types WeasyPrint asked
   for (each one a parse without the shim, so its saving is largest while a process is young); then the
   first 20 awards are rendered again with both shims taken out and compared byte for byte.

CPU time (process_time) is the figure to read: the machine is shared. In-memory SQLite, test settings,
nothing written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

MODES = {
    "none": ((), ()),
    "cffi arrays only": (None, ()),
    "tinyhtml5 regexes only": ((), None),
    "both (shipped)": (None, None),
}


def ms(value: float) -> str:
    return f"{value * 1000:.2f} ms"


def bench_qr(count: int) -> None:
    import segno

    from credentials.artifacts import qrcodes

    urls = [
        f"https://laurel.example.org/verify/{i:06d}-{hashlib.sha256(str(i).encode()).hexdigest()[:14]}/"
        for i in range(count)
    ]
    plain, fast = [], []
    for url in urls:
        c = time.process_time()
        a = segno.make_qr(url, error="m")
        plain.append(time.process_time() - c)
        c = time.process_time()
        b = qrcodes.make_qr(url, error="m")
        fast.append(time.process_time() - c)
        assert a.matrix == b.matrix and a.mask == b.mask, url
    print(f"1. QR code of a verification URL ({count} distinct URLs, segno {segno.__version__}; same symbol each time)")
    print(f"   segno.make_qr    median {ms(statistics.median(plain))}, mean {ms(statistics.fmean(plain))}")
    print(f"   qrcodes.make_qr  median {ms(statistics.median(fast))}, mean {ms(statistics.fmean(fast))}")
    print(f"   saved per PDF: {ms(statistics.median(plain) - statistics.median(fast))} (median)")


def bench_tinyhtml5(pages: list[str], rounds: int) -> None:
    import tinyhtml5
    from tinyhtml5 import inputstream

    from credentials.artifacts import shims

    original = inputstream.characters_until_regex
    results = {}
    for label, cache in (("tinyhtml5's own cache", {}), ("shims.UntilRegexes", shims.UntilRegexes())):
        inputstream.characters_until_regex = cache
        times = []
        for i in range(rounds):
            page = pages[i % len(pages)]
            c = time.process_time()
            tinyhtml5.parse(page)
            times.append(time.process_time() - c)
        results[label] = times
    inputstream.characters_until_regex = original
    print(f"3. tinyhtml5 {tinyhtml5.VERSION} parse of a certificate page ({rounds} parses of {len(pages)} pages)")
    for label, times in results.items():
        print(f"   {label:<22} median {ms(statistics.median(times))}, mean {ms(statistics.fmean(times))}")
    own, shim = (statistics.median(t) for t in results.values())
    print(f"   saved per PDF: {ms(own - shim)} (median)")


def bench_cffi(count: int) -> None:
    from weasyprint.pdf.fonts import ffi

    ffi = getattr(ffi, "_ffi", ffi)
    values = [list(range(n)) for n in range(20_000, 20_000 + count)]  # lengths no render has used
    c = time.process_time()
    for v in values:
        ffi.new(f"hb_codepoint_t[{len(v)}]", v)
    sized = (time.process_time() - c) / count
    ffi.new("hb_codepoint_t[]", values[0])
    c = time.process_time()
    for v in values:
        ffi.new("hb_codepoint_t[]", v)
    open_ = (time.process_time() - c) / count
    print(f"2. cffi array of a glyph count not seen before ({count} counts; cffi parses each new type string)")
    print(f"   hb_codepoint_t[N] (WeasyPrint)  {ms(sized)} each;  hb_codepoint_t[] (shim)  {ms(open_)} each")
    print(f"   saved per new glyph count: {ms(sized - open_)}")


def child(mode: str, n: int) -> None:
    """One fresh process: render n distinct awards with the shims of `mode`; print JSON figures."""
    logging.disable(logging.WARNING)
    from render_pdf import setup

    awards = setup(n)
    from credentials.artifacts import pdf, shims

    weasy, tiny = MODES[mode]
    if weasy is not None:
        shims.SHIMMED_WEASYPRINT = weasy
    if tiny is not None:
        shims.SHIMMED_TINYHTML5 = tiny
    pdf.render_certificate_pdf(awards[0])  # fonts loaded, renderer built: not counted
    seen: set[str] = set()  # the C types WeasyPrint asks for: each distinct one is a parse without the shim
    if weasy is None:
        real_new = shims.SizedArraysAsOpen.new
        shims.SizedArraysAsOpen.new = lambda self, cdecl, init=None: seen.add(cdecl) or real_new(self, cdecl, init)
    cpu, rendered = [], {}
    for award in awards[1:]:
        c = time.process_time()
        rendered[award.pk] = pdf.render_certificate_pdf(award)
        cpu.append(time.process_time() - c)
    identical = None
    if mode == "both (shipped)":  # the same awards again with both shims taken out: the same bytes?
        import weasyprint.pdf.fonts as weasy_fonts
        from tinyhtml5 import inputstream

        weasy_fonts.ffi = weasy_fonts.ffi._ffi
        inputstream.characters_until_regex = {}
        identical = sum(pdf.render_certificate_pdf(award) == rendered[award.pk] for award in awards[1:21])
    print(json.dumps({"cpu": cpu, "identical": identical, "types": len(seen)}))


def bench_pdfs(n: int) -> dict:
    rows = {}
    for mode in MODES:
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, "-n", str(n)], capture_output=True, text=True, check=True
        ).stdout
        rows[mode] = json.loads(out.strip().splitlines()[-1])
    print(f"4. whole certificate PDFs: {n} distinct awards per mode, each mode in a fresh process (CPU)")
    print(f"   {'mode':<24} {'median':>10} {'mean':>10} {'first 20 mean':>14} {'total':>10}")
    for mode, row in rows.items():
        cpu = row["cpu"]
        print(
            f"   {mode:<24} {ms(statistics.median(cpu)):>10} {ms(statistics.fmean(cpu)):>10} "
            f"{ms(statistics.fmean(cpu[:20])):>14} {sum(cpu):>9.2f}s"
        )
    types = rows["both (shipped)"]["types"]
    print(f"   distinct glyph-array types asked for in {n} PDFs (after the first): {types}")
    identical, checked = rows["both (shipped)"]["identical"], min(20, n)
    print(f"   the same awards rendered again without the shims, same process: {identical} of {checked} byte-identical")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="distinct awards rendered per mode (default 100)")
    parser.add_argument("--qr", type=int, default=300, help="distinct URLs for the QR figures (default 300)")
    parser.add_argument("--parses", type=int, default=200, help="page parses for the tinyhtml5 figures")
    parser.add_argument("--child", choices=list(MODES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if args.child:
        child(args.child, args.n)
        return 0
    logging.disable(logging.WARNING)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    from render_pdf import setup

    awards = setup(12)
    from credentials.artifacts import pdf

    bench_qr(args.qr)
    bench_cffi(50)
    bench_tinyhtml5([pdf.certificate_html(award) for award in awards], args.parses)
    bench_pdfs(args.n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
