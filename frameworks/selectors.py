"""Reads of the framework for pages, the JSON export and other apps."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from .models import BadgeCategory, CertificateTier, Framework, GlossaryTerm, StackingRule


def framework_current() -> Framework | None:
    return Framework.objects.filter(is_current=True).first()


def framework_published(*, version: int | None = None) -> Framework:
    """The current framework, or a published version; Http404 when there is none."""
    qs = Framework.objects.filter(status=Framework.Status.PUBLISHED)
    framework = qs.filter(version=version).first() if version else qs.filter(is_current=True).first()
    if framework is None:
        raise Http404("No published framework")
    return framework


@dataclass
class FrameworkDetail:
    framework: Framework
    tiers: list[CertificateTier]
    categories: list[BadgeCategory]
    rules: list[StackingRule]


def framework_detail(*, framework: Framework) -> FrameworkDetail:
    """Everything the framework page and JSON show, in a fixed number of queries."""
    rules = (
        StackingRule.objects.filter(framework=framework)
        .select_related("result_tier", "result_category")
        .prefetch_related(
            Prefetch("allowed_categories", queryset=BadgeCategory.objects.only("id", "code", "name", "translations")),
            Prefetch("allowed_tiers", queryset=CertificateTier.objects.only("id", "code", "name", "translations")),
        )
    )
    return FrameworkDetail(
        framework=framework,
        tiers=list(CertificateTier.objects.filter(framework=framework)),
        categories=list(BadgeCategory.objects.filter(framework=framework)),
        rules=list(rules),
    )


def glossary_terms(*, framework: Framework) -> list[GlossaryTerm]:
    return list(GlossaryTerm.objects.filter(framework=framework).order_by("term"))


def framework_versions() -> list[Framework]:
    return list(Framework.objects.filter(status=Framework.Status.PUBLISHED).order_by("-version"))


def category_for_preview(*, pk: int) -> BadgeCategory:
    return BadgeCategory.objects.select_related("framework").get(pk=pk)


def tier_for_preview(*, pk: int) -> CertificateTier:
    return CertificateTier.objects.select_related("framework").get(pk=pk)


def categories_by_code(*, framework: Framework) -> dict[str, BadgeCategory]:
    return {category.code: category for category in BadgeCategory.objects.filter(framework=framework)}
