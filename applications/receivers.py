"""Reactions to other apps' signals (connected in ApplicationsConfig.ready)."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from credentials.signals import achievement_page_context


@receiver(achievement_page_context)
def apply_button(sender, achievement, request, **kwargs):
    """ "Apply for this credential" on the achievement's public page when its route is open."""
    from django.urls import reverse

    from . import selectors

    route = selectors.open_route_of(achievement)
    if route is None:
        return {}
    latest = selectors.latest_of(getattr(request, "user", None), achievement)
    return {
        "actions_template": "applications/_apply_button.html",
        "apply_url": reverse("applications:apply", kwargs={"slug": achievement.slug}),
        "application": latest if latest is not None and latest.state != "withdrawn" else None,
    }


def delete_user_files(sender, instance, **kwargs):
    """Deleting an account deletes its applications (cascade): remove their files from private storage too."""
    from django.db import transaction

    from wallets.storage import private_storage

    from .models import ApplicationFile

    names = list(ApplicationFile.objects.filter(application__user=instance).values_list("file", flat=True))
    if names:
        storage = private_storage()
        transaction.on_commit(lambda: [storage.delete(name) for name in names if name])


def connect_user_deletion():
    from django.contrib.auth import get_user_model

    pre_delete.connect(delete_user_files, sender=get_user_model(), dispatch_uid="applications.delete_user_files")


connect_user_deletion()
