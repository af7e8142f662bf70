import re

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin

import access
from multilingual.text import in_language

from . import samples, selectors, svg
from .export import framework_as_json

# The certificate preview is a staff-written template rendered as HTML, framed by the staff console: its own
# <style> and inline QR code apply, nothing runs (sandbox), and only our own pages may frame it.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "frame-ancestors 'self'; sandbox"
)
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def framework_page(request, version: int | None = None):
    """The framework in the visitor's language where its texts are translated (the original elsewhere)."""
    framework = selectors.framework_published(version=version)
    detail = selectors.framework_detail(framework=framework)
    current = framework if framework.is_current else selectors.framework_current()
    framework = in_language(framework)
    detail = selectors.FrameworkDetail(
        framework=framework,
        tiers=[in_language(tier) for tier in detail.tiers],
        categories=[in_language(category) for category in detail.categories],
        rules=[in_language(rule) for rule in detail.rules],
    )
    return render(
        request,
        "frameworks/framework.html",
        {"detail": detail, "framework": framework, "current": current, "versions": selectors.framework_versions()},
    )


def glossary_page(request, version: int | None = None):
    framework = selectors.framework_published(version=version)
    lang = (get_language() or "en")[:2]
    terms = [(term, *term.term_in(lang)) for term in selectors.glossary_terms(framework=framework)]
    return render(request, "frameworks/glossary.html", {"framework": framework, "terms": terms, "lang": lang})


def framework_json(request, version: int | None = None):
    framework = selectors.framework_published(version=version)
    detail = selectors.framework_detail(framework=framework)
    data = framework_as_json(detail, glossary=selectors.glossary_terms(framework=framework))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_control(public=True, max_age=3600)
def palette_css(request, version: int):
    """The colours of a version's tiers and categories as classes, for its page: the Content-Security-Policy
    allows no style attributes, and the colours are data. Only well-formed colours are written."""
    framework = selectors.framework_published(version=version)
    detail = selectors.framework_detail(framework=framework)
    rules = []
    for tier in detail.tiers:
        if SLUG.match(tier.code) and HEX_COLOUR.match(tier.primary) and HEX_COLOUR.match(tier.accent):
            rules.append(f".tier-{tier.code} {{ --primary: {tier.primary}; --accent: {tier.accent}; }}")
    for category in detail.categories:
        for name, colour in category.palette.items():
            if HEX_COLOUR.match(colour) and SLUG.match(category.code):
                rules.append(f".swatch-{category.code}-{name} {{ background: {colour}; }}")
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")


def _visible(request, part):
    """Published parts are public; drafts only to staff who may see the part in the console (previews)."""
    if part.framework.is_published:
        return True
    return request.user.is_staff and _may_see(request.user, part)


def _may_see(user, part) -> bool:
    """As the console decides: the part's view or change permission."""
    opts = part._meta
    names = (f"{opts.app_label}.{action}_{opts.model_name}" for action in ("view", "change"))
    return any(access.allows(user, name, obj=part) for name in names)


def sample_badge(request, pk: int):
    try:
        category = selectors.category_for_preview(pk=pk)
    except selectors.BadgeCategory.DoesNotExist as exc:
        raise Http404 from exc
    if not _visible(request, category):
        raise Http404
    response = HttpResponse(samples.sample_badge_png(category), content_type="image/png")
    if category.framework.is_published:
        patch_cache_control(response, public=True, max_age=3600)
    else:  # a draft, seen by staff only: never kept by a shared cache
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


@xframe_options_sameorigin
def sample_certificate(request, pk: int):
    try:
        tier = selectors.tier_for_preview(pk=pk)
    except selectors.CertificateTier.DoesNotExist as exc:
        raise Http404 from exc
    if not _visible(request, tier):
        raise Http404
    response = HttpResponse(samples.render_certificate_html(tier))
    response["Content-Security-Policy"] = PREVIEW_POLICY
    return response


@staff_member_required
def badge_template_source(request, pk: int):
    """The filled SVG of a category's template, for staff who may see the category (drafts included)."""
    try:
        category = selectors.category_for_preview(pk=pk)
    except selectors.BadgeCategory.DoesNotExist as exc:
        raise Http404 from exc
    if not _may_see(request.user, category):
        raise PermissionDenied
    response = HttpResponse(samples.sample_badge_svg(category), content_type="image/svg+xml")
    response["Content-Security-Policy"] = svg.SVG_POLICY
    return response
