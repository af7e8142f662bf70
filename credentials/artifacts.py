"""Derived files of an award, built by workers after it is issued: baked images and the certificate PDF.

Each step is idempotent (stored under a name hashing its inputs; an existing file is kept), so a retried or
resumed task never duplicates work, and a lost file is simply rebuilt.
"""

from . import images, pdf, selectors


def award_build_artifacts(*, award_id: int) -> dict:
    award = selectors.award_for_artifacts(award_id)
    if award is None:
        return {"award": award_id, "skipped": "missing"}
    built = {
        "png_ob3": images.stored_baked_png(award, version="ob3"),
        "png_ob2": images.stored_baked_png(award, version="ob2"),
        "pdf": pdf.stored_certificate_pdf(award),
    }
    return {"award": award_id, **built}
