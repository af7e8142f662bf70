"""Derived files of awards, built by workers after they are issued: baked images and certificate PDFs.

Two tasks per announcement (credentials.receivers), each for a list of awards (one award, or a bulk batch):
baked images on the default queue, PDFs on the documents queue (slower, so they never hold up issuing,
images or claim emails; see config/settings/base.py, CELERY_TASK_QUEUES). Each step is idempotent (stored
under a name hashing its inputs; an existing file is kept), so a retried or resumed task never duplicates
work, and a lost file is simply rebuilt.
"""

from .. import selectors
from . import images, pdf


def awards_bake_images(*, award_ids: list[int]) -> dict:
    """Baked PNGs (both chunks, 3.0 only, 2.0 only) of each award into storage. Returns {"awards", "stored"}."""
    awards = selectors.awards_for_artifacts(award_ids)
    return {"awards": len(awards), "stored": images.store_baked_pngs(awards)}


def awards_render_pdfs(*, award_ids: list[int]) -> dict:
    """The certificate PDF of each award into storage (rendered only when missing; none for a badge: its
    publishing mode has no certificate). Returns {"awards": how many PDFs}."""
    awards = [award for award in selectors.awards_for_artifacts(award_ids) if award.achievement.has_certificate]
    for award in awards:
        pdf.stored_certificate_pdf(award)
    return {"awards": len(awards)}
