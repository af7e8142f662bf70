import pytest

from audit.models import AuditEntry
from frameworks.models import BadgeCategory, Framework, StackingRule

pytestmark = pytest.mark.django_db


def test_staff_sees_category_previews(staff_client, default_framework):
    category = BadgeCategory.objects.filter(framework=default_framework).first()
    response = staff_client.get(f"/admin/frameworks/badgecategory/{category.pk}/change/")
    assert response.status_code == 200
    assert f"/framework/badges/{category.pk}.png" in response.content.decode()
    listing = staff_client.get("/admin/frameworks/badgecategory/")
    assert listing.status_code == 200


def test_staff_sees_certificate_preview(staff_client, default_framework):
    tier = default_framework.certificatetier_set.first()
    response = staff_client.get(f"/admin/frameworks/certificatetier/{tier.pk}/change/")
    assert f"/framework/certificates/{tier.pk}/" in response.content.decode()


def test_published_parts_are_read_only_in_admin(staff_client, default_framework):
    category = BadgeCategory.objects.filter(framework=default_framework).first()
    response = staff_client.post(f"/admin/frameworks/badgecategory/{category.pk}/change/", {"name": "Hacked"})
    assert response.status_code == 403
    category.refresh_from_db()
    assert category.name != "Hacked"


def test_new_version_edit_and_publish_from_admin(staff_client, default_framework):
    response = staff_client.post(
        "/admin/frameworks/framework/",
        {"action": "new_version", "_selected_action": [default_framework.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft = Framework.objects.get(status="draft")
    category = draft.badgecategory_set.get(code="event")
    page = staff_client.get(f"/admin/frameworks/badgecategory/{category.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["required_fields"] = '["criteria"]'
    data["recipient_kinds"] = '["person", "organisation"]'
    data["name"] = "Event participation"
    response = staff_client.post(f"/admin/frameworks/badgecategory/{category.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    category.refresh_from_db()
    assert category.name == "Event participation"
    assert AuditEntry.objects.filter(action="framework.badgecategory.change", subject_id=str(category.pk)).exists()

    staff_client.post("/admin/frameworks/framework/", {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_current
    assert "Event participation" in staff_client.get("/framework/").content.decode()


def test_hostile_svg_template_is_refused_in_admin(staff_client, default_framework):
    from frameworks.services import framework_new_version

    draft = framework_new_version(source=default_framework)
    category = draft.badgecategory_set.first()
    page = staff_client.get(f"/admin/frameworks/badgecategory/{category.pk}/change/")
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in ((n, form[n].value()) for n in form.fields)}
    data["required_fields"] = '["criteria"]'
    data["recipient_kinds"] = '["person"]'
    data["svg_template"] = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    response = staff_client.post(f"/admin/frameworks/badgecategory/{category.pk}/change/", data)
    assert response.status_code == 200
    assert "event handler onload" in str(response.context["adminform"].form.errors)
    category.refresh_from_db()
    assert "onload" not in category.svg_template


def test_invalid_stacking_rule_is_refused_in_admin(staff_client, default_framework):
    from frameworks.services import framework_new_version

    draft = framework_new_version(source=default_framework)
    tier = draft.certificatetier_set.get(code="achievement")
    response = staff_client.post(
        "/admin/frameworks/stackingrule/add/",
        {
            "framework": draft.pk,
            "slug": "bad",
            "name": "Bad",
            "mode": "all",
            "components": "[]",
            "result_tier": tier.pk,
            "order": 0,
            "result_achievement": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "All of" in str(errors["components"])
    assert not StackingRule.objects.filter(slug="bad").exists()
