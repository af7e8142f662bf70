"""Build the certificate fonts in this folder from OFL Noto fonts published on the npm registry.

    .venv/bin/python credentials/artifacts/fonts/build.py            # fetches the packages with `npm pack`
    .venv/bin/python credentials/artifacts/fonts/build.py --from DIR # or uses *.tgz already in DIR

The fonts are committed: nothing runs this at install or render time. Run it again only to change what
the fonts cover (the ranges below) or to move to newer releases, then re-run the PDF tests. It needs
fontTools with brotli (both in the venv through WeasyPrint) and, without --from, npm.

Each output font is a subset of the full static Noto fonts in the @expo-google-fonts packages (Google
Fonts releases; fonts under the SIL Open Font License 1.1, packaging code under MIT), without hinting,
as WOFF2 with untransformed tables (quick to decode). The CJK font joins Noto Sans SC (Han, kana,
punctuation) with the Hangul of Noto Sans KR.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.merge import Options as MergeOptions
from fontTools.ttLib import TTFont
from fontTools.ttLib.woff2 import WOFF2FlavorData

HERE = Path(__file__).resolve().parent

PACKAGES = {
    "latin": ("@expo-google-fonts/noto-sans", "0.4.2", "NotoSans"),
    "arabic": ("@expo-google-fonts/noto-sans-arabic", "0.4.3", "NotoSansArabic"),
    "sc": ("@expo-google-fonts/noto-sans-sc", "0.4.3", "NotoSansSC"),
    "kr": ("@expo-google-fonts/noto-sans-kr", "0.4.3", "NotoSansKR"),
}
STYLES = {"Regular": "400Regular", "Bold": "700Bold", "Italic": "400Regular_Italic"}


def span(first: int, last: int) -> set[int]:
    return set(range(first, last + 1))


# Latin (with every European diacritic and Vietnamese), Greek, Cyrillic, punctuation and currency.
LATIN = (
    span(0x20, 0x7E) | span(0xA0, 0x2FF) | span(0x300, 0x36F) | span(0x370, 0x3FF) | span(0x400, 0x52F)
    | span(0x1E00, 0x1EFF) | span(0x2000, 0x206F) | span(0x20A0, 0x20CF) | span(0x2100, 0x214F)
    | {0x2212, 0x2215, 0xFEFF, 0xFFFD}
)  # fmt: skip
# Arabic, its supplements and presentation forms, and the joiners and direction marks.
ARABIC = (
    span(0x600, 0x6FF) | span(0x750, 0x77F) | span(0x870, 0x8FF) | span(0xFB50, 0xFDFF) | span(0xFE70, 0xFEFF)
    | span(0x200C, 0x200F) | {0x20, 0xA0}
)  # fmt: skip


def _double_byte(codec: str, rows: range, cells) -> set[int]:
    chars = set()
    for row in rows:
        for cell in cells:
            try:
                text = bytes([row, cell]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                chars.add(ord(text))
    return chars


def han_set() -> set[int]:
    """Common Han characters: GB 2312 (both levels), JIS X 0208 level 1 and Big5 level 1 (常用字)."""
    cells = range(0xA1, 0xFF)
    gb2312 = _double_byte("gb2312", range(0xB0, 0xF8), cells)
    jis_level1 = _double_byte("euc_jp", range(0xB0, 0xD0), cells)
    big5_level1 = {c for c in _double_byte("big5", range(0xA4, 0xC6), [*range(0x40, 0x7F), *cells])}
    return {c for c in gb2312 | jis_level1 | big5_level1 if 0x4E00 <= c <= 0x9FFF}


def hangul_set() -> set[int]:
    """The 2,350 Hangul syllables of KS X 1001 (what Korean names are written with) and compatibility jamo."""
    return _double_byte("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF)) | span(0x3131, 0x318E)


# CJK punctuation, kana, full-width forms and the geometric shapes and symbols of the CJK fonts (◆, ★…).
CJK_COMMON = (
    span(0x3000, 0x303F) | span(0x3040, 0x30FF) | span(0x31F0, 0x31FF) | span(0xFF00, 0xFFEF)
    | span(0x25A0, 0x25FF) | span(0x2600, 0x26FF) | {0x20, 0xA0}
)  # fmt: skip


def fetch(packages_dir: Path | None, work: Path) -> dict[str, Path]:
    """Unpack each package; return its folder."""
    folders = {}
    for key, (name, version, _prefix) in PACKAGES.items():
        tarball_name = f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
        if packages_dir:
            tarball = packages_dir / tarball_name
        else:
            command = ["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(work)]
            subprocess.run(command, check=True)  # noqa: S603, S607 - a fixed npm command, by hand
            tarball = work / tarball_name
        target = work / key
        with tarfile.open(tarball) as archive:
            archive.extractall(target, filter="data")
        folders[key] = target / "package"
    return folders


def subset_font(path: Path, unicodes: set[int]) -> TTFont:
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.layout_features = ["*"]
    options.drop_tables += ["vhea", "vmtx", "VORG", "BASE", "STAT", "DSIG"]
    font = TTFont(path, recalcTimestamp=False)  # keep the source's dates: the same input gives the same bytes
    available = set(font.getBestCmap())
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes & available))
    subsetter.subset(font)
    return font


def save(font: TTFont, name: str) -> Path:
    # WOFF2 without the glyf/loca transform: a little larger, but decoding it is a Brotli pass only
    # (fontTools rebuilds transformed glyf tables in pure Python: 10 s for the CJK font at first render).
    font.recalcTimestamp = False
    font.flavor = "woff2"
    font.flavorData = WOFF2FlavorData(transformedTables=())
    out = HERE / f"{name}.woff2"
    partial = out.with_suffix(".partial")
    font.save(partial)
    partial.replace(out)  # atomic: a process loading the fonts meanwhile sees the old file or the new one
    print(f"{out.name}: {len(font.getBestCmap())} characters, {out.stat().st_size / 1024:.0f} KiB")
    return out


def build(folders: dict[str, Path], work: Path) -> None:
    def ttf(key: str, style: str) -> Path:
        prefix = PACKAGES[key][2]
        return folders[key] / STYLES[style] / f"{prefix}_{STYLES[style]}.ttf"

    for style in ("Regular", "Bold", "Italic"):
        save(subset_font(ttf("latin", style), LATIN), f"NotoSans-{style}")
    for style in ("Regular", "Bold"):
        save(subset_font(ttf("arabic", style), ARABIC), f"NotoSansArabic-{style}")

    han, hangul = han_set(), hangul_set()
    for style in ("Regular", "Bold"):
        parts = []
        for key, unicodes in (("sc", han | CJK_COMMON), ("kr", hangul)):
            part = work / f"{key}-{style}.ttf"
            subset_font(ttf(key, style), unicodes).save(part)
            parts.append(str(part))
        merged = Merger(options=MergeOptions(drop_tables=["vhea", "vmtx"])).merge(parts)
        source = TTFont(parts[0])["head"]  # the merger stamps the current time: keep the source's instead
        merged["head"].created, merged["head"].modified = source.created, source.modified
        save(merged, f"NotoSansCJK-{style}")

    licence = []
    for key in ("latin", "arabic", "sc"):
        text = (folders[key] / "LICENSE_FONT").read_text()
        head, _, body = text.partition("This Font Software is licensed")
        licence.append(head.strip())
    (HERE / "OFL.txt").write_text("\n".join(licence) + "\n\nThis Font Software is licensed" + body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="packages_dir", type=Path, help="folder holding the packages' .tgz files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build(fetch(args.packages_dir, work), work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
