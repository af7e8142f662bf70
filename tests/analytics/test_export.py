import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from credentials.models import Award


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_is_anonymised_and_complete(history, tmp_path, fmt):
    call_command("analytics_export", "--format", fmt, str(tmp_path / "out"), stdout=StringIO())
    text = (tmp_path / "out" / f"awards.{fmt}").read_text()
    rows = list(csv.DictReader(StringIO(text))) if fmt == "csv" else [json.loads(x) for x in text.splitlines()]
    assert len(rows) == Award.objects.count() == 19
    everything = "".join((tmp_path / "out").joinpath(name).read_text() for name in
                         (f"awards.{fmt}", f"shares.{fmt}", f"activity.{fmt}", f"survey_answers.{fmt}"))  # fmt: skip
    for award in Award.objects.all():
        assert award.recipient_email not in everything and award.recipient_name not in everything
        assert award.public_id not in everything
    assert len({row["award"] for row in rows}) == 19
    assert {row["state"] for row in rows} >= {"accepted", "declined", "revoked"}


def test_export_refuses_a_file(history, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(CommandError, match="is a file"):
        call_command("analytics_export", str(target), stdout=StringIO())
