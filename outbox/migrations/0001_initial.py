"""OutboxEmail moves here from credentials. State only: the table (credentials_outboxemail) stays as it is,
with every row, index and constraint; credentials 0007 removes the model from credentials' state."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("credentials", "0006_achievement_programme_status"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxEmail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(max_length=40, verbose_name="kind")),
                        ("dedupe_key", models.CharField(max_length=200, unique=True)),
                        ("to_email", models.EmailField(max_length=254, verbose_name="to")),
                        ("language", models.CharField(default="en", max_length=10, verbose_name="language")),
                        ("subject", models.CharField(max_length=300, verbose_name="subject")),
                        ("body_text", models.TextField(verbose_name="text")),
                        ("body_html", models.TextField(blank=True, verbose_name="HTML")),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="state",
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="queued")),
                        (
                            "sending_since",
                            models.DateTimeField(blank=True, editable=False, null=True, verbose_name="sending since"),
                        ),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
                        (
                            "award",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="emails",
                                to="credentials.award",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "outbox email",
                        "verbose_name_plural": "outbox emails",
                        "db_table": "credentials_outboxemail",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["state", "created_at"], name="credentials_state_24f241_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
