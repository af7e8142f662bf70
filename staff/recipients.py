"""A pasted list of recipients, one a line: "Name <email>", "name, email" (or ; or a tab), "email, name", or
an email alone is not enough (a credential names its holder). Turned into the bulk CSV format, so that a
list goes through exactly the checks, limits and idempotency of an uploaded file (credentials.bulk)."""

import csv
import io
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from credentials.bulk import csvfile

ANGLE = re.compile(r"^\s*(?P<name>.*?)\s*<\s*(?P<email>[^<>\s]+)\s*>\s*$")
SEPARATORS = re.compile(r"\s*[,;\t]\s*")
MAX_ERRORS = 50


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def parse_line(line: str) -> tuple[str, str] | str:
    """(name, email), or the problem in words."""
    match = ANGLE.match(line)
    if match:
        name, email = match["name"].strip().strip('"').strip(), match["email"]
    else:
        parts = [part.strip().strip('"').strip() for part in SEPARATORS.split(line.strip(), maxsplit=1)]
        if len(parts) != 2:
            return _("write “Name <email>” or “name, email”.")
        name, email = parts if "@" in parts[1] or "@" not in parts[0] else parts[::-1]
    if not _is_email(email):
        return _("“%(email)s” is not a valid email address.") % {"email": email[:200]}
    if not name:
        return _("the recipient's name is missing.")
    return name, email


def parse_list(text: str) -> tuple[list[dict], list[str]]:
    """The recipients of a pasted list and the problems, each naming its line. Blank lines are skipped."""
    rows, errors, seen = [], [], {}
    lines = (text or "").splitlines()
    if len(lines) > csvfile.MAX_ROWS:
        return [], [_("The list has more than %(rows)s lines: upload a CSV file.") % {"rows": csvfile.MAX_ROWS}]
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        result = parse_line(line)
        if isinstance(result, str):
            errors.append(_("Line %(line)d: %(problem)s") % {"line": number, "problem": result})
        else:
            name, email = result
            if email.lower() in seen:
                errors.append(
                    _("Line %(line)d: %(email)s is already on line %(first)d.")
                    % {"line": number, "email": email, "first": seen[email.lower()]}
                )
                continue
            seen[email.lower()] = number
            rows.append({"name": name, "email": email})
        if len(errors) >= MAX_ERRORS:
            errors.append(_("… and maybe more: fix these first."))
            break
    if not rows and not errors:
        errors.append(_("Give at least one recipient."))
    return rows, errors


def as_csv(rows: list[dict], *, language: str = "", organisation: bool = False) -> bytes:
    """The bulk CSV of these recipients (UTF-8, comma-separated, with a header)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["email", "name", "language", "organisation"])
    for row in rows:
        writer.writerow([row["email"], row["name"], language, "yes" if organisation else "no"])
    return out.getvalue().encode("utf-8")
