"""Verifiable forms of endorsements: an Open Badges 3.0 EndorsementCredential (signed by the platform)
and an Open Badges 2.0 hosted Endorsement. Pure builders over loaded model instances."""

from django.conf import settings
from django.urls import reverse

from credentials import documents as credential_documents
from credentials.links import absolute
from credentials.openbadges import check_all_terms_defined
from credentials.openbadges.ob2 import OB_V2_CONTEXT
from credentials.openbadges.ob3 import OB3_CONTEXT_WITH_EXTENSIONS

ENDORSEMENT_SCHEMA = [
    {
        "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json",
        "type": "1EdTechJsonSchemaValidator2019",
    }
]


def endorsement_url(endorsement, form: str) -> str:
    name = "wallets:endorsement_ob3" if form == "ob3" else "wallets:endorsement_ob2"
    return settings.BASE_URL + reverse(name, kwargs={"public_id": endorsement.public_id})


def endorser_line(endorsement) -> str:
    return (
        f"{endorsement.endorser_name}, {endorsement.endorser_title}"
        if endorsement.endorser_title
        else (endorsement.endorser_name)
    )


def endorsement_ob3(endorsement, *, issuer, key) -> dict:
    """The unsigned EndorsementCredential. `issuer`/`key`: the organisation whose key signs it (the
    endorsing issuer, or the award's issuer relaying a person's endorsement)."""
    award = endorsement.award
    achievement = award.achievement
    document = {
        "@context": list(OB3_CONTEXT_WITH_EXTENSIONS),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "id": endorsement_url(endorsement, "ob3"),
        "name": f"Endorsement of {achievement.name}",
        "description": f"Endorsed by {endorser_line(endorsement)}.",
        "issuer": credential_documents.ob3_profile(issuer, key),
        "validFrom": credential_documents.xsd(endorsement.endorsed_at),
        "credentialSubject": {
            "id": award.credential.get("id") or absolute("verify_page", public_id=award.public_id),
            "type": ["EndorsementSubject"],
            "endorsementComment": endorsement.comment,
        },
        "credentialSchema": ENDORSEMENT_SCHEMA,
    }
    problems = check_all_terms_defined(document)
    if problems:  # a programming error: the builder above must only use defined terms
        raise ValueError("; ".join(problems))
    return document


def endorsement_ob2(endorsement) -> dict:
    """A hosted Open Badges 2.0 Endorsement of the award's assertion."""
    award = endorsement.award
    issuer = endorsement.endorser_issuer or award.achievement.issuer
    return {
        "@context": OB_V2_CONTEXT,
        "type": "Endorsement",
        "id": endorsement_url(endorsement, "ob2"),
        "name": f"Endorsement by {endorser_line(endorsement)}",
        "claim": {
            "id": absolute("ob2_assertion", public_id=award.public_id),
            "endorsementComment": endorsement.comment,
        },
        "issuer": absolute("ob2_issuer", slug=issuer.slug),
        "issuedOn": credential_documents.xsd(endorsement.endorsed_at),
        "verification": {"type": "hosted"},
    }
