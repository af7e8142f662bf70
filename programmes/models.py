"""Programmes of the institution and the roles their staff hold in them.

A programme (one of the nine training programmes, say) owns achievements and, through them, their events, bulk
jobs and awards. A person may hold one role in each programme (manager, issuer or viewer: `roles.py` says
what each may do); platform administrators hold Django permissions instead and see every programme.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from multilingual.models import Translatable


class Programme(Translatable):
    translatable_fields = ("name", "description")

    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        permissions = [
            ("view_analytics", _("Can see a programme's awards figures and analytics")),
            ("manage_staff", _("Can invite a programme's staff and change their roles")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("staff:home", kwargs={"programme": self.slug})


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")
    ISSUER = "issuer", _("Issuer")
    VIEWER = "viewer", _("Viewer")


class StaffRole(models.Model):
    """One person's role in one programme."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["programme", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "programme"], name="one_role_per_programme")]

    def __str__(self):
        return f"{self.user} · {self.programme} · {self.get_role_display()}"


class StaffInvite(models.Model):
    """An invitation by email to take a role in a programme (signed, expiring, single-use link)."""

    email = models.EmailField(_("email"))
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invites")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    language = models.CharField(_("language"), max_length=10, default="en", choices=settings.LANGUAGES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.programme} ({self.role})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
