"""The holes of issue 9.1, closed: issuing, revoking and reissuing from the console each need their permission,
and a refusal is a 403 page that changes nothing."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from credentials.models import Award

from .matrix import ISSUE, REVOKE

pytestmark = pytest.mark.django_db

ISSUE_URL = reverse("admin:credentials_award_issue")
REVOKE_URL = reverse("admin:credentials_award_revoke")


def _issue_form(achievement):
    return {"achievement": achievement.pk, "recipient_name": "Lea Martin", "recipient_email": "lea@example.org",
            "recipient_kind": "person"}  # fmt: skip


def _revoke_form(award, mode):
    return {"ids": [award.pk], "mode": mode, "reason": "Issued to the wrong person."}


def _unchanged(award, audit_count):
    award.refresh_from_db()
    return award.state == "issued" and Award.objects.count() == 1 and AuditEntry.objects.count() == audit_count


def test_staff_without_permission_can_neither_issue_nor_revoke(staff_without_permission_client, award):
    client, audit_count = staff_without_permission_client, AuditEntry.objects.count()
    assert client.get(ISSUE_URL).status_code == 403
    refused = client.post(ISSUE_URL, _issue_form(award.achievement))
    assert refused.status_code == 403 and "Nothing was changed." in refused.content.decode()
    assert client.get(REVOKE_URL, {"ids": award.pk, "mode": "revoke"}).status_code == 403
    assert client.post(REVOKE_URL, _revoke_form(award, "revoke")).status_code == 403
    assert client.post(REVOKE_URL, _revoke_form(award, "reissue")).status_code == 403
    assert _unchanged(award, audit_count)


def test_issuing_needs_add_award_and_nothing_more(staff_with, award):
    client = staff_with(ISSUE)
    assert "Issue a credential" in client.get(ISSUE_URL).content.decode()
    response = client.post(ISSUE_URL, _issue_form(award.achievement))
    assert response.status_code == 302
    issued = Award.objects.get(recipient_email="lea@example.org")
    assert AuditEntry.objects.get(action="award.issue", subject_id=str(issued.pk)).actor == client.user
    audit_count = AuditEntry.objects.count()
    assert client.post(REVOKE_URL, _revoke_form(award, "revoke")).status_code == 403
    assert client.post(REVOKE_URL, _revoke_form(award, "reissue")).status_code == 403
    award.refresh_from_db()
    assert award.state == "issued" and AuditEntry.objects.count() == audit_count


def test_revoking_needs_revoke_award_and_reissuing_also_add_award(staff_with, award):
    revoker = staff_with(REVOKE)
    audit_count = AuditEntry.objects.count()
    assert revoker.post(REVOKE_URL, _revoke_form(award, "reissue")).status_code == 403  # a reissue also issues
    assert revoker.post(ISSUE_URL, _issue_form(award.achievement)).status_code == 403
    assert _unchanged(award, audit_count)
    assert revoker.post(REVOKE_URL, _revoke_form(award, "revoke")).status_code == 302
    award.refresh_from_db()
    assert award.state == "revoked"
    assert AuditEntry.objects.get(action="award.revoke").actor == revoker.user


def test_reissuing_with_both_permissions(staff_with, award):
    client = staff_with(REVOKE, ISSUE)
    assert client.post(REVOKE_URL, _revoke_form(award, "reissue")).status_code == 302
    award.refresh_from_db()
    assert award.state == "revoked" and award.replaced_by.recipient_name == award.recipient_name


def test_the_award_list_offers_only_what_the_account_may_do(staff_with, award):
    viewer = staff_with("credentials.view_award")
    page = viewer.get(reverse("admin:credentials_award_changelist"))
    assert page.status_code == 200
    assert page.context["action_form"] is None  # no action it may take
    assert reverse("admin:credentials_award_issue") not in page.content.decode()
    both = staff_with("credentials.view_award", REVOKE, ISSUE)
    page = both.get(reverse("admin:credentials_award_changelist"))
    actions = [value for value, _label in page.context["action_form"].fields["action"].choices if value]
    assert actions == ["revoke", "reissue"]


def test_bulk_upload_without_issuing(staff_with, achievement):
    from credentials.bulk.services import bulk_job_create

    uploader = staff_with("credentials.add_bulkjob", "credentials.view_bulkjob")
    job = bulk_job_create(achievement=achievement, data=b"email,name\nzoe@example.org,Zoe\n", filename="a.csv")
    page = uploader.get(reverse("admin:credentials_bulkjob_change", args=[job.pk])).content.decode()
    assert reverse("admin:credentials_bulkjob_start", args=[job.pk]) not in page  # no "Issue" button
    assert uploader.post(reverse("admin:credentials_bulkjob_start", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.state == "ready" and not Award.objects.exists()


def test_view_on_site_needs_the_models_view_permission(staff_without_permission_client, staff_with, award):
    from django.contrib.contenttypes.models import ContentType

    url = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Award).pk, award.pk])
    assert staff_without_permission_client.get(url).status_code == 403  # no walking award ids to names
    response = staff_with("credentials.view_award").get(url)
    assert response.status_code == 302 and response["Location"].endswith(award.get_absolute_url())


def test_draft_previews_are_never_cached_publicly(staff_with, default_framework):
    from frameworks.services import framework_new_version

    draft = framework_new_version(source=default_framework)
    url = reverse("frameworks:sample_badge", args=[draft.badgecategory_set.first().pk])
    response = staff_with("frameworks.view_badgecategory").get(url)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    published = reverse("frameworks:sample_badge", args=[default_framework.badgecategory_set.first().pk])
    assert "public" in staff_with().get(published)["Cache-Control"]
