"""Decompression bombs: an image's pixel size is read from its header and checked before anything decodes
it, at every door (evidence upload, badge import, /verify/, the issuer logo in the console); the process's
memory stays flat. A 6300 × 6300 PNG of one colour is 115 KB on disk and cost 450 MB to re-encode; inside
an SVG, rasterising it cost 160 MB."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from credentials import imagelimits
from credentials.openbadges import bake_png, bake_svg
from tests.support.images import bomb_png, peak_memory, svg_embedding
from wallets.models import ExternalCredential, RecipientEvidence

from .conftest import png_bytes
from .test_import import third_party_credential

pytestmark = pytest.mark.django_db

MAX_PEAK_MB = 50  # refusing must not decode: the old code rose by 450 MB


def test_the_header_gives_the_size_without_decoding():
    assert imagelimits.dimensions(bomb_png()) == (6300, 6300)
    assert imagelimits.dimensions(png_bytes((40, 30))) == (40, 30)
    assert imagelimits.dimensions(png_bytes((40, 30), exif_gps=True)) == (40, 30)  # JPEG, after its EXIF
    assert imagelimits.dimensions(b"%PDF-1.4") is None
    with pytest.raises(imagelimits.ImageTooLarge, match=r"6300 × 6300 pixels \(39.7 megapixels\)"):
        imagelimits.check_pixels(bomb_png(), limit=imagelimits.EVIDENCE_MAX_PIXELS)


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header announces another size."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def test_pillow_refuses_beyond_the_backstop_even_where_nobody_checked():
    assert Image.MAX_IMAGE_PIXELS == imagelimits.BACKSTOP_MAX_PIXELS
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(_jpeg_claiming(60000, 60000)))


def _evidence(client, award, data: bytes, name="photo.png"):
    fields = {"kind": "file", "title": "", "narrative": "", "url": "", "is_public": "on"}
    return client.post(
        f"/wallet/c/{award.public_id}/evidence/", {**fields, "file": SimpleUploadedFile(name, data, "image/png")}
    )


def test_evidence_bomb_is_refused_undecoded(learner_client, award):
    data = bomb_png()
    with peak_memory() as peak:
        response = _evidence(learner_client, award, data)
    body = response.content.decode()
    assert response.status_code == 400 and "6300 × 6300 pixels" in body and "limit here is 16 megapixels" in body
    assert peak["mb"] < MAX_PEAK_MB, peak
    assert not RecipientEvidence.objects.exists()


def test_evidence_jpeg_announcing_too_many_pixels_is_refused(learner_client, award):
    response = _evidence(learner_client, award, _jpeg_claiming(5000, 4000), name="photo.jpg")
    assert response.status_code == 400 and "5000 × 4000 pixels" in response.content.decode()


def test_evidence_photo_within_the_limit_is_accepted(learner_client, award):
    assert _evidence(learner_client, award, png_bytes((4000, 3000))).status_code == 302
    assert RecipientEvidence.objects.count() == 1


def test_import_of_a_baked_bomb_is_refused_undecoded(learner_client):
    baked = bake_png(bomb_png(), third_party_credential(), version="3.0")
    with peak_memory() as peak:
        response = learner_client.post("/wallet/import/", {"file": SimpleUploadedFile("badge.png", baked)})
    body = response.content.decode()
    assert response.status_code == 400 and "6300 × 6300 pixels" in body and "limit here is 4 megapixels" in body
    assert peak["mb"] < MAX_PEAK_MB, peak
    assert not ExternalCredential.objects.exists()


def test_import_of_a_normal_baked_badge_still_works(learner_client):
    baked = bake_png(png_bytes((600, 600)), third_party_credential(), version="3.0")
    response = learner_client.post("/wallet/import/", {"file": SimpleUploadedFile("badge.png", baked)})
    assert response.status_code == 302 and ExternalCredential.objects.get().image


def test_import_of_a_baked_svg_embedding_a_bomb_is_refused_undecoded(learner_client):
    baked = bake_svg(svg_embedding(bomb_png()), third_party_credential(), version="3.0")
    with peak_memory() as peak:
        response = learner_client.post("/wallet/import/", {"file": SimpleUploadedFile("badge.svg", baked.encode())})
    assert response.status_code == 400 and "6300 × 6300 pixels" in response.content.decode()
    assert peak["mb"] < MAX_PEAK_MB, peak
    assert not ExternalCredential.objects.exists()


def test_images_inside_an_svg_count_together():
    svg = svg_embedding(png_bytes((1500, 1500))) + svg_embedding(png_bytes((1500, 1500)))
    imagelimits.check_svg_images(svg_embedding(png_bytes((1500, 1500))), limit=imagelimits.BADGE_MAX_PIXELS)
    with pytest.raises(imagelimits.ImageTooLarge, match="add up to 4.5 megapixels"):
        imagelimits.check_svg_images(svg, limit=imagelimits.BADGE_MAX_PIXELS)


@pytest.mark.parametrize("kind", ["png", "svg"])
@pytest.mark.parametrize("door", ["page", "api"])
def test_verify_refuses_a_baked_bomb_undecoded(client, door, kind):
    if kind == "png":
        baked = bake_png(bomb_png(), third_party_credential(), version="3.0")
    else:
        baked = bake_svg(svg_embedding(bomb_png()), third_party_credential(), version="3.0").encode()
    with peak_memory() as peak:
        if door == "page":
            response = client.post("/verify/", {"file": SimpleUploadedFile(f"badge.{kind}", baked)})
            body = response.content.decode()
        else:
            response = client.post("/api/verify", baked, content_type="application/octet-stream")
            body = response.json()["problem"]
    assert response.status_code == 400 and "6300 × 6300 pixels" in body
    assert peak["mb"] < MAX_PEAK_MB, peak


# --- the issuer's logo, in the staff console -----------------------------------------------------------


def _logo_form(client, issuer, logo: bytes, name="logo.png"):
    url = f"/admin/credentials/issuer/{issuer.pk}/change/"
    page = client.get(url)
    data = {
        "slug": issuer.slug,
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description,
        "linkedin_organization_id": "",
        "image": SimpleUploadedFile(name, logo, "image/png"),
    }
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
        for i, form in enumerate(formset.forms):
            data[f"{formset.prefix}-{i}-id"] = form.instance.pk or ""
            data[f"{formset.prefix}-{i}-issuer"] = issuer.pk
    return client.post(url, data)


def test_issuer_logo_bomb_is_refused_in_the_console(staff_client, issuer):
    with peak_memory() as peak:
        response = _logo_form(staff_client, issuer, bomb_png())
    assert response.status_code == 200 and "6300 × 6300 pixels" in response.content.decode()
    assert peak["mb"] < MAX_PEAK_MB, peak
    issuer.refresh_from_db()
    assert not issuer.image


def test_issuer_logo_must_be_an_image_by_its_content(staff_client, issuer):
    response = _logo_form(staff_client, issuer, b"<svg onload='alert(1)'/>", name="logo.png")
    assert response.status_code == 200 and "must be a PNG or JPEG image" in response.content.decode()
    issuer.refresh_from_db()
    assert not issuer.image


def test_issuer_logo_within_the_limit_is_saved(staff_client, issuer):
    response = _logo_form(staff_client, issuer, png_bytes((512, 512)))
    assert response.status_code == 302, response.content.decode()[:2000]
    issuer.refresh_from_db()
    assert issuer.image and staff_client.get(f"/issuers/{issuer.slug}/logo").status_code == 200


def test_the_logo_service_refuses_a_bomb_too(issuer):
    from django.core.exceptions import ValidationError

    from credentials.services import issuer_update

    issuer.image = SimpleUploadedFile("logo.png", bomb_png(), "image/png")
    with pytest.raises(ValidationError) as caught:
        issuer_update(issuer=issuer)
    assert "6300 × 6300 pixels" in " ".join(caught.value.message_dict["image"])
