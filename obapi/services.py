"""Writes of the Open Badges 3.0 API: client registration, upsertCredential, putProfile.

upsertCredential reuses the wallet's import (wallets.services.external_credential_import), which verifies
with the one verifier (credentials.verification) before the credential joins the wallet."""

import ipaddress
import json
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings

from audit.services import audit_record
from wallets import services as wallet_services
from wallets.models import ExternalCredential

from .models import ClientRegistration
from .scopes import SCOPES

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def _redirect_uri_problem(uri: str) -> str | None:
    if not isinstance(uri, str) or len(uri) > 500:
        return _("Each redirect URI must be a string of at most 500 characters.")
    try:
        parts = urlsplit(uri)
        host = (parts.hostname or "").lower()
    except ValueError:
        return _("“%(uri)s” is not a valid address.") % {"uri": uri}
    if parts.fragment or not host or parts.username or parts.password or " " in uri:
        return _("“%(uri)s” must be an absolute address without a fragment or user name.") % {"uri": uri}
    if parts.scheme == "https":
        return None
    loopback = host in LOOPBACK_HOSTS
    if not loopback:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
    if parts.scheme == "http" and loopback and "http" in oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES:
        return None
    return _("“%(uri)s” must use https (http only on 127.0.0.1 or localhost).") % {"uri": uri}


def _optional_url(metadata: dict, key: str) -> str:
    value = metadata.get(key) or ""
    if not isinstance(value, str) or len(value) > 500 or (value and urlsplit(value).scheme not in ("https", "http")):
        raise ValidationError(_("%(key)s must be a web address.") % {"key": key})
    return value


@transaction.atomic
def client_register(*, metadata: dict) -> tuple[ClientRegistration, str]:
    """Register a client (RFC 7591) as an OAuth application: authorization code with PKCE, the redirect URIs
    and scopes it asked for. Public (`token_endpoint_auth_method: none`) or confidential. Returns the
    registration and the client secret in clear (shown once; stored hashed), "" for a public client."""
    if not isinstance(metadata, dict):
        raise ValidationError(_("Send the client metadata as a JSON object."))
    name = metadata.get("client_name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ValidationError(_("client_name is required (at most 255 characters)."))
    uris = metadata.get("redirect_uris")
    if not isinstance(uris, list) or not uris or len(uris) > 10:
        raise ValidationError(_("redirect_uris must list one to ten addresses."))
    for uri in uris:
        problem = _redirect_uri_problem(uri)
        if problem:
            raise ValidationError(problem, code="invalid_redirect_uri")
    scope = metadata.get("scope")
    if not isinstance(scope, str) or not scope.split():
        raise ValidationError(_("scope must name at least one of the Open Badges scopes, separated by spaces."))
    unknown = [s for s in scope.split() if s not in SCOPES]
    if unknown:
        raise ValidationError(_("Unknown scope: %(scopes)s.") % {"scopes": " ".join(unknown)})
    grants = metadata.get("grant_types", ["authorization_code"])
    if not isinstance(grants, list) or not set(grants) <= {"authorization_code", "refresh_token"}:
        raise ValidationError(_("grant_types may name only authorization_code and refresh_token."))
    responses = metadata.get("response_types", ["code"])
    if responses != ["code"]:
        raise ValidationError(_('response_types must be ["code"].'))
    method = metadata.get("token_endpoint_auth_method", "client_secret_basic")
    if method not in ("none", "client_secret_basic", "client_secret_post"):
        raise ValidationError(_("token_endpoint_auth_method must be none, client_secret_basic or client_secret_post."))
    Application = get_application_model()
    public = method == "none"
    secret = "" if public else generate_client_secret()
    application = Application.objects.create(
        name=name.strip(),
        client_type=Application.CLIENT_PUBLIC if public else Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(uris),
        client_secret=secret,
        skip_authorization=False,
    )
    registration = ClientRegistration.objects.create(
        application=application,
        scope=" ".join(dict.fromkeys(scope.split())),
        client_uri=_optional_url(metadata, "client_uri"),
        logo_uri=_optional_url(metadata, "logo_uri"),
        tos_uri=_optional_url(metadata, "tos_uri"),
        policy_uri=_optional_url(metadata, "policy_uri"),
    )
    audit_record(
        action="obapi.client.register",
        subject=registration,
        actor=None,
        data={"name": application.name, "scope": registration.scope, "public": public},
    )
    return registration, secret


def credential_upsert(*, user, body: bytes) -> tuple[ExternalCredential, bool]:
    """upsertCredential: verify the posted OB 3.0 credential like a wallet import and add it to the wallet;
    a credential with the same `id` already imported is replaced (only when the new one verifies).
    Returns the wallet item and whether it is new."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(
            _("Send the credential as JSON with an embedded proof (compact JWS is not accepted).")
        ) from exc
    if not isinstance(document, dict):
        raise ValidationError(_("Send one credential as a JSON object."))
    document_id = str(document.get("id") or "")[:500]
    with transaction.atomic():
        existing = (
            ExternalCredential.objects.select_for_update().filter(user=user, document_id=document_id).first()
            if document_id
            else None
        )
        if existing is not None:
            wallet_services.external_credential_delete(user=user, item=existing)
        item = wallet_services.external_credential_import(user=user, data=body, source="text")
        if item.kind != ExternalCredential.Kind.OB3:
            raise ValidationError(_("The Open Badges 3.0 API accepts Open Badges 3.0 credentials only."))
        audit_record(
            action="obapi.credential.upsert", subject=item, actor=user, data={"replaced": existing is not None}
        )
    return item, existing is None


@transaction.atomic
def profile_put(*, user, document: dict):
    """putProfile: the learner's name (and headline, from `description`) on their wallet profile; the
    handle and visibility stay as the learner set them."""
    if not isinstance(document, dict):
        raise ValidationError(_("Send the profile as a JSON object."))
    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(_("The profile needs a name."))
    description = document.get("description")
    if description is not None and not isinstance(description, str):
        raise ValidationError(_("description must be text."))
    profile = wallet_services.profile_ensure(user=user, display_name=name)
    return wallet_services.profile_update(
        user=user,
        handle=profile.handle,
        display_name=name,
        headline=profile.headline if description is None else description,
        is_public=profile.is_public,
    )
