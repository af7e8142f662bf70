"""The four scopes of the Open Badges 3.0 API, and django-oauth-toolkit's scopes backend: a client may ask
only for the scopes it registered."""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CREDENTIAL_READ = PREFIX + "credential.readonly"
CREDENTIAL_UPSERT = PREFIX + "credential.upsert"
PROFILE_READ = PREFIX + "profile.readonly"
PROFILE_UPDATE = PREFIX + "profile.update"

SCOPES = {
    CREDENTIAL_READ: _("Read the credentials in your wallet"),
    CREDENTIAL_UPSERT: _("Add credentials to your wallet or replace them"),
    PROFILE_READ: _("Read your profile"),
    PROFILE_UPDATE: _("Change your profile"),
}


def registered_scopes(application) -> list[str]:
    registration = getattr(application, "ob_registration", None) if application is not None else None
    if registration is None:
        return []
    return [scope for scope in registration.scope.split() if scope in SCOPES]


class RegisteredScopes(BaseScopes):
    """Every scope of the standard exists; each client gets only those it registered."""

    def get_all_scopes(self):
        return {scope: str(text) for scope, text in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return registered_scopes(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return registered_scopes(application)
