"""The machine-readable framework (/framework.json)."""

from django.conf import settings
from django.urls import reverse

from .requirements import REQUIREMENTS
from .selectors import FrameworkDetail


def _url(path: str) -> str:
    return settings.BASE_URL + path


def _decimal(value):
    return None if value is None else float(value)


def framework_as_json(detail: FrameworkDetail, *, glossary) -> dict:
    framework = detail.framework
    return {
        "id": _url(reverse("frameworks:version_json", kwargs={"version": framework.version})),
        "type": "CredentialFramework",
        "title": framework.title,
        "version": framework.version,
        "status": framework.status,
        "current": framework.is_current,
        "publishedAt": framework.published_at.isoformat() if framework.published_at else None,
        "summary": framework.summary,
        "description": framework.description,
        "translations": framework.translations,
        "page": _url(framework.get_absolute_url()),
        "certificateTiers": [
            {
                "code": tier.code,
                "name": tier.name,
                "description": tier.description,
                "achievementType": tier.achievement_type,
                "requirements": {
                    "minAttendancePercent": tier.min_attendance_percent,
                    "summativeAssessmentRequired": tier.summative_assessment_required,
                    "eqfLevel": tier.eqf_level_policy,
                    "minHours": _decimal(tier.min_hours),
                    "minEctsCredits": _decimal(tier.min_ects),
                    "courses": tier.min_courses,
                },
                "translations": tier.translations,
                "palette": tier.palette,
                "sampleCertificate": _url(reverse("frameworks:sample_certificate", kwargs={"pk": tier.pk})),
            }
            for tier in detail.tiers
        ],
        "badgeCategories": [
            {
                "code": category.code,
                "name": category.name,
                "description": category.description,
                "purpose": category.purpose,
                "translations": category.translations,
                "achievementType": category.achievement_type,
                "contentRequirements": [
                    {"name": name, "label": str(REQUIREMENTS[name].label)} for name in category.required_fields
                ],
                "recipients": category.recipient_kinds,
                "visual": {
                    "shape": category.shape,
                    "palette": category.palette,
                    "icon": category.icon,
                    "levelMarker": category.level_marker,
                    "maxLevel": category.max_level,
                },
                "sampleImage": _url(reverse("frameworks:sample_badge", kwargs={"pk": category.pk})),
            }
            for category in detail.categories
        ],
        "stackingRules": [
            {
                "slug": rule.slug,
                "name": rule.name,
                "description": rule.description,
                "translations": rule.translations,
                "earns": (
                    {"tier": rule.result_tier.code} if rule.result_tier else {"category": rule.result_category.code}
                ),
                "earnsAchievement": rule.result_achievement or None,
                "mode": rule.mode,
                "requiredCount": rule.required_count if rule.mode == "n_of" else len(rule.components),
                "achievements": rule.components,
                "categories": [c.code for c in rule.allowed_categories.all()],
                "tiers": [t.code for t in rule.allowed_tiers.all()],
                "minLevel": rule.min_level,
                "onComplete": rule.on_complete,
            }
            for rule in detail.rules
        ],
        "glossary": [
            {
                "term": term.term,
                "definition": term.definition,
                "alignedTerm": term.international_term,
                "source": term.source,
                "sourceUrl": term.source_url,
                "translations": term.translations,
            }
            for term in glossary
        ],
    }
