"""Benchmark: render N distinct certificate PDFs in one process.

    .venv/bin/python benchmarks/render_pdf.py                  # 300 awards over the three tiers and a badge
    .venv/bin/python benchmarks/render_pdf.py -n 100 --fonttools-subset   # as without libharfbuzz-subset0
    .venv/bin/python benchmarks/render_pdf.py --qr-mask 0 --baseline 0     # fixed QR mask, no naive renders

Each award has its own recipient (names in Latin with diacritics, Cyrillic, Arabic, Chinese, Japanese,
Korean), public id, QR code and signed credential, so nothing is shared between PDFs but what the
renderer shares on purpose (fonts, parsed stylesheets, SVG decorations and their recorded drawing operators,
compiled templates). Times the whole
`credentials.artifacts.pdf.render_certificate_pdf(award)`: page HTML, QR code, WeasyPrint layout and PDF, with the
credential attached. Wall-clock and CPU time are both printed: the machine is shared, CPU time is the
steadier figure. The first render (fonts loaded) is reported apart; `--baseline K` renders K of the same
pages the naive way (new FontConfiguration and stylesheet per PDF) for a ratio taken in the same run.
Runs on an in-memory SQLite database with the test settings; nothing is written outside a temporary
folder.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NAMES = [
    "Amina Okonkwo-Díaz",
    "Žofie Dvořáková",
    "Łukasz Wróblewski-Gęsiński",
    "Nguyễn Thị Minh Khai",
    "Анна Сергеевна Иванова",
    "محمد عبد الله",
    "李明",
    "田中 さくら",
    "김민준",
    "Jean-Baptiste Poquelin de la Fontaine-Marchand",
]
SCRIPTS = ["Latin"] * 4 + ["Cyrillic", "Arabic", "CJK", "CJK", "CJK", "Latin"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def setup(n: int):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="laurel-bench-")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.MEDIA_ROOT = os.environ["MEDIA_ROOT"]
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    from credentials.models import Achievement
    from credentials.services import Recipient, achievement_save, award_issue, issuer_create
    from credentials.signals import award_issued
    from frameworks.services import framework_load_defaults

    award_issued.receivers = []  # no artefact tasks: this measures the renderer alone
    framework, _ = framework_load_defaults()
    issuer = issuer_create(
        slug="bench", name="International Training Centre", url="https://centre.example.org", email="b@example.org"
    )
    common = {
        "description": "Designing inclusive social protection floors, from diagnosis to costing.",
        "criteria_narrative": "Pass the final assessment.",
        "assessment_method": "Written examination and project",
        "evidence_required": "Project report",
        "level": 1,
        "alignments": [{"targetName": "policy design", "targetUrl": "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80"}],
    }
    achievements = [
        achievement_save(
            achievement=Achievement(
                issuer=issuer, tier=tier, slug=f"bench-{tier.code}", name=f"Social Protection Policy ({tier.name})",
                hours=300, ects_credits=12, **common,
            )
        )
        for tier in framework.certificatetier_set.order_by("order")
    ]  # fmt: skip
    achievements.append(
        achievement_save(
            achievement=Achievement(
                issuer=issuer, category=framework.badgecategory_set.get(code="competency"), slug="bench-badge",
                name="Negotiation Skills", hours=28, ects_credits=1, **common,
            )
        )
    )  # fmt: skip
    awards = []
    for i in range(n + 1):
        name = NAMES[i % len(NAMES)]
        awards.append(
            award_issue(
                achievement=achievements[i % len(achievements)],
                recipient=Recipient(
                    email=f"learner{i}@example.org", name=name, language="ar" if name.startswith("محمد") else ""
                ),
            )
        )
    return awards


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="distinct awards to render (default 300)")
    parser.add_argument(
        "--fonttools-subset",
        action="store_true",
        help="subset fonts with fontTools as WeasyPrint does when libharfbuzz-subset is missing",
    )
    parser.add_argument(
        "--baseline",
        type=int,
        default=20,
        metavar="K",
        help="also render the first K pages the naive way in the same run (a new FontConfiguration and "
        "stylesheet per PDF, system fonts visible, no shared image cache; default 20, 0 to skip)",
    )
    parser.add_argument("--qr-mask", type=int, choices=range(8), help="a fixed QR mask instead of the best of eight")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    awards = setup(args.n)

    import weasyprint
    import weasyprint.pdf.fonts as weasy_fonts

    from credentials.artifacts import pdf, pdf_renderer

    if args.qr_mask is not None:
        pdf.QR_MASK = args.qr_mask
    if args.fonttools_subset:
        weasy_fonts.harfbuzz_subset = None
    subsetter = "HarfBuzz (libharfbuzz-subset)" if weasy_fonts.harfbuzz_subset else "fontTools (pure Python)"

    t0 = time.perf_counter()
    first = pdf.render_certificate_pdf(awards[0])
    cold = time.perf_counter() - t0

    wall, cpu, sizes, by_template, by_script = [], [], [], {}, {}
    for award in awards[1:]:
        w, c = time.perf_counter(), time.process_time()
        data = pdf.render_certificate_pdf(award)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
        sizes.append(len(data))
        owner = pdf._template_owner(award.achievement)
        by_template.setdefault(owner.code if award.achievement.tier_id else "badge", []).append(wall[-1])
        by_script.setdefault(SCRIPTS[NAMES.index(award.recipient_name)], []).append(cpu[-1])

    baseline = []
    if args.baseline:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        for award in awards[1 : args.baseline + 1]:
            html = pdf.certificate_html(award)
            c = time.process_time()
            fonts = FontConfiguration()
            HTML(string=html, url_fetcher=pdf_renderer._url_fetcher).write_pdf(
                stylesheets=[
                    CSS(string=pdf_renderer.font_face_css(), font_config=fonts, url_fetcher=pdf_renderer._url_fetcher)
                ],
                font_config=fonts,
            )
            baseline.append(time.process_time() - c)

    # cache hits: the request path when the PDF is stored already
    for award in awards[1:21]:
        pdf.stored_certificate_pdf(award)
    hits = []
    for award in awards[1:21]:
        t = time.perf_counter()
        pdf.stored_certificate_pdf(award)
        hits.append(time.perf_counter() - t)

    n = len(wall)
    mask = "best of 8" if pdf.QR_MASK is None else f"fixed {pdf.QR_MASK}"
    print(f"rendered {n} distinct certificate PDFs (WeasyPrint {weasyprint.__version__}, subsetting: {subsetter}, "
          f"QR mask: {mask}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")  # fmt: skip
    print(f"  wall per PDF:  median {ms(statistics.median(wall))}, p95 {ms(percentile(wall, 0.95))}, "
          f"mean {ms(statistics.fmean(wall))}")  # fmt: skip
    print(f"  CPU per PDF:   median {ms(statistics.median(cpu))}, p95 {ms(percentile(cpu, 0.95))}")
    for code, values in by_template.items():
        print(f"    {code:<14} median {ms(statistics.median(values))} ({len(values)} PDFs)")
    print("  CPU by script: " + ", ".join(f"{k} {ms(statistics.median(v))}" for k, v in by_script.items()))
    print(f"  PDF size:      median {statistics.median(sizes) / 1024:.0f} KiB, max {max(sizes) / 1024:.0f} KiB")
    print(f"  first render (loads fonts): {ms(cold)}; {len(first) / 1024:.0f} KiB")
    if baseline:
        k, naive = len(baseline), statistics.median(baseline)
        ratio = naive / statistics.median(cpu[:k])
        print(f"  baseline, same pages rendered naively: CPU median {ms(naive)} ({k} PDFs; {ratio:.1f}x slower)")
    print(f"  cached (stored_certificate_pdf, PDF already stored): median {ms(statistics.median(hits))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
