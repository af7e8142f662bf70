"""`Authorization: Bearer <key>`: the request acts as the key's account, holding the key's role in its
programme and nothing else.

The principal is an `ApiKeyAccount` (a user that holds no Django permission) whose `_programme_roles` is
{key's programme: key's role}: `programmes.roles.role_allows` reads exactly that, so every service's
`access.require(actor, perm, obj=...)` answers for a key as it does for a member of staff with that role.
"""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import ApiKey
from .services import KEY_START, api_key_touch, secret_digest


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None  # another scheme: not ours (session auth may still answer)
        token = token.strip()
        if not token.startswith(KEY_START) or len(token) > 200 or " " in token:
            raise exceptions.AuthenticationFailed(_("This is not a Laurel API key."))
        api_key = ApiKey.objects.select_related("account", "programme").filter(secret_hash=secret_digest(token)).first()
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Unknown API key."))
        if api_key.revoked_at is not None or not api_key.account.is_active:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        if not api_key.programme.is_active:
            raise exceptions.AuthenticationFailed(_("This API key's programme is closed."))
        account = api_key.account
        account._programme_roles = {api_key.programme_id: api_key.role}
        account.api_key = api_key
        api_key_touch(api_key=api_key)
        return account, api_key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
