"""Every write to the framework: permission-checked, atomic, audited.

Permissions (`access.require`, first thing) are the models' own: `frameworks.add_framework` to create a
version (or a new one from another), `frameworks.change_framework` to edit a draft's fields and to publish
it, and add/change/delete of the part's model (`frameworks.change_badgecategory`, …) for its parts.
actor=None is the system (`load_default_framework`, tests).
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record

from . import stacking
from .models import BadgeCategory, CertificateTier, Framework, GlossaryTerm, StackingRule

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
# A laurel-like rosette (24×24) for certificate seals.
SEAL_ICON = (
    "M12 2l2.4 4.9 5.4.8-3.9 3.8.9 5.4L12 14.4 7.2 16.9l.9-5.4L4.2 7.7l5.4-.8z"
    "M5 18c2 1.8 4.4 3 7 3s5-1.2 7-3l-1-1.2c-1.7 1.5-3.7 2.4-6 2.4s-4.3-.9-6-2.4z"
)


def _next_version() -> int:
    return (Framework.objects.aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def framework_create(
    *, title: str, summary: str = "", description: str = "", translations: dict | None = None, actor=None
) -> Framework:
    access.require(actor, "frameworks.add_framework")
    framework = Framework(
        version=_next_version(),
        title=title,
        summary=summary,
        description=description,
        translations=translations or {},
    )
    framework.full_clean()
    framework.save()
    audit_record(action="framework.create", subject=framework, actor=actor, data={"version": framework.version})
    return framework


@transaction.atomic
def framework_update(*, framework: Framework, actor=None) -> Framework:
    """Save a draft's own fields (title, summary, description)."""
    access.require(actor, "frameworks.change_framework", obj=framework)
    current = Framework.objects.select_for_update().get(pk=framework.pk)
    _ensure_draft(current)
    framework.full_clean()
    framework.save(update_fields=["title", "summary", "description", "translations"])
    audit_record(action="framework.change", subject=framework, actor=actor)
    return framework


def _part_permission(part: models.Model, action: str) -> str:
    """The model permission for `action` on a part: "frameworks.change_badgecategory", say."""
    return f"{part._meta.app_label}.{action}_{part._meta.model_name}"


def _ensure_draft(framework: Framework) -> None:
    if framework.is_published:
        raise ValidationError(
            _("Version %(v)s is published and cannot change: create a new version.") % {"v": framework.version}
        )


@transaction.atomic
def framework_part_save(*, part: models.Model, actor=None) -> models.Model:
    """Create or change a tier, category, glossary term or rule of a draft framework."""
    access.require(actor, _part_permission(part, "add" if part.pk is None else "change"), obj=part)
    Framework.objects.select_for_update().get(pk=part.framework_id)
    part.full_clean()
    created = part.pk is None
    part.save()
    audit_record(
        action=f"framework.{part._meta.model_name}.{'create' if created else 'change'}",
        subject=part,
        actor=actor,
        data={"framework": part.framework.version},
    )
    return part


@transaction.atomic
def framework_part_delete(*, part: models.Model, actor=None) -> None:
    access.require(actor, _part_permission(part, "delete"), obj=part)
    _ensure_draft(part.framework)
    audit_record(
        action=f"framework.{part._meta.model_name}.delete",
        subject=part,
        actor=actor,
        data={"framework": part.framework.version, "str": str(part)},
    )
    part.delete()


def stacking_rule_spec(rule: StackingRule, *, categories=None, tiers=None) -> stacking.RuleSpec:
    categories = rule.allowed_categories.all() if categories is None else categories
    tiers = rule.allowed_tiers.all() if tiers is None else tiers
    return stacking.RuleSpec(
        mode=rule.mode,
        required_count=rule.required_count,
        components=tuple(rule.components or ()),
        categories=frozenset(c.code for c in categories),
        tiers=frozenset(t.code for t in tiers),
        min_level=rule.min_level,
        result_achievement=rule.result_achievement,
    )


def stacking_rule_validate(rule: StackingRule, *, categories, tiers) -> None:
    """Raise ValidationError for an unsound rule (checks that need the M2M values too)."""
    errors = stacking.validate_rule(stacking_rule_spec(rule, categories=categories, tiers=tiers))
    for field, owner in (("result_tier", rule.result_tier), ("result_category", rule.result_category)):
        if owner is not None and owner.framework_id != rule.framework_id:
            errors[field] = _("Choose one from the same framework version.")
    for field, items in (("allowed_categories", categories), ("allowed_tiers", tiers)):
        if any(item.framework_id != rule.framework_id for item in items):
            errors[field] = _("Choose ones from the same framework version.")
    if (rule.result_tier is None) == (rule.result_category is None):
        errors["result_tier"] = _("A rule earns either a certificate tier or a badge category, not both or none.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def stacking_rule_save(*, rule: StackingRule, categories, tiers, actor=None) -> StackingRule:
    access.require(actor, _part_permission(rule, "add" if rule.pk is None else "change"), obj=rule)
    categories, tiers = list(categories), list(tiers)
    stacking_rule_validate(rule, categories=categories, tiers=tiers)
    framework_part_save(part=rule, actor=actor)
    rule.allowed_categories.set(categories)
    rule.allowed_tiers.set(tiers)
    return rule


def framework_check_complete(framework: Framework) -> list[str]:
    """What is missing before a version can be published."""
    problems = []
    codes = set(CertificateTier.objects.filter(framework=framework).values_list("code", flat=True))
    missing = [label for code, label in CertificateTier.Code.choices if code not in codes]
    if missing:
        problems.append(_("Missing certificate tiers: %(tiers)s.") % {"tiers": ", ".join(map(str, missing))})
    if not BadgeCategory.objects.filter(framework=framework).exists():
        problems.append(_("The badge taxonomy has no category."))
    parts = [*CertificateTier.objects.filter(framework=framework), *BadgeCategory.objects.filter(framework=framework)]
    for part in parts:
        try:
            part.full_clean()
        except ValidationError as exc:
            problems.append(f"{part}: {'; '.join(exc.messages)}")
    return problems


@transaction.atomic
def framework_publish(*, framework: Framework, actor=None) -> Framework:
    """Freeze a draft and make it the current framework. Older versions stay readable."""
    access.require(actor, "frameworks.change_framework", obj=framework)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    _ensure_draft(framework)
    problems = framework_check_complete(framework)
    if problems:
        raise ValidationError(problems)
    previous = Framework.objects.filter(is_current=True).first()
    Framework.objects.filter(is_current=True).update(is_current=False)
    framework.status = Framework.Status.PUBLISHED
    framework.is_current = True
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "is_current", "published_at"])
    audit_record(
        action="framework.publish",
        subject=framework,
        actor=actor,
        data={"version": framework.version, "replaces": previous.version if previous else None},
    )

    from .tasks import render_framework_samples

    transaction.on_commit(lambda: render_framework_samples.delay(framework.pk))
    return framework


@transaction.atomic
def framework_new_version(*, source: Framework, actor=None) -> Framework:
    """A new draft that copies every part of `source`, for staff to edit and publish."""
    access.require(actor, "frameworks.add_framework", obj=source)
    draft = Framework.objects.create(
        version=_next_version(),
        title=source.title,
        summary=source.summary,
        description=source.description,
        translations=source.translations,
    )
    tiers, categories = {}, {}
    for model, mapping in ((CertificateTier, tiers), (BadgeCategory, categories), (GlossaryTerm, None)):
        for part in model.objects.filter(framework=source):
            old_pk = part.pk
            part.pk, part.id, part.framework = None, None, draft
            part.save()
            if mapping is not None:
                mapping[old_pk] = part
    for rule in StackingRule.objects.filter(framework=source).prefetch_related("allowed_categories", "allowed_tiers"):
        allowed_categories = [categories[c.pk] for c in rule.allowed_categories.all()]
        allowed_tiers = [tiers[t.pk] for t in rule.allowed_tiers.all()]
        rule.pk, rule.id, rule.framework = None, None, draft
        rule.result_tier = tiers.get(rule.result_tier_id)
        rule.result_category = categories.get(rule.result_category_id)
        rule.save()
        rule.allowed_categories.set(allowed_categories)
        rule.allowed_tiers.set(allowed_tiers)
    audit_record(action="framework.new_version", subject=draft, actor=actor, data={"from": source.version})
    return draft


def _read_default(name: str) -> str:
    return (DEFAULTS_DIR / name).read_text(encoding="utf-8")


@transaction.atomic
def framework_load_defaults(*, actor=None, new_version: bool = False) -> tuple[Framework, bool]:
    """Load the default dual framework shipped in frameworks/defaults/ and publish it.

    Idempotent: when a framework exists already, nothing changes (returns it, False), unless
    `new_version` asks for a fresh version built from the defaults.
    """
    access.require(actor, ("frameworks.add_framework", "frameworks.change_framework"))
    existing = Framework.objects.order_by("-version").first()
    if existing and not new_version:
        return existing, False
    data = json.loads(_read_default("framework.json"))
    # French and Spanish texts of the framework, keyed like framework.json's parts (code or slug).
    translated = json.loads(_read_default("translations.json"))
    framework = framework_create(
        title=data["title"],
        summary=data.get("summary", ""),
        description=data.get("description", ""),
        translations=translated.get("framework", {}),
        actor=actor,
    )
    tiers = {}
    for item in data["tiers"]:
        tier = CertificateTier(
            framework=framework,
            code=item["code"],
            name=item["name"],
            order=item["order"],
            description=item["description"],
            min_attendance_percent=item.get("min_attendance_percent"),
            summative_assessment_required=item.get("summative_assessment_required", False),
            min_hours=item.get("min_hours"),
            min_ects=item.get("min_ects"),
            min_courses=item.get("min_courses"),
            achievement_type=item["achievement_type"],
            eqf_level_policy=item.get("eqf_level_policy", CertificateTier.EqfPolicy.NONE),
            html_template=_read_default(item["template"]),
            svg_template=_read_default(item.get("seal_template", "badges/certificate-seal.svg")),
            icon_path=item.get("icon_path", SEAL_ICON),
            translations=translated.get("tiers", {}).get(item["code"], {}),
            **item.get("palette", {}),
        )
        tiers[tier.code] = framework_part_save(part=tier, actor=actor)
    categories = {}
    for item in data["categories"]:
        example = item.get("example", {})
        category = BadgeCategory(
            framework=framework,
            code=item["code"],
            name=item["name"],
            order=item["order"],
            description=item["description"],
            purpose=item.get("purpose", ""),
            achievement_type=item["achievement_type"],
            required_fields=item["required_fields"],
            recipient_kinds=item["recipient_kinds"],
            shape=item["shape"],
            icon=item["icon"],
            icon_path=item["icon_path"],
            level_marker=item["level_marker"],
            max_level=item.get("max_level", 0),
            example_name=example.get("name", item["name"]),
            example_level=example.get("level", 0),
            svg_template=_read_default(item["template"]),
            translations=translated.get("categories", {}).get(item["code"], {}),
            **item.get("palette", {}),
        )
        categories[category.code] = framework_part_save(part=category, actor=actor)
    for item in data["glossary"]:
        term = GlossaryTerm(
            framework=framework,
            slug=item.get("slug") or _slug(item["term"]),
            term=item["term"],
            definition=item["definition"],
            international_term=item["international_term"],
            source=item["source"],
            source_url=item.get("source_url", ""),
            translations=item.get("translations", {}),
        )
        framework_part_save(part=term, actor=actor)
    for order, item in enumerate(data.get("stacking_rules", [])):
        rule = StackingRule(
            framework=framework,
            slug=item["slug"],
            name=item["name"],
            description=item.get("description", ""),
            result_tier=tiers.get(item.get("result_tier")),
            result_category=categories.get(item.get("result_category")),
            mode=item["mode"],
            required_count=item.get("required_count"),
            components=item.get("components", []),
            min_level=item.get("min_level"),
            on_complete=item.get("on_complete", StackingRule.OnComplete.ISSUE),
            order=order,
            translations=translated.get("stacking_rules", {}).get(item["slug"], {}),
        )
        stacking_rule_save(
            rule=rule,
            actor=actor,
            categories=[categories[c] for c in item.get("categories", [])],
            tiers=[tiers[t] for t in item.get("tiers", [])],
        )
    return framework_publish(framework=framework, actor=actor), True


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)[:80]
