"""API keys and the responses kept for idempotent retries.

An API key belongs to one programme and holds one role there (viewer, issuer, manager: programmes/roles.py).
It acts as its own account, `ApiKeyAccount`, so that audit entries, awards and bulk jobs name the key that
did what they record; that account holds no Django permission, only the key's role in its programme.
Only a SHA-256 digest of the secret is stored: the key is shown once, when it is created.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme, Role


class ApiKeyAccount(get_user_model()):
    """The account an API key acts as. It never holds a global permission (an administrator who ticks one on
    the user's page gives it nothing): the key's role in its programme is all it may do."""

    class Meta:
        proxy = True
        verbose_name = _("API key account")
        verbose_name_plural = _("API key accounts")

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return False

    def has_module_perms(self, app_label) -> bool:
        return False


class ApiKey(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="api_keys")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    name = models.CharField(_("name"), max_length=200)
    prefix = models.CharField(_("prefix"), max_length=20, unique=True, help_text=_("The visible start of the key."))
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    account = models.OneToOneField(ApiKeyAccount, on_delete=models.PROTECT, related_name="api_key", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["programme", "name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…, {self.programme}, {self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """The first response to a POST sent with an `Idempotency-Key` header, per caller (an API key or a signed-in
    account): a retry with the same key and the same request gets it again instead of acting twice. `status`
    is null while the first request is still being answered."""

    owner = models.CharField(max_length=40)  # "key:<id>" or "user:<id>"
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # sha256 of method, path and body
    status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="one_response_per_idempotency_key")]

    def __str__(self):
        return f"{self.owner} {self.key} → {self.status}"
