"""Absolute URLs of the applications app (under BASE_URL), for emails and signed credentials."""

from django.conf import settings
from django.urls import reverse

from .models import Application, ApplicationFile
from .tokens import review_tokens


def review_url(application: Application) -> str:
    """The nominee's signed link for the application's current submission."""
    kwargs = {"pk": application.pk, "token": review_tokens.make_token(application)}
    return settings.BASE_URL + reverse("applications:review", kwargs=kwargs)


def mine_url() -> str:
    return settings.BASE_URL + reverse("applications:list")


def public_file_url(item: ApplicationFile) -> str:
    """Where an approved application's file is served publicly (it is evidence in the signed credential)."""
    kwargs = {"key": item.public_key, "filename": item.filename}
    return settings.BASE_URL + reverse("applications:public_file", kwargs=kwargs)


def apply_url(achievement) -> str:
    return reverse("applications:apply", kwargs={"slug": achievement.slug})
