"""Bulk CSV files are decoded strictly: a file mixing UTF-8 and Windows-1252 is refused with the lines that
are not UTF-8 (it used to be read as Windows-1252, “José” becoming “JosÃ©”, every row counted valid), and a
file with a header and no recipient is an error, not a ready job of zero rows. Real byte files, through the
staff console upload and `manage.py bulk_issue`."""

import codecs
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from credentials.bulk import csvfile, services
from credentials.models import Award, BulkJob

from .test_bulk import console  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

# line 1 header, lines 2 and 4 UTF-8, lines 3 and 5 Windows-1252 (pasted from another export)
MIXED = (
    b"email,name\n"
    + "jose.garcia@example.org,José García\n".encode()
    + "lea.martin@example.org,Léa Martin\n".encode("cp1252")
    + "zoe@example.org,Zoë Saldaña\n".encode()
    + "francois@example.org,François Lefèvre\n".encode("cp1252")
)
HEADER_ONLY = [
    pytest.param(b"email,name\n", id="header"),
    pytest.param(b"email,name", id="header-without-newline"),
    pytest.param(b"email;name\r\n\r\n;\r\n  \r\n", id="header-and-blank-lines"),
    pytest.param(codecs.BOM_UTF8 + b"email,name,external_id\n,,\n", id="bom-header-and-empty-cells"),
    pytest.param("email,name\n".encode("utf-16"), id="utf-16"),
]


def _file_error(achievement, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        services.bulk_job_create(achievement=achievement, data=data, filename="people.csv")
    return " ".join(caught.value.message_dict["file"])


def test_a_file_mixing_encodings_is_refused_with_its_lines(achievement):
    message = _file_error(achievement, MIXED)
    assert "Lines 3, 5 are not in UTF-8" in message and "CSV UTF-8" in message
    assert not BulkJob.objects.exists() and Award.objects.count() == 0


def test_one_bad_line_in_a_utf8_file_with_a_bom(achievement):
    data = codecs.BOM_UTF8 + "email,name\na@example.org,Ana\nb@example.org,Bér\n".encode("cp1252")
    assert "Line 3 is not in UTF-8" in _file_error(achievement, data)


def test_many_bad_lines_are_counted_not_all_listed(achievement):
    good = "email,name\nz@example.org,Zoë\n".encode()
    bad = b"".join(f"p{i}@example.org,Jos\xe9 {i}\n".encode("latin-1") for i in range(30))
    message = _file_error(achievement, good + bad)
    assert "Lines 3, 4, 5" in message and "22 and 10 more" in message


def test_a_windows_1252_file_is_still_read_when_no_line_is_utf8(achievement):
    data = "email,name\njose.garcia@example.org,José García\nlea@example.org,Léa\n".encode("cp1252")
    job = services.bulk_job_create(achievement=achievement, data=data, filename="people.csv")
    assert job.state == BulkJob.State.READY and job.encoding == "Windows-1252"
    assert [row.data["name"] for row in job.rows.order_by("line")] == ["José García", "Léa"]


def test_the_error_names_no_line_that_is_plain_ascii(achievement):
    assert csvfile.read_csv(b"email,name\na@example.org,Ana\n").total_rows == 1
    data = b"email,name\na@example.org,Ana\n" + "b@example.org,Bé\n".encode() + "c@example.org,Cé\n".encode("cp1252")
    assert "Line 4 is not in UTF-8" in _file_error(achievement, data)


@pytest.mark.parametrize("data", HEADER_ONLY)
def test_a_header_without_recipients_is_an_error(achievement, data):
    assert "no recipients" in _file_error(achievement, data)
    assert not BulkJob.objects.exists()


def test_console_upload_refuses_both(console, achievement):  # noqa: F811
    add_url = reverse("admin:credentials_bulkjob_add")
    for name, data, words in (
        ("mixed.csv", MIXED, "Lines 3, 5 are not in UTF-8"),
        ("empty.csv", b"email,name\r\n", "The file has no recipients"),
    ):
        upload = SimpleUploadedFile(name, data, content_type="text/csv")
        response = console.post(add_url, {"achievement": achievement.pk, "file": upload})
        assert response.status_code == 200 and words in response.content.decode(), name
    assert not BulkJob.objects.exists() and Award.objects.count() == 0


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_command_exits_non_zero_with_a_json_error(achievement, tmp_path, capsys, dry_run):
    extra = ["--dry-run"] if dry_run else []
    for data, words in ((MIXED, "Lines 3, 5 are not in UTF-8"), (b"email,name\n", "no recipients")):
        path = tmp_path / "people.csv"
        path.write_bytes(data)
        with pytest.raises(CommandError, match="1 problem"):
            call_command("bulk_issue", "--achievement", achievement.slug, str(path), "--json", *extra)
        report = json.loads(capsys.readouterr().out)
        assert report["rows"] == 0 and report["created"] == 0
        assert report["errors"][0]["field"] == "file" and words in report["errors"][0]["message"]
    assert not BulkJob.objects.exists() and Award.objects.count() == 0
