"""The shared fixtures give what they promise (tests/conftest.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from frameworks.models import BadgeCategory, CertificateTier, Framework, GlossaryTerm, StackingRule
from frameworks.services import framework_load_defaults
from tests.factories import CategoryFactory, FrameworkFactory, TierFactory

MODELS = [
    Framework,
    CertificateTier,
    BadgeCategory,
    GlossaryTerm,
    StackingRule,
    StackingRule.allowed_categories.through,
    StackingRule.allowed_tiers.through,
    AuditEntry,
]


def dump() -> dict:
    """Every row of the framework tables and the audit log, with each key replaced by the position of the row
    it names (so that two loads with different primary keys compare equal); date-times are left out."""
    rows = {model: list(model.objects.order_by("pk")) for model in MODELS}
    position = {(m._meta.label_lower, row.pk): i for m, rs in rows.items() for i, row in enumerate(rs)}
    out = {}
    for model, model_rows in rows.items():
        out[model._meta.label_lower] = table = []
        for row in model_rows:
            values = {}
            for field in model._meta.concrete_fields:
                value = getattr(row, field.attname)
                if field.primary_key or field.get_internal_type() == "DateTimeField":
                    continue
                if field.is_relation and value is not None:
                    value = position[(field.related_model._meta.label_lower, value)]
                values[field.name] = value
            if model is AuditEntry:
                values["subject_id"] = position[(row.subject_type, int(row.subject_id))]
            table.append(values)
    return out


def test_default_framework_is_what_framework_load_defaults_writes(default_framework):
    assert default_framework.is_current and default_framework.is_published
    copied = dump()
    assert len(copied["frameworks.badgecategory"]) >= 9 and len(copied["audit.auditentry"]) > 50

    Framework.objects.all().delete()
    AuditEntry.objects.all().delete()
    loaded, created = framework_load_defaults()
    assert created
    assert dump() == copied


@pytest.fixture
def keys_taken(issuer):
    """Rows written (and the framework ones deleted) before the framework: every table's next key differs from
    the one it had when the snapshot was taken."""
    CategoryFactory(framework=TierFactory().framework)
    Framework.objects.all().delete()


def test_default_framework_rows_take_new_keys_and_point_at_each_other(keys_taken, default_framework):
    assert AuditEntry.objects.filter(action="issuer.create").count() == 1  # kept, with its key
    publish = AuditEntry.objects.get(action="framework.publish")
    assert publish.subject_id == str(default_framework.pk)
    category = default_framework.badgecategory_set.get(code="competency")
    assert AuditEntry.objects.filter(action="framework.badgecategory.create", subject_id=str(category.pk)).exists()
    rules = StackingRule.objects.filter(framework=default_framework)
    assert rules.exists()
    for rule in rules:
        linked = [rule.result_tier, rule.result_category, *rule.allowed_categories.all(), *rule.allowed_tiers.all()]
        assert all(part.framework_id == default_framework.pk for part in linked if part is not None)


def test_dates_read_as_the_time_of_the_copy(db, _default_framework_snapshot, monkeypatch):
    later = timezone.now() + timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    framework = _default_framework_snapshot.replay()
    assert later - timedelta(seconds=5) <= framework.published_at <= later
    entries = AuditEntry.objects.filter(action__startswith="framework.")
    assert entries.count() > 50 and not entries.filter(created_at__lt=later - timedelta(seconds=30)).exists()


@pytest.fixture
def earlier_framework(db):
    return FrameworkFactory()


def test_an_existing_framework_is_kept_as_framework_load_defaults_keeps_it(earlier_framework, default_framework):
    assert default_framework == earlier_framework and Framework.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_default_framework_in_transactional_tests(run, default_framework):
    """Committed for real, flushed after each test, copied again into the next one."""
    assert Framework.objects.get() == default_framework
    assert default_framework.badgecategory_set.filter(code="competency").exists()
