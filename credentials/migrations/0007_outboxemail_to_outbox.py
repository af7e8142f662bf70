"""OutboxEmail moved to the outbox app (outbox 0001). State only: the table and its rows stay.

Its content type is relabelled credentials → outbox, so the permissions attached to it (and the groups and
users holding them) follow the model: `credentials.change_outboxemail` becomes `outbox.change_outboxemail`.
"""

from django.db import migrations


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    source = ContentType.objects.filter(app_label=old, model="outboxemail").first()
    if source is None:
        return  # a new database: post_migrate creates the content type and permissions afterwards
    target = ContentType.objects.filter(app_label=new, model="outboxemail").first()
    if target is None:
        source.app_label = new
        source.save(update_fields=["app_label"])
        return
    # Both exist (post_migrate ran in between): give the holders of each old permission the new one.
    for permission in Permission.objects.filter(content_type=source):
        twin = Permission.objects.filter(content_type=target, codename=permission.codename).first()
        if twin is not None:
            twin.group_set.add(*permission.group_set.all())
            twin.user_set.add(*permission.user_set.all())
    source.delete()


def forwards(apps, schema_editor):
    _relabel(apps, "credentials", "outbox")


def backwards(apps, schema_editor):
    _relabel(apps, "outbox", "credentials")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("credentials", "0006_achievement_programme_status"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboxEmail")],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
