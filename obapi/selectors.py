"""Reads of the Open Badges 3.0 API: the service description, a page of the learner's credentials (the
signed credentials the wallet export holds: awards of this platform, then OB 3.0 credentials imported or
upserted), the learner's profile as an OB 3.0 Profile."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from credentials.models import Award
from credentials.openbadges.loader import OB_V3_CONTEXT
from wallets import selectors as wallet_selectors
from wallets.models import ExternalCredential, Profile

from .scopes import SCOPES


def service_description(base_url: str) -> dict:
    """The Service Description Document: an OpenAPI 3.0 document whose OAuth2ACG security scheme tells a
    client where to register, authorise and get tokens, and which scopes exist."""

    def url(name: str) -> str:
        return base_url + reverse(name)

    scopes = {scope: str(text) for scope, text in SCOPES.items()}
    return {
        "openapi": "3.0.1",
        "info": {
            "title": "Open Badges API",
            "version": "3.0",
            "description": "1EdTech Open Badges 3.0 API of Laurel.",
            "termsOfService": base_url + "/",
            "x-imssf-privacyPolicyUrl": base_url + "/",
        },
        "servers": [{"url": base_url + "/ims/ob/v3p0", "description": "Laurel"}],
        "tags": [{"name": "OpenBadgeCredentials"}, {"name": "Profile"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": {
                    "operationId": "getCredentials",
                    "tags": ["OpenBadgeCredentials"],
                    "security": [{"OAuth2ACG": [next(iter(SCOPES))]}],
                },
                "post": {
                    "operationId": "upsertCredential",
                    "tags": ["OpenBadgeCredentials"],
                    "security": [{"OAuth2ACG": [list(SCOPES)[1]]}],
                },
            },
            "/profile": {
                "get": {
                    "operationId": "getProfile",
                    "tags": ["Profile"],
                    "security": [{"OAuth2ACG": [list(SCOPES)[2]]}],
                },
                "put": {
                    "operationId": "putProfile",
                    "tags": ["Profile"],
                    "security": [{"OAuth2ACG": [list(SCOPES)[3]]}],
                },
            },
            "/discovery": {"get": {"operationId": "getServiceDescription", "tags": ["Discovery"]}},
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 Authorization Code Grant authorization (PKCE with S256 required)",
                    "x-imssf-name": "Laurel",
                    "x-imssf-privacyPolicyUrl": base_url + "/",
                    "x-imssf-registrationUrl": url("obapi:register"),
                    "x-imssf-termsOfServiceUrl": base_url + "/",
                    "flows": {
                        "authorizationCode": {
                            "tokenUrl": url("obapi:token"),
                            "authorizationUrl": url("obapi:authorize"),
                            "refreshUrl": url("obapi:token"),
                            "scopes": scopes,
                        }
                    },
                }
            },
        },
    }


@dataclass
class CredentialPage:
    credentials: list[dict]
    total: int


def credentials_page(user, *, limit: int, offset: int) -> CredentialPage:
    """Awards of the learner's wallet (oldest first; not those they declined), then their imported OB 3.0
    credentials."""
    awards = wallet_selectors.holder_awards(user).exclude(state=Award.State.DECLINED).order_by("issued_at", "pk")
    external = ExternalCredential.objects.filter(user=user, kind=ExternalCredential.Kind.OB3).order_by(
        "created_at", "pk"
    )
    award_count, external_count = awards.count(), external.count()
    credentials = [
        a.credential for a in awards.select_related(None).only("credential", "issued_at")[offset : offset + limit]
    ]
    rest = limit - len(credentials)
    if rest > 0:
        start = max(offset - award_count, 0)
        credentials += [e.document for e in external.only("document")[start : start + rest]]
    return CredentialPage(credentials=credentials, total=award_count + external_count)


def profile_document(user, base_url: str) -> dict:
    """The learner as an OB 3.0 Profile: its public page as `id` when the profile is public, else a urn."""
    profile = Profile.objects.filter(user=user).first()
    name = (profile.display_name if profile else "") or user.get_full_name() or user.email
    document = {
        "@context": [OB_V3_CONTEXT],
        "type": ["Profile"],
        "id": base_url + profile.get_absolute_url() if profile and profile.is_public else f"urn:uuid:{_uuid(user)}",
        "name": name,
        "email": user.email,
    }
    if profile and profile.headline:
        document["description"] = profile.headline
    return document


def _uuid(user) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.BASE_URL}/users/{user.pk}"))
