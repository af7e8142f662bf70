"""Indexes for a million awards (issue 13.2, benchmarks/scale.py checks the plans).

- The console's figures (per programme: issued, accepted, pending, revoked, expiring) count awards by
  achievement, state and expiry date: one index holds all three and the id counted (a key column: SQLite
  has no INCLUDE), so PostgreSQL counts from the index alone.
- The staff search matches a substring of the recipient's name or email (`icontains`: UPPER(col) LIKE
  UPPER('%q%')) or an exact credential or external id (`iexact`): on PostgreSQL, trigram GIN indexes on the
  upper-cased name and email (the pg_trgm extension, shipped with PostgreSQL) and B-tree indexes on the
  upper-cased ids. SQLite has no such index types: there they are skipped (the embedded default's volumes
  do not need them).
"""

from django.db import migrations, models

POSTGRES_INDEXES = [
    ("award_name_trgm", "USING gin (UPPER(recipient_name::text) gin_trgm_ops)"),
    ("award_email_trgm", "USING gin (UPPER(recipient_email::text) gin_trgm_ops)"),
    ("award_public_id_upper", "(UPPER(public_id::text))"),
    ("award_external_id_upper", "(UPPER(external_id::text))"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in POSTGRES_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON credentials_award {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in POSTGRES_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("credentials", "0008_add_publishing_mode_eqf_esco")]

    operations = [
        migrations.AddIndex(
            model_name="award",
            index=models.Index(fields=["achievement", "state", "expires_at", "id"], name="award_figures"),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
