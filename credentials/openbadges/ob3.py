"""Building Open Badges 3.0 ``OpenBadgeCredential`` documents from plain values.

The builders return plain dicts, unsigned; sign them with
:func:`credentials.openbadges.proof.sign_credential`.

``@context`` is ``[VC 2.0, OB 3.0.3]``, plus the OB 3.0 *extensions* context
when ``credentialSchema`` is present: the schema type
``1EdTechJsonSchemaValidator2019`` is defined only there, and without it
JSON-LD drops the type (the DCC verifier then rejects the credential).  The
1EdTech examples use the same three contexts.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from .loader import OB_V3_CONTEXT, VC_V2_CONTEXT

OB_V3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
OB3_CONTEXT = [VC_V2_CONTEXT, OB_V3_CONTEXT]
OB3_CONTEXT_WITH_EXTENSIONS = [VC_V2_CONTEXT, OB_V3_CONTEXT, OB_V3_EXTENSIONS_CONTEXT]
OB3_CREDENTIAL_TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
CREDENTIAL_SCHEMA = [
    {
        "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        "type": "1EdTechJsonSchemaValidator2019",
    }
]

#: The 31 values of the OB 3.0 AchievementType enumeration (extensions use ``ext:`` prefixes).
ACHIEVEMENT_TYPES = frozenset(
    [
        "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
        "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification",
        "CommunityService", "Competency", "Course", "CoCurricular", "Degree", "Diploma",
        "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment", "JourneymanCertificate",
        "LearningProgram", "License", "Membership", "ProfessionalDoctorate",
        "QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential",
        "ResearchDoctorate", "SecondarySchoolDiploma",
    ]
)  # fmt: skip


# --- recipient identity ---------------------------------------------------------------------


def normalize_email(email: str) -> str:
    """The form that is hashed: surrounding whitespace removed, lower-cased."""
    return email.strip().lower()


def new_salt() -> str:
    """A random salt (32 hex characters)."""
    return secrets.token_hex(16)


def hash_email(email: str, salt: str) -> str:
    """``"sha256$" + hex(sha256(lower(email) + salt))``, as OB 2.0 ``identity`` and OB 3.0 ``identityHash``.

    The email is lower-cased (and stripped) before hashing, so a verifier
    checking ``Learner@Example.org`` must lower-case it too; the 1EdTech
    validator hashes exactly the string it is given.
    """
    digest = hashlib.sha256((normalize_email(email) + salt).encode("utf-8")).hexdigest()
    return "sha256$" + digest


def email_matches(identity_hash: str, email: str, salt: str) -> bool:
    """True when ``identity_hash`` (``sha256$...``) is the hash of ``email`` with ``salt``."""
    return secrets.compare_digest(identity_hash.strip().lower().encode(), hash_email(email, salt).encode())


def email_identity_object(email: str, salt: str | None = None) -> dict:
    """An OB 3.0 ``IdentityObject`` for a hashed email address (a fresh salt if none is given)."""
    salt = salt if salt is not None else new_salt()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": hash_email(email, salt),
        "salt": salt,
    }


def name_identity_object(name: str) -> dict:
    """An OB 3.0 ``IdentityObject`` with the recipient's name in plain text (``identityType`` ``name``).

    OB 3.0 has no ``name`` on ``AchievementSubject``; this is where the standard lets a credential say
    whose it is, so that wallets can show it.  It is not hashed: a name is what the certificate prints.
    """
    return {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": name}


# --- building blocks ---------------------------------------------------------------------------


def image(url: str, caption: str | None = None) -> dict:
    """An OB 3.0 ``Image`` object."""
    obj = {"id": url, "type": "Image"}
    if caption:
        obj["caption"] = caption
    return obj


def profile(
    id: str,  # noqa: A002 - mirrors the JSON property
    name: str,
    *,
    url: str | None = None,
    email: str | None = None,
    description: str | None = None,
    image_url: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict:
    """An issuer ``Profile``; ``id`` is the issuer DID (it must match the signing key's DID)."""
    obj: dict[str, Any] = {"id": id, "type": ["Profile"], "name": name}
    if url:
        obj["url"] = url
    if email:
        obj["email"] = email
    if description:
        obj["description"] = description
    if image_url:
        obj["image"] = image(image_url)
    if extra:
        obj.update(extra)
    return obj


def achievement(
    id: str,  # noqa: A002
    name: str,
    description: str,
    *,
    criteria_narrative: str | None = None,
    criteria_url: str | None = None,
    achievement_type: str | None = None,
    image_url: str | None = None,
    image_caption: str | None = None,
    tags: Iterable[str] | None = None,
    creator: Mapping[str, Any] | None = None,
    alignment: Iterable[Mapping[str, Any]] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict:
    """An OB 3.0 ``Achievement`` (the 2.0 BadgeClass).

    ``criteria`` needs ``criteria_narrative`` (Markdown allowed) and/or
    ``criteria_url``.  ``achievement_type`` must be one of
    :data:`ACHIEVEMENT_TYPES` or an ``ext:`` extension value.
    """
    if not criteria_narrative and not criteria_url:
        raise ValueError("an achievement needs criteria: criteria_narrative and/or criteria_url")
    if (
        achievement_type is not None
        and achievement_type not in ACHIEVEMENT_TYPES
        and not achievement_type.startswith("ext:")
    ):
        raise ValueError(f"unknown achievementType {achievement_type!r} (use one of the 31 or ext:...)")
    criteria: dict[str, Any] = {}
    if criteria_url:
        criteria["id"] = criteria_url
    if criteria_narrative:
        criteria["narrative"] = criteria_narrative
    obj: dict[str, Any] = {
        "id": id,
        "type": ["Achievement"],
        "name": name,
        "description": description,
        "criteria": criteria,
    }
    if achievement_type:
        obj["achievementType"] = achievement_type
    if image_url:
        obj["image"] = image(image_url, image_caption)
    if tags:
        obj["tag"] = list(tags)
    if creator:
        obj["creator"] = dict(creator)
    if alignment:
        obj["alignment"] = [dict(a) for a in alignment]
    if extra:
        obj.update(extra)
    return obj


def evidence(
    *,
    id: str | None = None,  # noqa: A002
    name: str | None = None,
    description: str | None = None,
    narrative: str | None = None,
    genre: str | None = None,
    audience: str | None = None,
) -> dict:
    """An OB 3.0 ``Evidence`` object (placed on the credential, not on the subject)."""
    obj: dict[str, Any] = {"type": ["Evidence"]}
    for key, value in (
        ("id", id),
        ("name", name),
        ("description", description),
        ("narrative", narrative),
        ("genre", genre),
        ("audience", audience),
    ):
        if value:
            obj[key] = value
    return obj


def build_credential(
    *,
    id: str,  # noqa: A002
    issuer: Mapping[str, Any],
    achievement: Mapping[str, Any],
    valid_from: str,
    name: str,
    recipient_email: str | None = None,
    salt: str | None = None,
    subject_id: str | None = None,
    identifiers: Iterable[Mapping[str, Any]] | None = None,
    valid_until: str | None = None,
    description: str | None = None,
    image_url: str | None = None,
    evidence: Iterable[Mapping[str, Any]] | None = None,
    credential_status: Mapping[str, Any] | None = None,
    include_schema: bool = True,
    subject_extra: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict:
    """An unsigned ``OpenBadgeCredential``.

    :param id: the credential URL (or ``urn:uuid:...``).
    :param issuer: a :func:`profile` dict; its ``id`` is the issuer DID.
    :param achievement: an :func:`achievement` dict.
    :param valid_from: XSD dateTime with zone, e.g. ``2025-03-01T00:00:00Z``.
    :param name: the credential name (always included; wallets show it).
    :param recipient_email: hashed with ``salt`` into an ``IdentityObject``.
    :param subject_id: the learner's DID (e.g. after a wallet DID-auth), if known.
    :param identifiers: further ``IdentityObject`` dicts.
    :param credential_status: a :func:`~.status_list.status_entry` dict.
    :param include_schema: add ``credentialSchema`` (and the extensions context).
    """
    if not recipient_email and not subject_id and not identifiers:
        raise ValueError("a credential subject needs subject_id, recipient_email or identifiers")
    subject: dict[str, Any] = {}
    if subject_id:
        subject["id"] = subject_id
    subject["type"] = ["AchievementSubject"]
    ids = [email_identity_object(recipient_email, salt)] if recipient_email else []
    ids.extend(dict(i) for i in identifiers or [])
    if ids:
        subject["identifier"] = ids
    subject["achievement"] = dict(achievement)
    if subject_extra:
        subject.update(subject_extra)

    credential: dict[str, Any] = {
        "@context": list(OB3_CONTEXT_WITH_EXTENSIONS if include_schema else OB3_CONTEXT),
        "id": id,
        "type": list(OB3_CREDENTIAL_TYPE),
        "name": name,
    }
    if description:
        credential["description"] = description
    if image_url:
        credential["image"] = image(image_url)
    credential["issuer"] = dict(issuer)
    credential["validFrom"] = valid_from
    if valid_until:
        credential["validUntil"] = valid_until
    credential["credentialSubject"] = subject
    if evidence:
        credential["evidence"] = [dict(e) for e in evidence]
    if credential_status:
        credential["credentialStatus"] = dict(credential_status)
    if include_schema:
        credential["credentialSchema"] = [dict(s) for s in CREDENTIAL_SCHEMA]
    if extra:
        credential.update(extra)
    return credential
