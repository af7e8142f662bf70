from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin

from . import samples, selectors
from .export import framework_as_json


def framework_page(request, version: int | None = None):
    framework = selectors.framework_published(version=version)
    detail = selectors.framework_detail(framework=framework)
    current = framework if framework.is_current else selectors.framework_current()
    return render(
        request,
        "frameworks/framework.html",
        {"detail": detail, "framework": framework, "current": current, "versions": selectors.framework_versions()},
    )


def glossary_page(request, version: int | None = None):
    framework = selectors.framework_published(version=version)
    lang = (get_language() or "en")[:2]
    terms = [(term, *term.in_language(lang)) for term in selectors.glossary_terms(framework=framework)]
    return render(request, "frameworks/glossary.html", {"framework": framework, "terms": terms, "lang": lang})


def framework_json(request, version: int | None = None):
    framework = selectors.framework_published(version=version)
    detail = selectors.framework_detail(framework=framework)
    data = framework_as_json(detail, glossary=selectors.glossary_terms(framework=framework))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _visible(request, part):
    """Published parts are public; drafts only to staff (admin previews)."""
    if part.framework.is_published:
        return True
    return request.user.is_active and request.user.is_staff


@cache_control(public=True, max_age=3600)
def sample_badge(request, pk: int):
    try:
        category = selectors.category_for_preview(pk=pk)
    except selectors.BadgeCategory.DoesNotExist as exc:
        raise Http404 from exc
    if not _visible(request, category):
        raise Http404
    return HttpResponse(samples.sample_badge_png(category), content_type="image/png")


@xframe_options_sameorigin
def sample_certificate(request, pk: int):
    try:
        tier = selectors.tier_for_preview(pk=pk)
    except selectors.CertificateTier.DoesNotExist as exc:
        raise Http404 from exc
    if not _visible(request, tier):
        raise Http404
    return HttpResponse(samples.render_certificate_html(tier))


@staff_member_required
def badge_template_source(request, pk: int):
    category = selectors.category_for_preview(pk=pk)
    return HttpResponse(samples.sample_badge_svg(category), content_type="image/svg+xml")
