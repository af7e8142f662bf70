"""Learner wallets: what a learner adds around the awards issued to them.

Membership is derived, not stored: a learner's wallet holds every award whose recipient_email is one of
their *verified* email addresses (allauth EmailAddress; an address belongs to one account). The issuer's
Award row is never owned or changed by the wallet, except through credentials.services (accept, decline).
`WalletEntry` keeps the holder's settings for one award (public or private) and is created when the
learner first accepts or changes it; without an entry a credential is private.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credentials.models import new_public_id  # noqa: F401 (one generator; wallets' migrations name it here)

from .storage import private_storage


def evidence_path(instance, filename: str) -> str:
    # The stored name is random (the sanitised original name is kept in a field, for display only).
    return f"evidence/{instance.user_id}/{secrets.token_hex(12)}{_extension(filename)}"


def external_path(instance, filename: str) -> str:
    return f"imports/{instance.user_id}/{secrets.token_hex(12)}{_extension(filename)}"


def _extension(filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f".{ext}" if ext in ("pdf", "png", "jpg", "svg", "json") else ""


class Profile(models.Model):
    """The learner's public face: /u/<handle>/ lists their public credentials and collections."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet_profile")
    handle = models.SlugField(_("profile address"), max_length=40, unique=True)
    display_name = models.CharField(_("name shown on your profile"), max_length=120)
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public profile"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")

    def __str__(self):
        return self.handle

    def get_absolute_url(self):
        return reverse("wallets:profile", kwargs={"handle": self.handle})


class WalletEntry(models.Model):
    """The holder's settings for one award of their wallet (the award itself is the issuer's record)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet_entries")
    award = models.ForeignKey("credentials.Award", on_delete=models.CASCADE, related_name="wallet_entries")
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("wallet entry")
        verbose_name_plural = _("wallet entries")
        constraints = [models.UniqueConstraint(fields=["user", "award"], name="one_entry_per_award_and_user")]

    def __str__(self):
        return f"{self.user_id}:{self.award_id}"


class ExternalCredential(models.Model):
    """An Open Badge from another issuer, imported after verification, with the verification report."""

    class Kind(models.TextChoices):
        OB2 = "ob2", _("Open Badges 2.0")
        OB3 = "ob3", _("Open Badges 3.0")

    class Source(models.TextChoices):
        FILE = "file", _("Uploaded file")
        URL = "url", _("Address")
        TEXT = "text", _("Pasted JSON")

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_credentials")
    kind = models.CharField(_("standard"), max_length=3, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    source_url = models.URLField(_("address"), max_length=500, blank=True)
    document_id = models.CharField(_("credential id"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=300)
    issuer_name = models.CharField(_("issuer"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    issued_on = models.CharField(_("issued"), max_length=40, blank=True)
    document = models.JSONField(_("credential"))
    report = models.JSONField(_("verification report"), default=dict)
    is_valid = models.BooleanField(_("valid when imported"), default=False)
    image = models.FileField(storage=private_storage, upload_to=external_path, blank=True, max_length=200)
    original = models.FileField(storage=private_storage, upload_to=external_path, blank=True, max_length=200)
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported credential")
        verbose_name_plural = _("imported credentials")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document_id"], condition=~Q(document_id=""), name="import_once_per_user"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("wallets:external", kwargs={"public_id": self.public_id})


class RecipientEvidence(models.Model):
    """Evidence the recipient adds after the award: shown apart from what the issuer signed."""

    class Kind(models.TextChoices):
        NARRATIVE = "narrative", _("Narrative")
        LINK = "link", _("Link")
        FILE = "file", _("File")

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence")
    award = models.ForeignKey("credentials.Award", on_delete=models.CASCADE, related_name="recipient_evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    narrative = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(storage=private_storage, upload_to=evidence_path, blank=True, max_length=200)
    filename = models.CharField(_("file name"), max_length=120, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    size = models.PositiveIntegerField(default=0)
    is_public = models.BooleanField(_("show on the verification page"), default=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("recipient evidence")
        verbose_name_plural = _("recipient evidence")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title

    @property
    def file_url(self) -> str:
        return reverse("wallets:evidence_file", kwargs={"public_id": self.public_id}) if self.file else ""

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/png", "image/jpeg")


class Endorsement(models.Model):
    """A comment vouching for an award: from a person the learner asked (no account needed) or from an issuer
    (staff). Exported as an Open Badges 3.0 EndorsementCredential signed by the platform and as a 2.0
    Endorsement."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        GIVEN = "given", _("Given")
        DECLINED = "declined", _("Declined")

    class Kind(models.TextChoices):
        PEER = "peer", _("Colleague or supervisor")
        ISSUER = "issuer", _("Issuer")

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    award = models.ForeignKey("credentials.Award", on_delete=models.CASCADE, related_name="endorsements")
    kind = models.CharField(_("endorser"), max_length=8, choices=Kind.choices, default=Kind.PEER)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="endorsement_requests"
    )
    endorser_issuer = models.ForeignKey(
        "credentials.Issuer", null=True, blank=True, on_delete=models.PROTECT, related_name="endorsements_given"
    )
    endorser_name = models.CharField(_("endorser's name"), max_length=200)
    endorser_email = models.EmailField(_("endorser's email"), blank=True)
    endorser_title = models.CharField(_("role or relationship"), max_length=200, blank=True)
    message = models.TextField(_("message to the endorser"), blank=True)
    comment = models.TextField(_("endorsement"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    is_hidden = models.BooleanField(_("hidden by the learner"), default=False)
    credential = models.JSONField(_("signed EndorsementCredential"), null=True, blank=True, editable=False)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    endorsed_at = models.DateTimeField(_("endorsed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["-endorsed_at", "-requested_at", "-id"]
        indexes = [models.Index(fields=["award", "state"])]

    def __str__(self):
        return f"{self.endorser_name} → {self.award_id} ({self.state})"

    @property
    def comment_shown(self) -> bool:
        return self.state == self.State.GIVEN and not self.is_hidden


class Collection(models.Model):
    """A named, ordered showcase of credentials, public or private, with a shareable link."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("wallets:collection_public", kwargs={"public_id": self.public_id})


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    award = models.ForeignKey("credentials.Award", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    external = models.ForeignKey(
        ExternalCredential, null=True, blank=True, on_delete=models.CASCADE, related_name="collection_items"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(award__isnull=False) & Q(external__isnull=True))
                | (Q(award__isnull=True) & Q(external__isnull=False)),
                name="collection_item_one_credential",
            ),
            models.UniqueConstraint(
                fields=["collection", "award"], condition=Q(award__isnull=False), name="award_once_per_collection"
            ),
            models.UniqueConstraint(
                fields=["collection", "external"],
                condition=Q(external__isnull=False),
                name="external_once_per_collection",
            ),
        ]

    def __str__(self):
        return f"{self.collection_id}#{self.position}"


class ShareEvent(models.Model):
    """One share action (analytics). The person is unlinked when their account is deleted."""

    class Channel(models.TextChoices):
        LINKEDIN_PROFILE = "linkedin_profile", _("LinkedIn profile")
        LINKEDIN = "linkedin", _("LinkedIn post")
        X = "x", "X"
        FACEBOOK = "facebook", "Facebook"
        WHATSAPP = "whatsapp", "WhatsApp"
        EMAIL = "email", _("Email")
        LINK = "link", _("Copied link")
        SIGNATURE = "signature", _("Email signature")
        EMBED = "embed", _("Embedded widget")
        QR = "qr", _("QR code")

    award = models.ForeignKey("credentials.Award", on_delete=models.CASCADE, related_name="share_events")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="share_events"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("share event")
        verbose_name_plural = _("share events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["award", "channel"])]

    def __str__(self):
        return f"{self.award_id} {self.channel} {self.at:%Y-%m-%d}"
