"""Learners' applications for credentials that need evidence, their review, mentoring sessions, and goals.

An `ApplicationRoute` opens one achievement (of an evidence category: learning application, mentoring and
coaching, community of practice, interests and goals) to applications, with what evidence it asks for.
An `Application` is one learner's request with evidence (narrative, links, `ApplicationFile`s, and for mentoring
routes `MentoringSession`s): submitted → changes requested → (resubmitted) submitted → approved | declined;
the learner may withdraw an open one. `round` counts submissions (the nominee's signed link is bound to it).
`ApplicationReview` records each decision or session confirmation with its comment and author (a staff user
or the nominee). `LearnerGoal` is an achievement a learner aims at.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credentials.models import Achievement, Award
from wallets.storage import private_storage

#: Framework categories whose achievements are earned with evidence a reviewer reads.
EVIDENCE_CATEGORIES = ("learning_application", "mentoring_coaching", "community_of_practice", "interests_goals")


def _key() -> str:
    return secrets.token_urlsafe(24)


def file_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"applications/{instance.application_id}/{secrets.token_hex(12)}.{extension}"


class ApplicationRoute(models.Model):
    class Nominee(models.TextChoices):
        NONE = "", _("No nominee: programme staff review")
        ASSESSOR = "assessor", _("The learner may nominate an assessor")
        MENTOR = "mentor", _("The learner may nominate a mentor")

    achievement = models.OneToOneField(
        Achievement, on_delete=models.CASCADE, related_name="application_route", verbose_name=_("achievement")
    )
    is_open = models.BooleanField(_("open for applications"), default=False)
    instructions = models.TextField(_("instructions for applicants"), blank=True)
    nominee = models.CharField(_("nominee"), max_length=10, choices=Nominee.choices, blank=True, default="")
    sessions_required = models.PositiveSmallIntegerField(
        _("mentoring sessions required"), default=0, help_text=_("Confirmed sessions needed before approval (0: none).")
    )
    narrative_required = models.BooleanField(_("narrative required"), default=True)
    min_files = models.PositiveSmallIntegerField(_("files required (at least)"), default=0)
    min_links = models.PositiveSmallIntegerField(_("links required (at least)"), default=0)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("application route")
        verbose_name_plural = _("application routes")

    def __str__(self):
        return str(self.achievement)


class Application(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        CHANGES = "changes_requested", _("Changes asked")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Role(models.TextChoices):
        ASSESSOR = "assessor", _("Assessor")
        MENTOR = "mentor", _("Mentor")

    OPEN_STATES = (State.SUBMITTED, State.CHANGES)

    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="applications", verbose_name=_("achievement")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications", verbose_name=_("applicant")
    )
    email = models.EmailField(_("credential address"))
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    narrative = models.TextField(_("narrative"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    round = models.PositiveIntegerField(_("submission"), default=1)
    nominee_email = models.EmailField(_("nominee's email"), blank=True)
    nominee_name = models.CharField(_("nominee's name"), max_length=200, blank=True)
    nominee_role = models.CharField(_("nominee's role"), max_length=10, choices=Role.choices, blank=True)
    nominee_language = models.CharField(_("nominee's language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    award = models.ForeignKey(
        Award,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("credential"),
    )
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["achievement", "user"],
                condition=Q(state__in=("submitted", "changes_requested")),
                name="one_open_application_per_person",
            )
        ]
        indexes = [models.Index(fields=["state", "submitted_at"], name="application_state_submitted")]

    def __str__(self):
        return f"{self.name} · {self.achievement}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class ApplicationFile(models.Model):
    """A cleaned evidence file (wallets.uploads) in private storage. Served to the applicant, the programme's staff
    and the nominee; once the application is approved also publicly at its unguessable `public_key` (it is then
    evidence in the signed credential)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files", verbose_name=_("application")
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=file_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size"), default=0)
    public_key = models.CharField(_("public key"), max_length=40, unique=True, default=_key, editable=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.filename


class MentoringSession(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("application")
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date} · {self.topic}"


class ApplicationReview(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approved")
        CHANGES = "changes", _("Asked for changes")
        DECLINE = "decline", _("Declined")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    round = models.PositiveIntegerField(_("submission"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("reviewer"),
    )  # fmt: skip
    by_nominee = models.BooleanField(_("by the nominee"), default=False)
    author_name = models.CharField(_("reviewer's name"), max_length=200, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_decision_display()} · {self.application}"


class LearnerGoal(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_goals", verbose_name=_("learner")
    )
    achievement = models.ForeignKey(
        Achievement, on_delete=models.CASCADE, related_name="goals", verbose_name=_("target achievement")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("set"), auto_now_add=True)

    class Meta:
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "achievement"], name="one_goal_per_achievement")]

    def __str__(self):
        return f"{self.user} → {self.achievement}"
