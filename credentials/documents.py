"""The verifiable forms of issuers, achievements and awards: Open Badges 2.0 JSON-LD and 3.0 credentials.

Pure builders: they read model instances (already loaded) and return dicts.
"""

from datetime import UTC

from django.utils import timezone

from multilingual.text import in_language, language_code, original_language

from .languages import achievement_image_url, award_language, ob2_badge_class_url
from .links import absolute
from .openbadges import ob2, ob3
from .openbadges.status_list import status_entry, status_list_credential


def xsd(value) -> str:
    """An XSD dateTime in UTC with a zone designator, whole seconds."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _json_number(value):
    """An int when the value is whole: JavaScript (the DCC verifier) reads 2.0 as the integer 2, so a float
    2.0 would canonicalise as xsd:double in Python and xsd:integer in JavaScript and break the signature."""
    return int(value) if value == int(value) else float(value)


def _alignment_ob2(item: dict) -> dict:
    return {
        k: v
        for k, v in item.items()
        if k in ("targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode") and v
    }


def _alignment_ob3(item: dict) -> dict:
    data = {"type": ["Alignment"], **_alignment_ob2(item)}
    if item.get("targetFramework") == "ESCO":
        data["targetType"] = "ceasn:Competency"  # an ESCO skill is a competency (OB 3.0 AlignmentTargetType)
    return data


# The EQF level as an alignment to the level's concept in the EU's Europass vocabulary (ADR 17):
# both Open Badges versions define `alignment`, and the 2.0 validator and the DCC verifier read it.
EQF_LEVEL_URL = "http://data.europa.eu/snb/eqf/{level}"
EQF_FRAMEWORK = "European Qualifications Framework"


def eqf_alignment(level: int) -> dict:
    return {
        "targetName": f"EQF level {level}",
        "targetUrl": EQF_LEVEL_URL.format(level=level),
        "targetFramework": EQF_FRAMEWORK,
        "targetCode": str(level),
    }


def _alignments(achievement) -> list[dict]:
    items = list(achievement.alignments or [])
    if getattr(achievement, "eqf_level", None):
        items.insert(0, eqf_alignment(achievement.eqf_level))
    return items


# --- Open Badges 2.0 -------------------------------------------------------------------------------


def ob2_issuer(issuer) -> dict:
    data = {
        "@context": ob2.OB_V2_CONTEXT,
        "type": "Issuer",
        "id": absolute("ob2_issuer", slug=issuer.slug),
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }
    if issuer.description:
        data["description"] = issuer.description
    if issuer.image:
        data["image"] = absolute("issuer_image", slug=issuer.slug)
    return data


def ob2_badge_class(achievement, lang: str = "") -> dict:
    """The hosted BadgeClass in `lang` (a complete translation: credentials.languages), else in the
    achievement's language; each language version has its own id (`?lang=fr`) and says its `@language`."""
    lang = language_code(lang) or original_language(achievement)
    text = in_language(achievement, lang)
    criteria = {"narrative": text.criteria_narrative} if text.criteria_narrative else {}
    if achievement.criteria_url:
        criteria["id"] = achievement.criteria_url
    data = {
        "@context": ob2.OB_V2_CONTEXT,
        "type": "BadgeClass",
        "id": ob2_badge_class_url(achievement, lang),
        "@language": lang,
        "name": text.name,
        "description": text.description,
        "image": achievement_image_url(achievement, lang),
        "criteria": criteria,
        "issuer": absolute("ob2_issuer", slug=achievement.issuer.slug),
    }
    if alignments := _alignments(achievement):
        data["alignment"] = [_alignment_ob2(a) for a in alignments]
    if achievement.tags:
        data["tags"] = list(achievement.tags)
    return data


def ob2_assertion(award, *, endorsements: list[str] | None = None) -> dict:
    """The hosted assertion; `endorsements` are URLs of hosted 2.0 Endorsements of it
    (selectors.award_endorsement_urls), linked as `endorsement`."""
    data = {
        "@context": ob2.OB_V2_CONTEXT,
        "type": "Assertion",
        "id": absolute("ob2_assertion", public_id=award.public_id),
        "recipient": {"type": "email", "hashed": True, "salt": award.salt, "identity": award.identity_hash},
        "badge": ob2_badge_class_url(award.achievement, award_language(award)),
        "verification": {"type": "hosted"},
        "issuedOn": xsd(award.issued_at),
        "image": absolute("baked_png", public_id=award.public_id, version="ob2"),
    }
    if award.expires_at:
        data["expires"] = xsd(award.expires_at)
    if award.narrative:
        data["narrative"] = award.narrative
    if award.evidence:
        data["evidence"] = [
            {k: v for k, v in (("id", e.get("url")), ("narrative", e.get("narrative")), ("name", e.get("name"))) if v}
            for e in award.evidence
        ]
    if endorsements:
        data["endorsement"] = list(endorsements)
    if award.is_revoked:
        data["revoked"] = True
        data["revocationReason"] = award.revocation_reason
    return data


# --- Open Badges 3.0 -------------------------------------------------------------------------------


def ob3_profile(issuer, key) -> dict:
    return ob3.profile(
        key.did,
        issuer.name,
        url=issuer.url,
        email=issuer.email,
        description=issuer.description or None,
        image_url=absolute("issuer_image", slug=issuer.slug) if issuer.image else None,
    )


def ob3_achievement(achievement, lang: str = "") -> dict:
    """The OB 3.0 Achievement in `lang` (default: its own language), which `inLanguage` records: OB 3.0 has no
    per-field language map in the signed credential, so it is signed in one language and says which."""
    lang = language_code(lang) or original_language(achievement)
    text = in_language(achievement, lang)
    extra = {"humanCode": achievement.slug}
    fields = {}
    if achievement.ects_credits is not None:
        fields["creditsAvailable"] = _json_number(achievement.ects_credits)
    fields["inLanguage"] = lang
    return ob3.achievement(
        absolute("achievement_page", slug=achievement.slug),
        text.name,
        text.description,
        criteria_narrative=text.criteria_narrative or None,
        criteria_url=achievement.criteria_url or None,
        achievement_type=achievement.achievement_type,
        image_url=achievement_image_url(achievement, lang),
        image_caption=text.name,
        tags=achievement.tags or None,
        alignment=[_alignment_ob3(a) for a in _alignments(achievement)] or None,
        extra={**extra, **fields},
    )


def ob3_credential(award, *, subject_id: str | None = None) -> dict:
    """The unsigned OpenBadgeCredential of an award (status entry included), in the award's language
    (credentials.languages.award_language: the recipient's when the achievement is translated into it)."""
    achievement, key = award.achievement, award.key
    lang = award_language(award)
    evidence = [
        ob3.evidence(id=e.get("url") or None, name=e.get("name") or None, narrative=e.get("narrative") or None)
        for e in award.evidence
    ]
    if award.narrative:
        evidence.insert(0, ob3.evidence(narrative=award.narrative, name="Narrative"))
    list_url = absolute("status_list", pk=award.status_list_id)
    return ob3.build_credential(
        id=absolute("verify_page", public_id=award.public_id),
        issuer=ob3_profile(achievement.issuer, key),
        achievement=ob3_achievement(achievement, lang),
        valid_from=xsd(award.valid_from),
        valid_until=xsd(award.expires_at) if award.expires_at else None,
        name=in_language(achievement, lang).name,
        recipient_email=award.recipient_email,
        salt=award.salt,
        identifiers=[ob3.name_identity_object(award.recipient_name)] if award.recipient_name else None,
        subject_id=subject_id,
        image_url=achievement_image_url(achievement, lang),
        evidence=evidence or None,
        credential_status=status_entry(list_url, award.status_index),
        extra={"awardedDate": xsd(award.issued_at)},
    )


def ob3_status_list(status_list, encoded: str) -> dict:
    return status_list_credential(
        absolute("status_list", pk=status_list.pk),
        status_list.key.did,
        encoded,
        valid_from=xsd(timezone.now()),
        name="Revocation list",
    )
