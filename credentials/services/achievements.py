"""Achievements: checked against their framework's requirements, saved with an audit entry."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from frameworks.models import CertificateTier
from frameworks.requirements import validate_badge_definition, validate_certificate_definition
from frameworks.svg import UnsafeSVG
from frameworks.validators import is_http_url

from ..artifacts.images import achievement_svg
from ..models import Achievement

# An ESCO skill or competence URI as ESCO publishes it (http): a concept's UUID, or a skills-pillar group's code
# (S4.8.1, T1, K0613…).
ESCO_SKILL = re.compile(
    r"^http://data\.europa\.eu/esco/skill/"
    r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[STKL][0-9]+(?:\.[0-9]+)*)$"
)
ESCO_FRAMEWORK = "ESCO"
ESCO_PREFIX = "http://data.europa.eu/esco/"


def esco_alignment(*, uri: str, label: str) -> dict:
    """The stored form of an ESCO skill alignment (its Open Badges fields); ValidationError for a bad URI."""
    uri, label = (uri or "").strip(), (label or "").strip()
    if not ESCO_SKILL.match(uri):
        raise ValidationError(
            _(
                "“%(uri)s” is not an ESCO skill URI: it looks like http://data.europa.eu/esco/skill/ followed by "
                "the skill's identifier (copy it from the ESCO portal)."
            )
            % {"uri": uri[:200]}
        )
    if not label:
        raise ValidationError(_("Give the ESCO skill's label for %(uri)s.") % {"uri": uri})
    return {"targetName": label[:300], "targetUrl": uri, "targetFramework": ESCO_FRAMEWORK}


def esco_alignments_parse(text: str) -> list[dict]:
    """ "URI | label" lines (the admin's field) → stored alignments; ValidationError naming the line."""
    items = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        uri, _sep, label = line.partition("|")
        try:
            items.append(esco_alignment(uri=uri, label=label))
        except ValidationError as exc:
            raise ValidationError(
                _("Line %(line)d: %(problem)s") % {"line": number, "problem": " ".join(exc.messages)}
            ) from exc
    return items


def esco_alignments_text(alignments) -> str:
    return "\n".join(f"{item.get('targetUrl', '')} | {item.get('targetName', '')}" for item in alignments or [])


def _check_alignments(achievement: Achievement) -> None:
    items = achievement.alignments or []
    if not isinstance(items, list):
        raise ValidationError({"alignments": _("Skill alignments are a list.")})
    urls = []
    for item in items:
        if not isinstance(item, dict) or not item.get("targetName") or not item.get("targetUrl"):
            raise ValidationError({"alignments": _("Each skill alignment needs a targetName and a targetUrl.")})
        url = str(item["targetUrl"])
        if not is_http_url(url):
            raise ValidationError(
                {"alignments": _("A skill alignment's targetUrl must start with https:// or http://.")}
            )
        if item.get("targetFramework") == ESCO_FRAMEWORK or url.startswith(ESCO_PREFIX):
            try:
                esco_alignment(uri=url, label=str(item["targetName"]))
            except ValidationError as exc:
                raise ValidationError({"alignments": exc.messages}) from exc
        urls.append(url)
    if len(set(urls)) != len(urls):
        raise ValidationError({"alignments": _("A skill is aligned twice.")})


def _check_eqf(achievement: Achievement) -> None:
    level, tier = achievement.eqf_level, achievement.tier
    policy = tier.eqf_level_policy if tier else CertificateTier.EqfPolicy.NONE
    if level is not None and policy == CertificateTier.EqfPolicy.NONE:
        where = tier.name if tier else _("a badge")
        raise ValidationError({"eqf_level": _("%(kind)s states no EQF level: leave it empty.") % {"kind": where}})
    if level is None and policy == CertificateTier.EqfPolicy.REQUIRED:
        raise ValidationError({"eqf_level": _("A %(tier)s states its EQF level (1–8).") % {"tier": tier.name}})


def _check_mode(achievement: Achievement, companions: list[Achievement] | None) -> None:
    mode = achievement.publishing_mode
    if mode in (Achievement.Mode.CERTIFICATE, Achievement.Mode.CERTIFICATE_WITH_BADGES) and not achievement.tier:
        raise ValidationError({"mode": _("Only a certificate tier's achievement is published as a certificate.")})
    if companions is None:
        return
    if companions and mode != Achievement.Mode.CERTIFICATE_WITH_BADGES:
        raise ValidationError(
            {"companions": _("Only a certificate published with companion badges lists companion badges.")}
        )
    if mode == Achievement.Mode.CERTIFICATE_WITH_BADGES and not companions:
        raise ValidationError({"companions": _("Choose the badges issued with this certificate.")})
    for companion in companions:
        if companion.pk is not None and companion.pk == achievement.pk:
            raise ValidationError({"companions": _("A certificate cannot be its own companion badge.")})
        if companion.publishing_mode != Achievement.Mode.BADGE:
            raise ValidationError(
                {"companions": _("“%(name)s” is not a badge: companions are badges.") % {"name": companion.name}}
            )


def achievement_validate(achievement: Achievement, *, companions: list[Achievement] | None = None) -> None:
    """Model checks plus the framework's content requirements (tier or category), the publishing mode (and
    its companion badges: the stored ones unless given), the EQF level and the skill alignments."""
    if companions is None and achievement.publishing_mode == Achievement.Mode.CERTIFICATE_WITH_BADGES:
        companions = list(achievement.companions.all()) if achievement.pk else []
    achievement.full_clean(exclude=["companions"])
    kind = achievement.tier or achievement.category
    if kind is None or (achievement.tier and achievement.category):
        raise ValidationError({"category": _("Choose a certificate tier or a badge category (one of them).")})
    if not kind.framework.is_published:
        raise ValidationError({"category": _("Choose a tier or category of a published framework.")})
    if achievement.tier:
        validate_certificate_definition(achievement.tier, achievement.definition())
    else:
        validate_badge_definition(achievement.category, achievement.definition())
    _check_mode(achievement, companions)
    _check_eqf(achievement)
    _check_alignments(achievement)
    if kind.svg_template:
        # The image is the design filled with this name (and each translated name): it must stay safe.
        for lang in [achievement.language, *sorted(achievement.translations)]:
            try:
                achievement_svg(achievement, lang)
            except UnsafeSVG as exc:
                raise ValidationError({"name" if lang == achievement.language else "translations": str(exc)}) from exc


@transaction.atomic
def achievement_save(*, achievement: Achievement, actor=None, companions=None) -> Achievement:
    """Validate and save; `companions` (achievements), when given, replaces the certificate's companion badges."""
    created = achievement.pk is None
    permission = "credentials.add_achievement" if created else "credentials.change_achievement"
    access.require(actor, permission, obj=achievement)
    if not created:  # moved to another programme: the actor must also hold the permission where it was
        stored = Achievement.objects.filter(pk=achievement.pk).only("programme_id").first()
        if stored is not None and stored.programme_id != achievement.programme_id:
            access.require(actor, permission, obj=stored if stored.programme_id else None)
    companions = None if companions is None else list(companions)
    achievement_validate(achievement, companions=companions)
    achievement.save()
    if companions is not None:
        achievement.companions.set(companions)
    audit_record(
        action=f"achievement.{'create' if created else 'change'}",
        subject=achievement,
        actor=actor,
        programme=achievement.programme_id,
        data={"mode": achievement.mode, "companions": [c.slug for c in companions or []]} if companions else None,
    )
    return achievement
