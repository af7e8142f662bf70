"""OutboxEmail moved from credentials to outbox (outbox 0001, credentials 0007): every row stays, with every
field, and the permissions on it follow the model (credentials.change_outboxemail → outbox.change_outboxemail).

The database is taken back to the migrations before the move, rows are written with the models of then,
and the move is applied again. Once on SQLite (fast pass) and once on PostgreSQL (integration pass).

The exchange app has no model (its state is a challenge in the cache), so it has no rows to carry.
"""

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from credentials.services import Recipient, award_issue
from outbox.models import OutboxEmail

BEFORE_MOVE = [("credentials", "0006_achievement_programme_status"), ("outbox", None)]
#: The models as they were before the move (with auth and contenttypes as they are: both migrated).
STATE_BEFORE = [
    ("credentials", "0006_achievement_programme_status"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("contenttypes", "0002_remove_content_type_name"),
]
MOVE = importlib.import_module("credentials.migrations.0007_outboxemail_to_outbox")
MOMENT = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


def _rows_before_the_move(award) -> tuple[list[dict], int]:
    """Migrate back to before the move, write outbox rows and a group holding the old permission with the
    models of then. Returns every outbox row (as the old model reads them) and the group's id."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_MOVE)
    old = executor.loader.project_state(STATE_BEFORE).apps
    assert not any(model._meta.app_label == "outbox" for model in old.get_models())
    OldEmail = old.get_model("credentials", "OutboxEmail")
    common = {"language": "fr", "body_text": "Bonjour\n"}
    OldEmail.objects.create(kind="claim", dedupe_key="m:1", award_id=award.pk, to_email="a@example.org",
                            subject="Votre badge", body_html="<p>Bonjour</p>", **common)  # fmt: skip
    OldEmail.objects.create(kind="claim_reminder", dedupe_key="m:2", award_id=None, to_email="b@example.org",
                            subject="Rappel", state="failed", attempts=3, last_error="SMTPDataError: 554",
                            **common)  # fmt: skip
    OldEmail.objects.create(kind="event_confirm", dedupe_key="m:3", to_email="c@example.org", subject="Sent",
                            state="sent", attempts=1, sending_since=MOMENT, sent_at=MOMENT, **common)  # fmt: skip
    rows = list(OldEmail.objects.order_by("pk").values())
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    content_type = ContentType.objects.get(app_label="credentials", model="outboxemail")
    group = old.get_model("auth", "Group").objects.create(name="Outbox staff")
    group.permissions.add(Permission.objects.get(content_type=content_type, codename="change_outboxemail"))
    return rows, group.pk


def _move_forward() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _check_the_move(award, django_user_model) -> None:
    before = OutboxEmail.objects.count()  # the award's own claim email, queued when it was issued
    try:
        rows, group_id = _rows_before_the_move(award)
    finally:
        _move_forward()  # never leave the test database half migrated
    assert OutboxEmail.objects.count() == before + 3
    assert list(OutboxEmail.objects.order_by("pk").values()) == rows  # every row, every field
    assert OutboxEmail.objects.get(dedupe_key="m:1").award == award
    assert not ContentType.objects.filter(app_label="credentials", model="outboxemail").exists()
    user = django_user_model.objects.create_user("outbox-staff", is_staff=True)
    user.groups.add(Group.objects.get(pk=group_id))
    assert user.has_perm("outbox.change_outboxemail")
    assert not user.has_perm("credentials.change_outboxemail")


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_and_permission(achievement, django_user_model):
    award = award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina"))
    _check_the_move(award, django_user_model)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_and_permission_on_postgresql(postgres, achievement, django_user_model):
    award = award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina"))
    _check_the_move(award, django_user_model)


@pytest.mark.django_db
def test_permissions_held_on_a_stale_content_type_are_carried_over(django_user_model):
    """When post_migrate created outbox's content type before the move ran, the holders of the old
    permissions get the new ones, and the stale content type goes."""
    stale = ContentType.objects.create(app_label="credentials", model="outboxemail")
    permission = stale.permission_set.create(codename="change_outboxemail", name="Can change outbox email")
    group = Group.objects.create(name="Outbox staff")
    group.permissions.add(permission)
    user = django_user_model.objects.create_user("direct")
    user.user_permissions.add(permission)

    MOVE.forwards(django_apps, None)

    ContentType.objects.clear_cache()
    assert not ContentType.objects.filter(app_label="credentials", model="outboxemail").exists()
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("outbox", "change_outboxemail")
    ]
    user = django_user_model.objects.get(pk=user.pk)
    assert user.has_perm("outbox.change_outboxemail")


@pytest.mark.django_db
def test_the_move_does_nothing_on_a_new_database():
    """No old content type (a database created with the apps as they are now): nothing to relabel."""
    ContentType.objects.filter(app_label="credentials", model="outboxemail").delete()
    count = ContentType.objects.count()
    MOVE.forwards(django_apps, None)
    assert ContentType.objects.count() == count
    assert ContentType.objects.filter(app_label="outbox", model="outboxemail").exists()
