from django.db import models
from django.utils.translation import gettext_lazy as _


class ClientRegistration(models.Model):
    """What a client said about itself when it registered (RFC 7591): the scopes it may ask for and its
    pages. The OAuth application itself is django-oauth-toolkit's."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="ob_registration"
    )
    scope = models.TextField(_("scopes"))
    client_uri = models.URLField(_("client address"), max_length=500, blank=True)
    logo_uri = models.URLField(_("logo address"), max_length=500, blank=True)
    tos_uri = models.URLField(_("terms of service"), max_length=500, blank=True)
    policy_uri = models.URLField(_("privacy policy"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open Badges API client")
        verbose_name_plural = _("Open Badges API clients")

    def __str__(self):
        return self.application.name
