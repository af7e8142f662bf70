import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEntry
from frameworks.models import BadgeCategory, Framework, StackingRule
from frameworks.services import (
    framework_new_version,
    framework_part_save,
    framework_publish,
    stacking_rule_save,
)
from tests.factories import CategoryFactory, FrameworkFactory, complete_draft

pytestmark = pytest.mark.django_db


def test_publish_makes_the_draft_current_and_audits_it():
    framework = complete_draft()
    framework_publish(framework=framework)
    framework.refresh_from_db()
    assert framework.status == "published" and framework.is_current and framework.published_at
    assert AuditEntry.objects.filter(action="framework.publish", subject_id=str(framework.pk)).exists()


def test_publishing_a_second_version_keeps_the_first_readable(client):
    first = complete_draft(title="First edition")
    framework_publish(framework=first)
    second = framework_new_version(source=first)
    second.title = "Second edition"
    second.save()
    framework_publish(framework=second)
    first.refresh_from_db()
    assert not first.is_current and first.status == "published"
    assert Framework.objects.get(is_current=True) == second

    current = client.get("/framework/")
    assert "Second edition" in current.content.decode()
    old = client.get(f"/framework/v/{first.version}/")
    assert old.status_code == 200
    body = old.content.decode()
    assert "First edition" in body and "This is an earlier version." in body
    assert client.get(f"/framework/v/{first.version}.json").json()["title"] == "First edition"


def test_incomplete_draft_cannot_be_published():
    framework = FrameworkFactory()
    CategoryFactory(framework=framework)
    with pytest.raises(ValidationError) as exc:
        framework_publish(framework=framework)
    assert "Missing certificate tiers" in exc.value.messages[0]
    framework.refresh_from_db()
    assert framework.status == "draft" and not framework.is_current


def test_published_framework_is_frozen():
    framework = complete_draft()
    framework_publish(framework=framework)
    category = BadgeCategory.objects.get(framework=framework)
    category.name = "Changed"
    with pytest.raises(ValidationError, match="published framework cannot be changed"):
        framework_part_save(part=category)
    assert BadgeCategory.objects.get(pk=category.pk).name != "Changed"
    with pytest.raises(ValidationError):
        framework_publish(framework=framework)


def test_new_version_copies_every_part_including_rules():
    source = complete_draft()
    category = BadgeCategory.objects.get(framework=source)
    tier = source.certificatetier_set.get(code="achievement")
    rule = StackingRule(framework=source, slug="skills", name="Skills", mode="n_of", required_count=3, result_tier=tier)
    stacking_rule_save(rule=rule, categories=[category], tiers=[])
    framework_publish(framework=source)

    draft = framework_new_version(source=source)
    assert draft.status == "draft" and draft.version == source.version + 1
    assert draft.certificatetier_set.count() == 3
    copied = StackingRule.objects.get(framework=draft)
    assert copied.result_tier.framework == draft and copied.result_tier.code == "achievement"
    assert [c.framework_id for c in copied.allowed_categories.all()] == [draft.pk]
    # the source is untouched
    assert StackingRule.objects.get(framework=source).allowed_categories.get() == category


def test_only_one_current_framework_at_database_level():
    a = complete_draft()
    framework_publish(framework=a)
    b = complete_draft()
    framework_publish(framework=b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.filter(pk=a.pk).update(is_current=True)


def test_draft_cannot_be_current_at_database_level():
    draft = FrameworkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.filter(pk=draft.pk).update(is_current=True)


def test_unknown_version_is_404(client, default_framework):
    assert client.get("/framework/v/999/").status_code == 404
    assert client.get("/framework/v/999.json").status_code == 404


def test_draft_version_is_not_public(client):
    draft = complete_draft()
    assert client.get(f"/framework/v/{draft.version}/").status_code == 404
