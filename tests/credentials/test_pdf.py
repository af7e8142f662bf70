"""Certificate PDFs: text, QR code, fonts for every script, the attached credential, metadata and the cache.

The renderer sees only the fonts shipped in credentials/artifacts/fonts (its Fontconfig configuration has no system
font), so these tests pass or fail the same way on a machine with every Noto font installed and on a fresh
one. QR decoding renders the page with pypdfium2 and reads it with zxing-cpp (both from PyPI).
"""

import io
import json
import logging
import os
import re

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from credentials.artifacts import pdf, pdf_renderer, shims
from credentials.services import Recipient, award_issue, award_reissue, award_revoke
from tests.credentials.conftest import make_achievement

IN_CI = os.environ.get("CI") == "true"

NAMES = {
    "latin-diacritics": "Žofie Dvořáková-Łęcka",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "cyrillic": "Анна Сергеевна Иванова",
    "arabic": "محمد عبد الله",
    "chinese": "李明",
    "japanese": "田中 さくら",
    "korean": "김민준",
}
FAMILY = {  # the BaseFont (WeasyPrint writes the @font-face family) that must draw each name
    "latin-diacritics": "Noto-Sans",
    "vietnamese": "Noto-Sans",
    "cyrillic": "Noto-Sans",
    "arabic": "Noto-Sans-Arabic",
    "chinese": "Noto-Sans-CJK-SC",
    "japanese": "Noto-Sans-CJK-SC",
    "korean": "Noto-Sans-CJK-SC",
}
SHIPPED = {family.replace(" ", "-") for family, *_ in pdf_renderer.FONT_FACES}


def need(module: str):
    """Test tools from PyPI (the `test` extra): required under CI, skipped with a reason elsewhere."""
    if IN_CI:
        return __import__(module)
    return pytest.importorskip(module, reason=f"{module} is in the test extra: pip install -e '.[test]'")


def reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _cmap(font) -> dict[int, str]:
    """The ToUnicode map of a Type0 font: glyph id -> text."""
    text = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for gid, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[int(gid, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for start, end, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = int(uni, 16)
            for offset, gid in enumerate(range(int(start, 16), int(end, 16) + 1)):
                mapping[gid] = chr(first + offset)
    return mapping


def drawn_glyphs(data: bytes) -> dict[str, dict]:
    """For each font on the page: its BaseFont name (without subset tag), the glyph ids drawn, its ToUnicode."""
    doc = reader(data)
    page = doc.pages[0]
    resources = page["/Resources"]["/Font"]
    fonts = {}
    for key, ref in resources.items():
        font = ref.get_object()
        base = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
        fonts[key] = {"base": base, "gids": set(), "cmap": _cmap(font)}
    current = None
    for operands, operator in ContentStream(page.get_contents(), doc).operations:
        if operator == b"Tf":
            current = fonts[str(operands[0])]
        elif operator in (b"TJ", b"Tj", b"'", b'"'):
            strings = operands[0] if operator == b"TJ" else operands[-1:]
            for item in strings:
                if isinstance(item, bytes | str):  # pypdf decodes hex strings: take the bytes back
                    raw = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                    current["gids"].update(int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2))
    return fonts


@pytest.fixture
def tiers(default_framework):
    return {tier.code: tier for tier in default_framework.certificatetier_set.all()}


@pytest.fixture
def certificate(issuer, tiers):
    """A Certificate of Achievement (tier 2), with hours and ECTS credits."""
    return make_achievement(
        issuer, None, tier=tiers["achievement"], slug="policy-design", name="Social Protection Policy Design",
        hours=300, ects_credits=12,
    )  # fmt: skip


def issue(achievement, name, **kwargs):
    return award_issue(achievement=achievement, recipient=Recipient(email="learner@example.org", name=name, **kwargs))


# --- What is on the page ----------------------------------------------------------------------------


def test_text_is_extractable(award):
    data = pdf.render_certificate_pdf(award)
    text = reader(data).pages[0].extract_text()
    verify_url = pdf.certificate_values(award)["verify_url"]
    assert award.recipient_name in text
    assert award.achievement.name in text
    assert "Test Centre".upper() in text
    assert verify_url in text.replace("\n", "")
    assert "55" in text and "2" in text  # hours and ECTS credits
    assert len(reader(data).pages) == 1
    width, height = (float(v) for v in reader(data).pages[0].mediabox[2:])
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (297, 210)  # A4 landscape


def test_qr_code_decodes_to_the_verification_url(certificate):
    pdfium, zxingcpp = need("pypdfium2"), need("zxingcpp")
    award = issue(certificate, "Amina Okonkwo-Díaz")
    data = pdf.render_certificate_pdf(award)
    image = pdfium.PdfDocument(data)[0].render(scale=150 / 72).to_pil()
    barcodes = zxingcpp.read_barcodes(image)
    found = [barcode.text for barcode in barcodes if barcode.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [pdf.certificate_values(award)["verify_url"]]
    assert found[0].startswith("http") and award.public_id in found[0]


@pytest.mark.parametrize("script", NAMES)
def test_names_in_every_script_are_drawn_with_shipped_fonts(certificate, script):
    name = NAMES[script]
    award = issue(certificate, name)
    assert pdf_renderer.uncovered_characters(name) == ""
    fonts = drawn_glyphs(pdf.render_certificate_pdf(award))
    used = [font for font in fonts.values() if font["gids"]]
    # only the shipped families, none from the system (the renderer cannot see system fonts)
    assert {re.sub(r"-(Bold|Italic)$", "", font["base"]) for font in used} <= SHIPPED
    # no glyph falls back to .notdef (glyph 0, the empty box)
    assert all(0 not in font["gids"] for font in used), {font["base"]: sorted(font["gids"])[:5] for font in used}
    # the name is drawn in its script's font (bold), and every one of its characters maps back to a glyph
    family = FAMILY[script]
    drawing = [font for font in used if font["base"] in (family, f"{family}-Bold")]
    assert drawing, f"{name} not drawn with {family}: {[font['base'] for font in used]}"
    mapped = "".join(font["cmap"].get(gid, "") for font in drawing for gid in font["gids"])
    assert set(name.replace(" ", "")) <= set(mapped), set(name.replace(" ", "")) - set(mapped)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_arabic_names_are_shaped_in_arabic_and_english_certificates(certificate, language):
    name = NAMES["arabic"]
    award = issue(certificate, name, language=language)
    html = pdf.certificate_html(award)
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html
    data = pdf.render_certificate_pdf(award)
    assert name in reader(data).pages[0].extract_text()
    bold = next(font for font in drawn_glyphs(data).values() if font["base"] == "Noto-Sans-Arabic-Bold")
    # Shaping replaces letters by their joined (initial, medial, final) forms: glyphs that the cmap of the
    # font does not give for any character. Unshaped text would only use the nominal glyphs.
    font = TTFont(pdf_renderer.FONTS_DIR / "NotoSansArabic-Bold.woff2")
    nominal = {font.getGlyphID(glyph) for glyph in font.getBestCmap().values()}
    assert bold["gids"] - nominal, "the Arabic name was drawn with isolated letters only"


def test_characters_no_shipped_font_draws_are_reported(certificate, caplog):
    assert pdf_renderer.uncovered_characters("Somchai สมชาย") == "".join(sorted(set("สมชาย")))
    award = issue(certificate, "Somchai สมชาย")
    with caplog.at_level(logging.WARNING, logger="credentials.artifacts.pdf"):
        pdf.render_certificate_pdf(award)
    assert any("สมชาย"[0] in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("code", ["participation", "achievement", "diploma"])
def test_every_tier_fits_one_page_with_long_texts(issuer, tiers, code):
    achievement = make_achievement(
        issuer, None, tier=tiers[code], slug=f"long-{code}", hours=300, ects_credits=12,
        name="Advanced Certificate in the Design, Costing and Evaluation of Inclusive Social Protection Systems",
        description="A long description. " * 30,
    )  # fmt: skip
    award = issue(achievement, "Maria Fernanda de los Ángeles Rodríguez-Villanueva y Castellanos-Ortega")
    data = pdf.render_certificate_pdf(award)
    doc = reader(data)
    assert len(doc.pages) == 1
    assert "Rodríguez-Villanueva" in doc.pages[0].extract_text()


def test_templates_cannot_fetch_anything_but_data_urls_and_the_fonts():
    for url in ("file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "https://example.org/logo.png"):
        with pytest.raises(ValueError):
            pdf_renderer._url_fetcher(url)
    assert pdf_renderer._url_fetcher("data:text/plain,hello")["mime_type"] == "text/plain"
    font = pdf_renderer._url_fetcher((pdf_renderer.FONTS_DIR / "NotoSans-Regular.woff2").as_uri())
    assert font is not None


def test_fonts_ship_with_their_licence():
    assert "SIL Open Font License" in (pdf_renderer.FONTS_DIR / "OFL.txt").read_text()
    for _family, _weight, _style, filename in pdf_renderer.FONT_FACES:
        assert (pdf_renderer.FONTS_DIR / filename).stat().st_size > 10_000


# --- The PDF carries its own proof and metadata -------------------------------------------------------


def test_signed_credential_is_attached(award):
    doc = reader(pdf.render_certificate_pdf(award))
    attachments = doc.attachments
    assert list(attachments) == [pdf.ATTACHMENT_NAME]
    (content,) = attachments[pdf.ATTACHMENT_NAME]
    credential = json.loads(content)
    assert credential == award.credential
    assert credential["proof"][0]["type"] == "DataIntegrityProof"


def test_metadata(award):
    doc = reader(pdf.render_certificate_pdf(award))
    meta = doc.metadata
    assert meta.title == f"{award.achievement.name} · {award.recipient_name}"
    assert meta.author == award.achievement.issuer.name == "Test Centre"
    assert meta.subject == award.achievement.name
    assert meta.creator == "Laurel"
    assert award.public_id in meta["/Keywords"]
    assert meta.creation_date.date() == award.issued_at.date()
    assert doc.trailer["/Root"]["/Lang"] == "en"


def test_same_inputs_give_the_same_bytes(award):
    assert pdf.render_certificate_pdf(award) == pdf.render_certificate_pdf(award)


# --- Cache --------------------------------------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch):
    calls = []
    real = pdf._render

    def counting(award, html):
        calls.append(award.public_id)
        return real(award, html)

    monkeypatch.setattr(pdf, "_render", counting)
    return calls


def test_cache_renders_once_and_again_after_a_reissue(award, renders):
    first = pdf.stored_certificate_pdf(award)
    assert pdf.stored_certificate_pdf(award) == first
    assert renders == [award.public_id]

    corrected = award_reissue(award=award, reason="Name misspelt", name="Amina Okonkwo-Díaz")
    path = pdf.stored_certificate_pdf(corrected)
    assert path != first and renders == [award.public_id, corrected.public_id]
    text = reader(pdf.certificate_pdf_file(corrected).read()).pages[0].extract_text()
    assert "Amina Okonkwo-Díaz" in text
    assert len(renders) == 2


def test_accepting_keeps_the_pdf_revoking_gives_a_marked_one_cached_apart(award, renders):
    from credentials.models import Award
    from credentials.services import award_accept

    first = pdf.stored_certificate_pdf(award)
    award_accept(award=award)
    accepted = Award.objects.get(pk=award.pk)
    assert pdf.stored_certificate_pdf(accepted) == first and renders == [award.public_id]
    award_revoke(award=accepted, reason="Issued by mistake")
    revoked = Award.objects.get(pk=award.pk)
    marked = pdf.stored_certificate_pdf(revoked)
    assert marked != first and renders == [award.public_id, award.public_id]
    assert pdf.stored_certificate_pdf(revoked) == marked and len(renders) == 2  # cached under its own key


def test_a_missing_file_is_rendered_again(award, renders):
    from django.core.files.storage import default_storage

    path = pdf.stored_certificate_pdf(award)
    default_storage.delete(path)
    assert pdf.stored_certificate_pdf(award) == path
    assert len(renders) == 2


def test_a_run_racing_another_on_the_same_award_leaves_one_pdf(award, renders, monkeypatch):
    """A redelivered task renders an award while its first delivery is still rendering it: both found no
    file, both save. One file must remain, under the deterministic name, and both runs return that name."""
    from django.core.files.storage import default_storage

    render = pdf._render  # the counting wrapper of `renders`
    other_run = []

    def render_while_another_run_stores(award, html):
        if not other_run:
            other_run.append("started")
            other_run.append(pdf.stored_certificate_pdf(award))  # checks, renders and stores first
        return render(award, html)

    monkeypatch.setattr(pdf, "_render", render_while_another_run_stores)
    path = pdf.stored_certificate_pdf(award)
    assert other_run == ["started", path] and len(renders) == 2  # both rendered: the race happened
    assert default_storage.listdir("certificates")[1] == [path.removeprefix("certificates/")]


def test_concurrent_stores_of_one_path_leave_one_file():
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.core.files.storage import default_storage

    from credentials.artifacts.storing import store_once

    start = Barrier(4)

    def store(content: bytes) -> str:
        start.wait()
        return store_once("certificates/same-name.pdf", content)

    with ThreadPoolExecutor(4) as pool:
        paths = list(pool.map(store, [b"%PDF-1 same"] * 4))
    assert paths == ["certificates/same-name.pdf"] * 4
    assert default_storage.listdir("certificates")[1] == ["same-name.pdf"]
    assert store_once("certificates/same-name.pdf", b"%PDF-1 same") == "certificates/same-name.pdf"  # again
    assert default_storage.listdir("certificates")[1] == ["same-name.pdf"]
    with default_storage.open("certificates/same-name.pdf", "rb") as handle:
        assert handle.read() == b"%PDF-1 same"


def test_template_change_invalidates(award, renders):
    first = pdf.stored_certificate_pdf(award)
    owner = pdf._template_owner(award.achievement)
    owner.html_template = owner.html_template.replace("</body>", "<p>Footnote</p></body>")
    owner.save()  # badges take their framework's first tier template, read afresh on each call
    assert pdf.stored_certificate_pdf(award) != first
    assert len(renders) == 2


def test_view_serves_the_cached_pdf(client, certificate, renders):
    award = issue(certificate, "Amina Okonkwo")
    url = f"/c/{award.public_id}/certificate.pdf"
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF-")
    second = client.get(url + "?download=1")
    assert b"".join(second.streaming_content) == body
    assert "attachment" in second["Content-Disposition"]
    assert renders == [award.public_id]


@pytest.mark.parametrize("code", ["participation", "achievement", "diploma"])
def test_signatories_are_printed(issuer, tiers, code):
    achievement = make_achievement(issuer, None, tier=tiers[code], slug=f"signed-{code}", hours=300, ects_credits=12)
    # No model field holds signatories yet: the renderer reads `signatories` from the achievement or issuer.
    achievement.issuer.signatories = [
        {"name": "Maria Rossi", "title": "Director of Training"},
        {"name": "Олег Петренко", "title": "Programme Manager"},
    ]
    award = issue(achievement, "Amina Okonkwo")
    award.achievement = achievement
    text = reader(pdf.render_certificate_pdf(award)).pages[0].extract_text()
    assert "Maria Rossi" in text and "Director of Training" in text and "Олег Петренко" in text


# --- Speed-ups that must not change a byte ------------------------------------------------------------


def _plain_svg_draws(monkeypatch):
    monkeypatch.setattr(pdf_renderer._RecordedSVG, "draw", lambda self, *args: self.image.draw(*args))


def _decorations(marker: str) -> list:
    return [image for url, image in pdf_renderer.renderer().images.items() if marker in url]


@pytest.mark.parametrize("code", ["participation", "achievement", "diploma"])
def test_svg_decorations_are_drawn_once_then_replayed(issuer, tiers, code, monkeypatch):
    achievement = make_achievement(issuer, None, tier=tiers[code], slug=f"replay-{code}", hours=300, ects_credits=12)
    awards = [issue(achievement, name) for name in ("Amina Okonkwo-Díaz", "محمد عبد الله", "李明")]
    replayed = [pdf.render_certificate_pdf(award) for award in awards * 2]  # first draws recorded, then replayed
    assert any(drawing for image in _decorations("svg") for drawing in image.drawings.values())
    with monkeypatch.context() as patch:
        _plain_svg_draws(patch)
        drawn = [pdf.render_certificate_pdf(award) for award in awards * 2]
    assert replayed == drawn


@pytest.mark.parametrize(
    "decoration",
    [
        "<text x='20' y='20' font-family='Noto Sans' font-size='8'>Laurel</text>",  # a font
        "<defs><linearGradient id='g'><stop offset='0' stop-color='red'/><stop offset='1' stop-color='blue'/>"
        "</linearGradient></defs><rect width='40' height='10' fill='url(#g)'/>",  # a shading
        "<g opacity='0.5'><rect width='40' height='10' fill='red'/><rect width='10' height='40' fill='blue'/></g>",
    ],
)
def test_svg_decorations_that_need_more_than_operators_are_always_drawn(certificate, decoration, monkeypatch):
    from urllib.parse import quote

    marker = f"laurel-test-{abs(hash(decoration))}"
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' width='60mm' height='60mm' id='{marker}'>{decoration}</svg>"
    tier = certificate.tier
    tier.html_template = tier.html_template.replace(
        "</style>", f'.tier {{ background: url("data:image/svg+xml,{quote(svg)}") no-repeat }}</style>'
    )
    tier.save()
    awards = [issue(certificate, name) for name in ("Amina Okonkwo-Díaz", "Анна Сергеевна Иванова")]
    replayed = [pdf.render_certificate_pdf(award) for award in awards * 2]
    (image,) = _decorations(marker)
    assert list(image.drawings.values()) == [None]
    with monkeypatch.context() as patch:
        _plain_svg_draws(patch)
        assert [pdf.render_certificate_pdf(award) for award in awards * 2] == replayed


def test_shims_behave_as_the_code_they_replace():
    import tinyhtml5.inputstream
    import weasyprint.pdf.fonts
    from weasyprint.text.ffi import ffi

    pdf_renderer.renderer()
    if isinstance(weasyprint.pdf.fonts.ffi, shims.SizedArraysAsOpen):
        array = weasyprint.pdf.fonts.ffi.new("hb_codepoint_t[3]", (7, 8, 9))
        assert ffi.typeof(array) is ffi.typeof("hb_codepoint_t[]") and list(array) == [7, 8, 9]
    regexes = tinyhtml5.inputstream.characters_until_regex
    if isinstance(regexes, shims.UntilRegexes):
        for key in ((frozenset("<&\0"), False), (frozenset(" \t\n>"), True)):
            pattern = regexes[key].pattern
            assert pattern.startswith("[^" if not key[1] else "[") and pattern.endswith("]+")
            assert {chr(int(code, 16)) for code in re.findall(r"\\x([0-9a-f]{2})", pattern)} == key[0]
