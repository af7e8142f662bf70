"""Bulk issuance: CSV reading, the dry run (every problem, line-numbered, nothing issued), issuing in chunks
without ever issuing twice, the bulk_issue command and the staff console (upload → dry run → issue →
progress JSON → report CSV)."""

import codecs
import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from unittest import mock

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, path, reverse

import credentials.bulk.admin  # noqa: F401  (registered by credentials/admin.py once it imports it)
from audit.models import AuditEntry
from config import urls as project_urls
from credentials.bulk import csvfile, selectors, services
from credentials.bulk import tasks as bulk_tasks
from credentials.models import Award, BulkJob, BulkRow
from credentials.services import Recipient, award_issue

from .conftest import make_achievement

pytestmark = pytest.mark.django_db

# Used only while config/urls.py was loaded before the bulk admin was registered (see the `console` fixture).
urlpatterns = [p for p in project_urls.urlpatterns if str(p.pattern) != "admin/"] + [path("admin/", admin.site.urls)]

GOOD = (
    "email,name,external_id,issue_date,expiry,narrative,evidence_url,language\n"
    "amina.okonkwo@example.org,Amina Okonkwo,A-1,2026-01-15,2028-01-15,Led the simulation.,"
    "https://example.org/a.pdf,en\n"
    "lea.martin@example.org,Léa Martin,A-2,,,,,fr\n"
    "jose.garcia@example.org,José García,,,,,,es\n"
)


def make_csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def create(achievement, data: bytes, filename="people.csv", actor=None) -> BulkJob:
    return services.bulk_job_create(achievement=achievement, data=data, filename=filename, actor=actor)


def run(job, django_capture_on_commit_callbacks, actor=None) -> BulkJob:
    """Start a job; the embedded default runs its tasks in-process once the transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        services.bulk_job_start(job=job, actor=actor)
    job.refresh_from_db()
    return job


def lines_and_fields(job) -> set[tuple[int, str]]:
    return {(item["line"], item["field"]) for item in job.errors}


def assert_nothing_issued(job, django_capture_on_commit_callbacks):
    assert job.state == BulkJob.State.INVALID
    assert not BulkRow.objects.filter(job=job).exists()
    with pytest.raises(ValidationError, match="nothing can be issued"):
        run(job, django_capture_on_commit_callbacks)
    assert Award.objects.count() == 0


# --- Every bad file: line-numbered problems, nothing issued -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "words"),
    [
        pytest.param(
            "email,name\nok@example.org,Ok\nnot-an-email,Bad\nalso@bad@example.org,Bad Too\n",
            {(3, "email"), (4, "email")},
            "not a valid email",
            id="bad-email",
        ),
        pytest.param(
            "email,name\na@example.org,A\nb@example.org,B\nA@Example.org,A again\n",
            {(4, "email")},
            "already on line 2",
            id="duplicate-email",
        ),
        pytest.param(
            "email,name,external_id\na@example.org,A,X1\nb@example.org,B,X1\n",
            {(3, "external_id")},
            "already on line 2",
            id="duplicate-external-id",
        ),
        pytest.param("mail_to,name\na@example.org,A\n", {(1, "email")}, "no “email” column", id="missing-column"),
        pytest.param(
            "email,name\na@example.org,\n,B\n",
            {(2, "name"), (3, "email")},
            "missing",
            id="missing-value",
        ),
        pytest.param(
            "email,name,language\na@example.org,A,en\nb@example.org,B,klingon\n",
            {(3, "language")},
            "Unknown language “klingon”",
            id="unknown-language",
        ),
        pytest.param(
            "email,name,issue_date,expiry\na@example.org,A,31/12/2026,\nb@example.org,B,,2027-02-30\n",
            {(2, "issue_date"), (3, "expiry")},
            "YYYY-MM-DD",
            id="bad-dates",
        ),
        pytest.param(
            "email,name,issue_date,expiry\na@example.org,A,2026-05-01,2026-04-01\nb@example.org,B,,2001-01-01\n",
            {(2, "expiry"), (3, "expiry")},
            "expiry date",
            id="expiry-before-issue",
        ),
        pytest.param(
            "email,name,evidence_url\na@example.org,A,javascript:alert(1)\nb@example.org,B,example.org/x\n",
            {(2, "evidence_url"), (3, "evidence_url")},
            "not a valid web address",
            id="bad-evidence-url",
        ),
        pytest.param(
            "email,name,organisation\na@example.org,A,no\nACME <b@example.org>,ACME Ltd,yes\nc@example.org,C,maybe\n",
            {(3, "email"), (3, "organisation"), (4, "organisation")},
            "not awarded to a organisation",
            id="organisation-for-person-only-category",
        ),
        pytest.param(
            "email,name\na@example.org,A,surplus\n", {(2, "")}, "more than the header has columns", id="extra-values"
        ),
    ],
)
def test_every_problem_is_reported_with_its_line_and_nothing_is_issued(
    achievement, text, expected, words, django_capture_on_commit_callbacks
):
    job = create(achievement, make_csv(text))
    assert lines_and_fields(job) == expected, job.errors
    assert any(words in item["message"] for item in job.errors), job.errors
    assert_nothing_issued(job, django_capture_on_commit_callbacks)


def test_all_problems_of_a_file_at_once(achievement):
    text = "Email;Name;Language;Expiry\ngood@example.org;Good;en;\nbad;;xx;yesterday\ngood@example.org;Twice;;\n"
    job = create(achievement, make_csv(text))
    assert lines_and_fields(job) == {(3, "email"), (3, "name"), (3, "language"), (3, "expiry"), (4, "email")}
    assert [item["line"] for item in job.errors] == sorted(item["line"] for item in job.errors)
    assert job.total_rows == 3 and job.valid_rows == 1


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"\xef\xbb\xbf\r\n  \r\n", "empty", id="only-a-bom-and-blank-lines"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "image", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "image", id="jpeg"),
        pytest.param(b"%PDF-1.7\n", "PDF", id="pdf"),
        pytest.param(b"\x00\x01\x02\x03\x04\x05binary\x00\xff\xfe\x07" * 20, "not a text file", id="binary"),
    ],
)
def test_a_file_that_is_not_a_csv_gets_a_clear_error(achievement, data, words):
    with pytest.raises(ValidationError) as caught:
        create(achievement, data)
    assert words in " ".join(caught.value.message_dict["file"])
    assert not BulkJob.objects.exists() and Award.objects.count() == 0


def test_an_excel_workbook_is_recognised(achievement):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as workbook:
        workbook.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ValidationError, match="CSV UTF-8"):
        create(achievement, buffer.getvalue(), filename="people.xlsx")


def test_a_text_file_without_a_header_row(achievement, django_capture_on_commit_callbacks):
    job = create(achievement, make_csv("amina@example.org,Amina Okonkwo\nlea@example.org,Léa Martin\n"))
    assert lines_and_fields(job) == {(1, "email"), (1, "name")}
    assert "looks like a recipient" in job.errors[0]["message"]
    assert_nothing_issued(job, django_capture_on_commit_callbacks)


def test_size_and_row_limits(achievement, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(csvfile, "MAX_ROWS", 3)
    job = create(achievement, make_csv("email,name\n" + "".join(f"p{i}@example.org,P {i}\n" for i in range(5))))
    assert job.errors == [
        {"line": 5, "field": "", "message": "The file has more than 3 rows. Split it into several files."}
    ]
    assert_nothing_issued(job, django_capture_on_commit_callbacks)
    monkeypatch.setattr(csvfile, "MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="the limit is 0 MB"):
        create(achievement, b"email,name\n" + b"x" * 200)
    upload = SimpleUploadedFile("big.csv", b"email,name\n" + b"x" * 200, content_type="text/csv")
    with pytest.raises(ValidationError, match="Split it into several files"):
        services.bulk_job_create(achievement=achievement, uploaded_file=upload, filename="big.csv")


# --- Encodings and separators ---------------------------------------------------------------------------


NAMES = "email;name\nm.muller@example.org;Jürgen Müller\nzoe@example.org;Zoë Saldaña\nfr@example.org;François Lefèvre\n"


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        pytest.param(NAMES.encode("utf-8"), "UTF-8", ";", id="utf-8-semicolon"),
        pytest.param(codecs.BOM_UTF8 + NAMES.encode("utf-8"), "UTF-8", ";", id="utf-8-bom"),
        pytest.param(NAMES.encode("utf-16"), "UTF-16LE", ";", id="utf-16-bom"),
        pytest.param(codecs.BOM_UTF16_BE + NAMES.encode("utf-16-be"), "UTF-16BE", ";", id="utf-16-be-bom"),
        pytest.param(NAMES.encode("utf-16-le"), "UTF-16LE", ";", id="utf-16-le-no-bom"),
        pytest.param(NAMES.replace(";", ",").encode("cp1252"), "Windows-1252", ",", id="windows-1252"),
        pytest.param(NAMES.replace(";", "\t").replace("\n", "\r\n").encode("cp1252"), "Windows-1252", "\t", id="tabs"),
    ],
)
def test_encodings_and_separators(achievement, data, encoding, delimiter):
    job = create(achievement, data)
    assert job.state == BulkJob.State.READY, job.errors
    assert (job.encoding, job.delimiter) == (encoding, delimiter)
    names = [row.data["name"] for row in job.rows.order_by("line")]
    assert names == ["Jürgen Müller", "Zoë Saldaña", "François Lefèvre"]
    assert [row.line for row in job.rows.order_by("line")] == [2, 3, 4]


def test_header_names_are_case_insensitive_and_tolerate_spaces(achievement):
    text = (
        " E-Mail , Full Name ,Issue Date,  LANGUAGE ,Evidence URL, phone\n"
        "A@Example.org ,  Amina   Okonkwo ,2026-02-01,FR,https://example.org/e,123\n"
    )
    job = create(achievement, make_csv(text))
    assert job.state == BulkJob.State.READY, job.errors
    row = job.rows.get()
    assert row.data["email"] == "a@example.org" and row.data["name"] == "Amina Okonkwo"
    assert row.data["language"] == "fr" and row.data["issue_date"].startswith("2026-02-01T00:00:00")


def test_quoted_values_with_separators_and_line_breaks(achievement):
    text = 'email,name,narrative\na@example.org,"Okonkwo, Amina","Line one\nline two"\nb@example.org,B,\n'
    job = create(achievement, make_csv(text))
    assert job.state == BulkJob.State.READY, job.errors
    rows = list(job.rows.order_by("line"))
    assert [r.line for r in rows] == [2, 4]  # the second record starts on the file's 4th line
    assert rows[0].data["name"] == "Okonkwo, Amina" and rows[0].data["narrative"] == "Line one\nline two"


# --- Issuing --------------------------------------------------------------------------------------------


def test_happy_path(achievement, staff_client, django_capture_on_commit_callbacks, settings, tmp_path):
    user = staff_client.user
    job = create(achievement, make_csv(GOOD), actor=user)
    assert job.state == BulkJob.State.READY and job.total_rows == job.valid_rows == 3 and job.errors == []
    job = run(job, django_capture_on_commit_callbacks, actor=user)
    assert job.state == BulkJob.State.DONE and job.finished_at and job.started_at
    assert (job.created_count, job.skipped_count) == (3, 0)
    awards = {a.recipient_email: a for a in Award.objects.all()}
    assert set(awards) == {"amina.okonkwo@example.org", "lea.martin@example.org", "jose.garcia@example.org"}
    amina = awards["amina.okonkwo@example.org"]
    assert amina.recipient_name == "Amina Okonkwo" and amina.external_id == "A-1"
    assert (amina.issued_at.date().isoformat(), amina.expires_at.date().isoformat()) == ("2026-01-15", "2028-01-15")
    assert amina.evidence == [{"url": "https://example.org/a.pdf"}] and amina.narrative == "Led the simulation."
    assert awards["lea.martin@example.org"].recipient_language == "fr"
    assert awards["jose.garcia@example.org"].recipient_language == "es"
    assert all(
        a.created_by == user and a.idempotency_key.startswith(f"bulk:{achievement.pk}:") for a in awards.values()
    )
    assert all(row.done and row.award_id and row.data["outcome"] == "issued" for row in job.rows.all())
    actions = list(AuditEntry.objects.filter(subject_type="credentials.bulkjob").values_list("action", flat=True))
    assert sorted(actions) == ["bulk_job.create", "bulk_job.finish", "bulk_job.start"]
    assert AuditEntry.objects.filter(action="award.issue", actor=user).count() == 3
    # the artefacts task ran on commit (in-process here): baked images are in storage
    media = tmp_path / "media" / "baked"
    assert {p.name for p in media.iterdir()} >= {f"{amina.public_id}-ob3.png", f"{amina.public_id}-ob2.png"}


def test_reupload_issues_nothing_twice(achievement, django_capture_on_commit_callbacks):
    first = run(create(achievement, make_csv(GOOD)), django_capture_on_commit_callbacks)
    assert first.created_count == 3
    # the same content again: the same job, finished; nothing new
    again = create(achievement, make_csv(GOOD), filename="copy.csv")
    assert again.pk == first.pk
    run(again, django_capture_on_commit_callbacks)
    assert Award.objects.count() == 3
    # another file naming two of the same people (other order, other case) and one new person
    text = (
        "name,email,external_id\nJosé García,JOSE.GARCIA@example.org,\nNew Person,new@example.org,\n"
        "Amina Okonkwo,amina.okonkwo@example.org,A-1\n"
    )
    second = run(create(achievement, make_csv(text)), django_capture_on_commit_callbacks)
    assert second.pk != first.pk
    assert (second.created_count, second.skipped_count) == (1, 2)
    assert Award.objects.count() == 4
    assert Award.objects.filter(recipient_email="amina.okonkwo@example.org").count() == 1
    statuses = {row[1]: row[3] for row in list(selectors.bulk_job_report(second))[1:]}
    assert statuses == {
        "jose.garcia@example.org": "skipped",
        "new@example.org": "issued",
        "amina.okonkwo@example.org": "skipped",
    }
    # a value that a spreadsheet would run as a formula is neutralised in the report
    BulkRow.objects.filter(job=second, line=3).update(data={"email": "new@example.org", "name": "=HYPERLINK(1)"})
    assert [r for r in selectors.bulk_job_report(second) if r[0] == "3"][0][2] == "'=HYPERLINK(1)"
    # the same person with another external id is another credential (a second session, say)
    third = run(
        create(achievement, make_csv("email,name,external_id\namina.okonkwo@example.org,Amina Okonkwo,A-2\n")),
        django_capture_on_commit_callbacks,
    )
    assert third.created_count == 1 and Award.objects.count() == 5


def test_chunks_resume_and_never_issue_twice(achievement, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    monkeypatch.setattr(services, "BATCH_SIZE", 1)
    text = "email,name\n" + "".join(f"p{i}@example.org,Person {i}\n" for i in range(7))
    job = create(achievement, make_csv(text))
    # a worker issued the first rows, then died: the job is running, with rows left
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.RUNNING)
    plan = services.bulk_job_plan(job_id=job.pk)
    assert len(plan) == 4  # 7 rows in chunks of 2
    services.bulk_rows_issue(job_id=job.pk, first_row_id=plan[0][0], last_row_id=plan[0][1])
    # an award of a row not marked done (issued by another job with the same key) is linked, not reissued
    row = job.rows.order_by("line")[4]
    award_issue(
        achievement=achievement,
        recipient=Recipient(email="p4@example.org", name="P", idempotency_key=row.idempotency_key),
    )
    job.refresh_from_db()
    assert job.created_count == 2 and job.state == BulkJob.State.RUNNING
    assert bulk_tasks.bulk_job_run.delay(job.pk).get() == 3  # three chunks left
    # the redelivered first chunk finds its rows done, and announces its awards again (their follow-up tasks
    # may have been lost between the commit and the publish)
    with mock.patch("credentials.signals.award_issued.send") as announced:
        again = services.bulk_rows_issue(job_id=job.pk, first_row_id=plan[0][0], last_row_id=plan[0][1])
    assert again == {"issued": 0, "skipped": 0, "failed": 0}
    first_awards = set(BulkRow.objects.filter(pk__in=plan[0]).values_list("award_id", flat=True))
    announced_ids = [award_id for c in announced.call_args_list for award_id in c.kwargs["award_ids"]]
    assert sorted(announced_ids) == sorted(first_awards) and len(first_awards) == 2
    job.refresh_from_db()
    assert job.state == BulkJob.State.DONE
    assert (job.created_count, job.skipped_count) == (6, 1)
    assert Award.objects.count() == 7 and Award.objects.values("idempotency_key").distinct().count() == 7
    assert AuditEntry.objects.filter(action="bulk_job.finish", subject_id=str(job.pk)).count() == 1
    # running the finished job again does nothing
    assert bulk_tasks.bulk_job_run.delay(job.pk).get() == 0
    run(job, django_capture_on_commit_callbacks)
    assert Award.objects.count() == 7


def test_a_failed_job_resumes(achievement, django_capture_on_commit_callbacks):
    job = create(achievement, make_csv(GOOD))
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.RUNNING)
    assert services.bulk_job_fail(job_id=job.pk, reason="OperationalError: gone")
    job.refresh_from_db()
    assert job.state == BulkJob.State.FAILED
    assert "Resume" in selectors.bulk_job_progress(job)["message"]
    job = run(job, django_capture_on_commit_callbacks)
    assert job.state == BulkJob.State.DONE and job.created_count == 3
    assert AuditEntry.objects.filter(subject_id=str(job.pk), action="bulk_job.resume").exists()


def test_the_chunk_task_marks_the_job_failed_when_it_gives_up(achievement):
    job = create(achievement, make_csv(GOOD))
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.RUNNING)
    with mock.patch.object(services, "bulk_rows_issue", side_effect=RuntimeError("bug")):
        result = bulk_tasks.bulk_job_chunk.apply(args=[job.pk, 1, 2], throw=False)  # as a worker runs it
    assert result.failed()
    job.refresh_from_db()
    assert job.state == BulkJob.State.FAILED
    assert AuditEntry.objects.get(action="bulk_job.fail").data["reason"] == "RuntimeError: bug"


def test_a_row_refused_at_issue_time_is_reported(achievement, django_capture_on_commit_callbacks):
    job = create(achievement, make_csv(GOOD))
    from credentials.services import issuing as award_services

    real = award_services._award_build

    def refuse_lea(**kwargs):
        if kwargs["recipient"].email.startswith("lea"):
            raise ValidationError({"recipient_email": "Refused by the mail server."})
        return real(**kwargs)

    with mock.patch.object(award_services, "_award_build", side_effect=refuse_lea):
        job = run(job, django_capture_on_commit_callbacks)
    assert job.state == BulkJob.State.DONE and (job.created_count, job.skipped_count) == (2, 0)
    assert job.errors == [{"line": 3, "field": "", "message": "Refused by the mail server."}]
    progress = selectors.bulk_job_progress(job)
    assert (progress["processed"], progress["failed"], progress["finished"]) == (3, 1, True)
    report = list(selectors.bulk_job_report(job))
    assert report[2][3] == "failed" and report[2][6] == "Refused by the mail server."


def test_organisations_when_the_category_allows_them(issuer, default_framework, django_capture_on_commit_callbacks):
    membership = default_framework.badgecategory_set.get(code="membership")
    achievement = make_achievement(issuer, membership, slug="members", name="Members")
    text = "email,name,organisation\nacme@example.org,ACME Ltd,yes\nlea@example.org,Léa Martin,\n"
    job = run(create(achievement, make_csv(text)), django_capture_on_commit_callbacks)
    kinds = dict(Award.objects.values_list("recipient_email", "recipient_kind"))
    assert job.state == BulkJob.State.DONE
    assert kinds == {"acme@example.org": "organisation", "lea@example.org": "person"}


def test_an_inactive_achievement_cannot_be_issued(achievement, django_capture_on_commit_callbacks):
    job = create(achievement, make_csv(GOOD))
    achievement.is_active = False
    achievement.save()
    with pytest.raises(ValidationError, match="can no longer be issued"):
        run(job, django_capture_on_commit_callbacks)
    assert Award.objects.count() == 0
    # re-validated on upload: the same file is now invalid
    job = create(achievement, make_csv(GOOD))
    assert job.state == BulkJob.State.INVALID and job.errors[0]["line"] == 0


FIND_TASKS = """
import django
django.setup()
from config.celery_app import app
app.loader.import_default_modules()  # what a worker does at start: autodiscovery imports <app>.tasks
print(" ".join(sorted(name for name in app.tasks if name.startswith("credentials.bulk."))))
"""


def test_a_worker_finds_the_bulk_tasks():
    """In a fresh process, as a worker starts (this test module imported the tasks itself)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    out = subprocess.run([sys.executable, "-c", FIND_TASKS], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == ["credentials.bulk.tasks.bulk_job_chunk", "credentials.bulk.tasks.bulk_job_run"]


# --- The command ----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the command commits, and the embedded default runs the job on commit
def test_command_json(achievement, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(make_csv(GOOD))
    call_command("bulk_issue", "--achievement", "negotiation", str(path), "--dry-run", "--json")
    assert json.loads(capsys.readouterr().out) == {"rows": 3, "valid": 3, "created": 0, "skipped": 0, "errors": []}
    assert Award.objects.count() == 0 and not BulkJob.objects.exists()

    call_command("bulk_issue", "--achievement", "negotiation", str(path), "--json")
    assert json.loads(capsys.readouterr().out) == {"rows": 3, "valid": 3, "created": 3, "skipped": 0, "errors": []}
    assert Award.objects.count() == 3

    # a new file with the same people plus one: the three are skipped
    path.write_bytes(make_csv(GOOD + "new@example.org,New Person,,,,,,\n"))
    call_command("bulk_issue", "--achievement", "negotiation", str(path), "--json")
    assert json.loads(capsys.readouterr().out) == {"rows": 4, "valid": 4, "created": 1, "skipped": 3, "errors": []}
    assert Award.objects.count() == 4


def test_command_errors_exit_non_zero(achievement, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(make_csv("email,name,language\nnope,A,en\nb@example.org,B,xx\n"))
    for extra in (["--dry-run"], []):
        with pytest.raises(CommandError, match="2 problem"):
            call_command("bulk_issue", "--achievement", "negotiation", str(path), "--json", *extra)
        report = json.loads(capsys.readouterr().out)
        assert report["rows"] == 2 and report["valid"] == 0 and report["created"] == 0
        assert [(e["line"], e["field"]) for e in report["errors"]] == [(2, "email"), (3, "language")]
    assert Award.objects.count() == 0
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("bulk_issue", "--achievement", "negotiation", str(path), "--json")
    assert json.loads(capsys.readouterr().out)["errors"][0]["field"] == "file"
    with pytest.raises(CommandError, match="No achievement"):
        call_command("bulk_issue", "--achievement", "nope", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("bulk_issue", "--achievement", "negotiation", str(tmp_path / "missing.csv"))


# --- The staff console ----------------------------------------------------------------------------------


@pytest.fixture
def console(settings, staff_client):
    try:
        reverse("admin:credentials_bulkjob_add")
    except NoReverseMatch:  # config/urls.py was loaded before the bulk admin registered: rebuild it
        settings.ROOT_URLCONF = __name__
    return staff_client


def test_console_upload_dry_run_issue_progress_report(
    console, achievement, settings, django_capture_on_commit_callbacks
):
    add_url = reverse("admin:credentials_bulkjob_add")
    page = console.get(add_url)
    assert page.status_code == 200
    assert "Negotiation Skills" in page.content.decode() and 'type="file"' in page.content.decode()

    # a file with problems: every one listed with its line, nothing issued, no button
    bad = SimpleUploadedFile("bad.csv", make_csv("email,name\nnope,A\nb@example.org,\n"), content_type="text/csv")
    response = console.post(add_url, {"achievement": achievement.pk, "file": bad}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "2 problems" in html and "Nothing was issued" in html
    assert "“nope” is not a valid email address." in html and "The name is missing." in html
    assert "<td>2</td><td>email</td>" in html and "<td>3</td><td>name</td>" in html
    assert "Issue " not in html and Award.objects.count() == 0
    invalid = BulkJob.objects.get(state="invalid")
    report = console.get(reverse("admin:credentials_bulkjob_report", args=[invalid.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert rows[0] == selectors.REPORT_HEADER and [r[0] for r in rows[1:]] == ["2", "3"]

    # not a CSV: the form says so, nothing stored
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")
    response = console.post(add_url, {"achievement": achievement.pk, "file": png})
    assert response.status_code == 200 and "This is an image, not a CSV file." in response.content.decode()
    assert BulkJob.objects.count() == 1

    # a good file: summary and the button
    good = SimpleUploadedFile("people.csv", make_csv(GOOD), content_type="text/csv")
    response = console.post(add_url, {"achievement": achievement.pk, "file": good})
    job = BulkJob.objects.get(state="ready")
    job_url = reverse("admin:credentials_bulkjob_change", args=[job.pk])
    assert response.status_code == 302 and response["Location"] == job_url
    html = console.get(job_url).content.decode()
    assert "Issue 3 credentials" in html and "Léa Martin" in html and Award.objects.count() == 0

    progress_url = reverse("admin:credentials_bulkjob_progress", args=[job.pk])
    assert console.get(progress_url).json()["state"] == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(reverse("admin:credentials_bulkjob_start", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == job_url
    html = console.get(job_url).content.decode()
    assert "<progress" in html and 'aria-live="polite"' in html and "js/bulk-progress.js" in html
    progress = console.get(progress_url)
    assert "no-store" in progress["Cache-Control"]
    assert progress.json() | {"message": ""} == {
        "id": job.pk,
        "state": "done",
        "state_label": "Done",
        "processed": 3,
        "total": 3,
        "created": 3,
        "skipped": 0,
        "failed": 0,
        "percent": 100,
        "finished": True,
        "message": "",
    }

    report = console.get(reverse("admin:credentials_bulkjob_report", args=[job.pk]))
    assert report["Content-Type"].startswith("text/csv") and "attachment" in report["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert [(r["line"], r["email"], r["status"]) for r in rows] == [
        ("2", "amina.okonkwo@example.org", "issued"),
        ("3", "lea.martin@example.org", "issued"),
        ("4", "jose.garcia@example.org", "issued"),
    ]
    for row in rows:
        award = Award.objects.get(public_id=row["credential_id"])
        assert row["verify_url"] == settings.BASE_URL + award.get_absolute_url()
        assert console.get(award.get_absolute_url()).status_code == 200

    # the same file again lands on the finished job
    again = SimpleUploadedFile("again.csv", make_csv(GOOD), content_type="text/csv")
    response = console.post(add_url, {"achievement": achievement.pk, "file": again})
    assert response["Location"] == job_url and Award.objects.count() == 3
    listing = console.get(reverse("admin:credentials_bulkjob_changelist"))
    assert listing.status_code == 200 and "people.csv" in listing.content.decode()
    assert console.get(reverse("admin:credentials_bulkjob_template")).status_code == 200


def test_console_progress_while_running_and_permissions(console, achievement, client, django_user_model):
    job = create(achievement, make_csv(GOOD))
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.RUNNING, created_count=1, skipped_count=1)
    data = console.get(reverse("admin:credentials_bulkjob_progress", args=[job.pk])).json()
    assert (data["processed"], data["total"], data["percent"], data["finished"]) == (2, 3, 66, False)
    assert data["message"] == "Issuing: 2 of 3 rows done (1 issued, 1 already issued)."
    html = console.get(reverse("admin:credentials_bulkjob_change", args=[job.pk])).content.decode()
    assert 'value="2"' in html and 'max="3"' in html and "Resume" in html
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.FAILED)
    html = console.get(reverse("admin:credentials_bulkjob_change", args=[job.pk])).content.decode()
    assert "Resume: issue the remaining rows" in html and "Stopped after 2 of 3 rows" in html
    # not staff: the login page, never the data
    anonymous = client.get(reverse("admin:credentials_bulkjob_progress", args=[job.pk]))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    viewer = django_user_model.objects.create_user("viewer", "v@example.org", "pw", is_staff=True)
    client.force_login(viewer)
    assert client.get(reverse("admin:credentials_bulkjob_report", args=[job.pk])).status_code == 403
    assert client.post(reverse("admin:credentials_bulkjob_start", args=[job.pk])).status_code == 403
    assert console.get(reverse("admin:credentials_bulkjob_progress", args=[999999])).status_code == 404
