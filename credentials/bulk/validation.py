"""Validation of a recipients table for one achievement (the dry run): every problem, with its line number.

`validate_rows(table, achievement=...)` returns the normalised rows ready to issue and the list of problems
(`{"line", "field", "message"}`); nothing is issued when that list is not empty. A row is checked the way
`award_issue` will check it, so a valid dry run does not fail at issue time (short of the achievement being
deactivated in between).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from frameworks.validators import validate_http_url

from ..models import Award
from ..openbadges.ob3 import normalize_email
from .csvfile import Table, error

MAX_NAME = 200
MAX_EXTERNAL_ID = 200
MAX_EMAIL = 254
MAX_URL = 2000
MAX_NARRATIVE = 10_000

YES = {"yes", "y", "true", "1", "x", "organisation", "organization", "org", "oui", "si", "sí", "ja"}
NO = {"", "no", "n", "false", "0", "person", "individual", "non", "nein"}

@dataclass
class DryRun:
    """What a file would do: rows ready to issue (normalised) and every problem found."""

    table: Table
    rows: list[dict]  # {"line", "email", "name", "external_id", "issue_date", "expiry", ...}
    errors: list[dict]

    @property
    def total_rows(self) -> int:
        return self.table.total_rows

    @property
    def valid_rows(self) -> int:
        return len(self.rows)


def parse_when(value: str) -> datetime | None:
    """An ISO 8601 date (YYYY-MM-DD, midnight UTC) or date-time (UTC when it has no offset); None if empty.

    Raises ValueError for anything else.
    """
    if not value:
        return None
    day = parse_date(value)  # raises ValueError for a well-formed impossible date (2026-02-30)
    if day is not None:
        return datetime.combine(day, time.min, tzinfo=UTC)
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError(value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _bad_date(column: str, value: str) -> str:
    what = _("issue date") if column == "issue_date" else _("expiry date")
    return _("“%(value)s” is not a valid %(what)s: write it as YYYY-MM-DD (for example 2026-06-30).") % {
        "value": value,
        "what": what,
    }


def validate_rows(table: Table, *, achievement, now: datetime | None = None) -> DryRun:
    now = now or timezone.now()
    errors = list(table.errors)
    if not achievement.is_active:
        errors.insert(0, error(0, "", _("“%(name)s” can no longer be issued.") % {"name": achievement.name}))
    codes = {code.lower(): code for code in language_codes()}
    allowed_kinds = list(achievement.category.recipient_kinds or []) if achievement.category_id else None
    seen_email: dict[str, int] = {}
    seen_external: dict[str, int] = {}
    rows: list[dict] = []

    for line, values in table.rows:
        problems: list[dict] = []

        def problem(column: str, message: str, line=line, problems=problems):
            problems.append(error(line, column, message))

        email = normalize_email(values.get("email", ""))
        if not email:
            problem("email", _("The email address is missing."))
        else:
            try:
                if len(email) > MAX_EMAIL:
                    raise ValidationError("too long")
                validate_email(email)
            except ValidationError:
                problem("email", _("“%(email)s” is not a valid email address.") % {"email": values.get("email")})
            else:
                if email in seen_email:
                    problem(
                        "email",
                        _("Duplicate: %(email)s is already on line %(line)d.")
                        % {"email": email, "line": seen_email[email]},
                    )
                else:
                    seen_email[email] = line

        name = " ".join(values.get("name", "").split())
        if not name:
            problem("name", _("The name is missing."))
        elif len(name) > MAX_NAME:
            problem("name", _("The name is longer than %(max)d characters.") % {"max": MAX_NAME})

        external_id = values.get("external_id", "")
        if len(external_id) > MAX_EXTERNAL_ID:
            problem("external_id", _("The external id is longer than %(max)d characters.") % {"max": MAX_EXTERNAL_ID})
        elif external_id:
            if external_id in seen_external:
                problem(
                    "external_id",
                    _("Duplicate: the external id “%(id)s” is already on line %(line)d.")
                    % {"id": external_id, "line": seen_external[external_id]},
                )
            else:
                seen_external[external_id] = line

        dates = {}
        for column in ("issue_date", "expiry"):
            raw = values.get(column, "")
            try:
                dates[column] = parse_when(raw)
            except ValueError:
                dates[column] = None
                problem(column, _bad_date(column, raw))
        issued_at, expires_at = dates["issue_date"], dates["expiry"]
        if expires_at is not None:
            if issued_at is not None and expires_at <= issued_at:
                problem(
                    "expiry",
                    _("The expiry date (%(expiry)s) is not after the issue date (%(issued)s).")
                    % {"expiry": values["expiry"], "issued": values["issue_date"]},
                )
            elif issued_at is None and expires_at <= now:
                problem(
                    "expiry",
                    _("The expiry date (%(expiry)s) is in the past; the credential would be born expired.")
                    % {"expiry": values["expiry"]},
                )

        evidence_url = values.get("evidence_url", "")
        if evidence_url:
            try:
                if len(evidence_url) > MAX_URL:
                    raise ValidationError("too long")
                validate_http_url(evidence_url)
            except ValidationError:
                problem(
                    "evidence_url",
                    _("“%(url)s” is not a valid web address: it must start with https:// or http://.")
                    % {"url": evidence_url[:200]},
                )

        narrative = values.get("narrative", "")
        if len(narrative) > MAX_NARRATIVE:
            problem("narrative", _("The narrative is longer than %(max)d characters.") % {"max": MAX_NARRATIVE})

        language = values.get("language", "")
        if language and language.lower() not in codes:
            problem(
                "language",
                _("Unknown language “%(language)s”: use one of %(codes)s, or leave it empty.")
                % {"language": language, "codes": ", ".join(codes.values())},
            )
        language = codes.get(language.lower(), "")

        flag = values.get("organisation", "").strip().lower()
        kind = Award.RecipientKind.PERSON
        if flag in YES:
            kind = Award.RecipientKind.ORGANISATION
        elif flag not in NO:
            problem(
                "organisation",
                _("“%(value)s”: write yes when the recipient is an organisation, no (or nothing) for a person.")
                % {"value": values.get("organisation")},
            )
        if allowed_kinds is not None and kind not in allowed_kinds and flag in YES | NO:
            problem(
                "organisation",
                _("%(category)s badges are not awarded to a %(kind)s.")
                % {"category": achievement.category.name, "kind": Award.RecipientKind(kind).label.lower()},
            )

        if problems:
            errors.extend(problems)
            continue
        rows.append(
            {
                "line": line,
                "email": email,
                "name": name,
                "external_id": external_id,
                "issue_date": issued_at.isoformat() if issued_at else "",
                "expiry": expires_at.isoformat() if expires_at else "",
                "narrative": narrative,
                "evidence_url": evidence_url,
                "language": language,
                "recipient_kind": str(kind),
            }
        )
    errors.sort(key=lambda item: item["line"])  # stable: a line's problems keep their column order
    return DryRun(table=table, rows=rows, errors=errors)
