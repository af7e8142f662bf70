"""Issue 9.10, the command-line contract (in-process part; tests/test_cli_output.py runs the commands as
processes): a file issued already reports "created": 0 and "skipped": N when run again, in the command and
in the staff console; commands that print or sign links warn when BASE_URL is not set; revoke --json."""

import contextlib
import io
import json
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from credentials.models import Award, BulkJob, BulkRow

from .test_bulk import GOOD, console, make_csv  # noqa: F401  (console: the staff console fixture)

WARNING = "BASE_URL is not set; links use http://127.0.0.1:8000"


def bulk_issue(path, *extra) -> dict:
    out = io.StringIO()
    with contextlib.suppress(CommandError):  # problems: exit status 1, the report is printed all the same
        call_command("bulk_issue", "--achievement", "negotiation", str(path), "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db(transaction=True)  # the command commits, and the embedded default runs the job on commit
def test_running_the_same_file_again_reports_what_this_run_did(achievement, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(make_csv(GOOD))
    first = bulk_issue(path)
    assert first == {"rows": 3, "valid": 3, "created": 3, "skipped": 0, "errors": []}
    again = bulk_issue(path)
    assert again == {"rows": 3, "valid": 3, "created": 0, "skipped": 3, "errors": []}
    assert Award.objects.count() == 3
    text = io.StringIO()
    call_command("bulk_issue", "--achievement", "negotiation", str(path), stdout=text, stderr=io.StringIO())
    assert "issued 0, skipped 3 (already issued), 0 problems." in text.getvalue()


@pytest.mark.django_db(transaction=True)
def test_counts_add_up_with_rows_that_failed(achievement, tmp_path):
    from credentials.services import issuing as award_services

    real = award_services._award_build

    def refuse_lea(**kwargs):
        if kwargs["recipient"].email.startswith("lea"):
            raise ValidationError({"recipient_email": "Refused by the mail server."})
        return real(**kwargs)

    path = tmp_path / "people.csv"
    path.write_bytes(make_csv(GOOD))
    with mock.patch.object(award_services, "_award_build", side_effect=refuse_lea):
        first = bulk_issue(path)
    failed = [{"line": 3, "field": "", "message": "Refused by the mail server."}]
    assert (first["created"], first["skipped"], first["errors"]) == (2, 0, failed)
    again = bulk_issue(path)
    assert (again["created"], again["skipped"], again["errors"]) == (0, 2, failed)
    assert again["created"] + again["skipped"] + len(again["errors"]) == again["valid"] == 3


@pytest.mark.django_db(transaction=True)
def test_a_job_that_stopped_reports_only_the_rows_of_the_resuming_run(achievement, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(make_csv(GOOD))
    bulk_issue(path)
    # what a job that stopped after two rows leaves: the third row not done, the job failed
    job = BulkJob.objects.get()
    row = BulkRow.objects.get(job=job, line=4)
    Award.objects.filter(pk=row.award_id).delete()
    BulkRow.objects.filter(pk=row.pk).update(done=False, award=None, data=row.data | {"outcome": ""})
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.FAILED, created_count=2, finished_at=None)
    resumed = bulk_issue(path)
    assert (resumed["created"], resumed["skipped"]) == (1, 2) and Award.objects.count() == 3


def test_the_console_says_a_file_was_issued_already(console, achievement, django_capture_on_commit_callbacks):  # noqa: F811
    add_url = reverse("admin:credentials_bulkjob_add")
    console.post(add_url, {"achievement": achievement.pk, "file": SimpleUploadedFile("a.csv", make_csv(GOOD))})
    job = BulkJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        console.post(reverse("admin:credentials_bulkjob_start", args=[job.pk]))
    again = SimpleUploadedFile("again.csv", make_csv(GOOD))
    response = console.post(add_url, {"achievement": achievement.pk, "file": again}, follow=True)
    html = response.content.decode()
    assert "This file was issued already" in html and "nothing new was issued" in html
    assert "Done: 3 issued, 0 already issued earlier, 0 failed." in html  # that job's own report
    assert Award.objects.count() == 3 and BulkJob.objects.count() == 1


# --- BASE_URL -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    [
        ["issue_credential", "--achievement", "negotiation", "--email", "a@example.org", "--name", "A", "--json"],
        ["bulk_issue", "--achievement", "negotiation", "FILE", "--dry-run"],
        ["revoke_credential", "AWARD", "--reason", "Mistake"],
        ["send_claim_reminders"],
        ["load_demo"],
    ],
    ids=lambda command: command[0],
)
def test_commands_warn_when_base_url_is_not_set(award, tmp_path, monkeypatch, settings, command):
    (tmp_path / "people.csv").write_bytes(make_csv(GOOD))
    args = [str(tmp_path / "people.csv") if a == "FILE" else award.public_id if a == "AWARD" else a for a in command]
    monkeypatch.delenv("BASE_URL", raising=False)
    settings.BASE_URL = "http://127.0.0.1:8000"
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    assert err.getvalue().count(WARNING) == 1 and WARNING not in out.getvalue()
    if "--json" in args:
        json.loads(out.getvalue())  # the warning stays out of the JSON


@pytest.mark.django_db
def test_no_warning_when_base_url_is_set(achievement, monkeypatch, settings):
    monkeypatch.setenv("BASE_URL", "https://badges.example.org")
    settings.BASE_URL = "https://badges.example.org"
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "issue_credential", "--achievement", "negotiation", "--email", "a@example.org", "--name", "A", "--json",
        stdout=out, stderr=err,
    )  # fmt: skip
    assert "BASE_URL" not in err.getvalue()
    assert json.loads(out.getvalue())["verify_url"].startswith("https://badges.example.org/c/")


@pytest.mark.django_db
def test_revoke_credential_json(award, settings):
    out = io.StringIO()
    call_command("revoke_credential", award.public_id, "--reason", "Duplicate", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "id": award.public_id,
        "state": "revoked",
        "reason": "Duplicate",
        "verify_url": f"{settings.BASE_URL}/c/{award.public_id}/",
    }
