"""Reading a recipients CSV: encoding, separator and header are detected; every problem has a line number.

`read_csv(data)` returns a `Table` (rows keyed by canonical column name, plus header and row problems) or
raises `CsvFileError` when the file as a whole cannot be read as a CSV (empty, too large, binary, an image
or a workbook, not text in any encoding we accept, mixing encodings, no recipient). No database access here.

Accepted: UTF-8 with or without BOM, UTF-16 (LE/BE, with a BOM, or without one when the NUL pattern is
unambiguous), Windows-1252 (what Excel writes on Western-European Windows) when no line is UTF-8 (a file
mixing both is refused with the lines that are not UTF-8); comma, semicolon or tab separators. A file with
a header and no recipient is refused. Header names are case-insensitive and tolerate spaces, hyphens and a
few common synonyms. Line numbers are the file's physical lines (the header is line 1), as a spreadsheet shows them.
"""

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000  # issue 13.3: a 100,000-row job in one file (about 12 MB, under MAX_BYTES)
MAX_LINES_SHOWN = 20  # line numbers listed in a file-level message

REQUIRED = ("email", "name")
OPTIONAL = ("external_id", "issue_date", "expiry", "narrative", "evidence_url", "language", "organisation")
COLUMNS = REQUIRED + OPTIONAL
ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "e_mail_address": "email",
    "recipient_email": "email",
    "full_name": "name",
    "recipient_name": "name",
    "externalid": "external_id",
    "issued_on": "issue_date",
    "issue_on": "issue_date",
    "issuedate": "issue_date",
    "issued": "issue_date",
    "expiry_date": "expiry",
    "expires": "expiry",
    "expires_on": "expiry",
    "expiration": "expiry",
    "expiration_date": "expiry",
    "evidence": "evidence_url",
    "evidenceurl": "evidence_url",
    "lang": "language",
    "organization": "organisation",
    "is_organisation": "organisation",
    "is_organization": "organisation",
}
SEPARATORS = (",", ";", "\t")

# Magic numbers of files people pick by mistake, with what to tell them.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "workbook"),
    (b"\x1f\x8b", "archive"),
)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class CsvFileError(Exception):
    """The file as a whole is not a CSV we can read; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    encoding: str
    delimiter: str
    columns: list[str]  # canonical names found in the header, in file order
    ignored_columns: list[str]  # header cells we do not use (as written in the file)
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (line, {column: stripped value})
    errors: list[dict] = field(default_factory=list)  # {"line", "field", "message"}
    total_rows: int = 0


def error(line: int, field_name: str, message: str) -> dict:
    return {"line": line, "field": field_name, "message": message}


def _kind_message(kind: str) -> str:
    return {
        "image": _("This is an image, not a CSV file. Export the list of recipients from your spreadsheet as CSV."),
        "pdf": _("This is a PDF document, not a CSV file. Export the list of recipients from your spreadsheet as CSV."),
        "workbook": _(
            "This is a spreadsheet workbook (Excel or OpenDocument), not a CSV file. In your spreadsheet, "
            "use “Save as” and choose “CSV UTF-8 (comma delimited)”."
        ),
        "archive": _("This is a compressed archive, not a CSV file. Upload the CSV file itself."),
    }[kind]


def _not_text() -> str:
    return _(
        "This file is not a text file, so it cannot be a CSV. Export the list of recipients from your spreadsheet "
        "as CSV."
    )


def _strip_bom_and_space(data: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            data = data[len(bom) :]
            break
    return data.strip(b" \t\r\n\x00\x1a")


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM: mostly-ASCII text has a NUL in every other byte."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, pairs * 2, 2) if sample[i] == 0)
    if odd >= 0.6 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.6 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _refuse_mixed_encodings(data: bytes, *, utf8_declared: bool) -> None:
    """A file that is not valid UTF-8 is read as Windows-1252 only when no line of it is UTF-8 either:
    otherwise (a spreadsheet pasted together from several sources, or a BOM that says UTF-8) the lines that
    do not decode are named, rather than letting "José" become "JosÃ©" on the others."""
    try:
        data.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    bad, utf8 = [], False
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            bad.append(number)
    if not (utf8 or utf8_declared) or not bad:
        return
    shown = ", ".join(str(number) for number in bad[:MAX_LINES_SHOWN])
    if len(bad) > MAX_LINES_SHOWN:
        shown += " " + _("and %(count)s more") % {"count": len(bad) - MAX_LINES_SHOWN}
    raise CsvFileError(
        ngettext(
            "Line %(lines)s is not in UTF-8 while the rest of the file is: the file mixes encodings, and names such "
            "as “José” would come out garbled. In your spreadsheet, use “Save as” and choose “CSV UTF-8”, then "
            "upload the new file.",
            "Lines %(lines)s are not in UTF-8 while the rest of the file is: the file mixes encodings, and names "
            "such as “José” would come out garbled. In your spreadsheet, use “Save as” and choose “CSV UTF-8”, "
            "then upload the new file.",
            len(bad),
        )
        % {"lines": shown}
    )


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise CsvFileError."""
    if len(data) > MAX_BYTES:
        raise CsvFileError(size_message(len(data)))
    if not _strip_bom_and_space(data):
        raise CsvFileError(
            _("The file is empty. It needs a header line (at least email and name) and one line per recipient.")
        )
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            raise CsvFileError(_kind_message(kind))
    if data.startswith(codecs.BOM_UTF8):
        _refuse_mixed_encodings(data, utf8_declared=True)
        candidates = [("utf-8-sig", "UTF-8")]
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        name = "UTF-16LE" if data.startswith(codecs.BOM_UTF16_LE) else "UTF-16BE"
        candidates = [("utf-16", name)]
    elif b"\x00" in data[:4096]:
        guess = _utf16_without_bom(data[:4096])
        if guess is None:
            raise CsvFileError(_not_text())
        candidates = [(guess, "UTF-16LE" if guess == "utf-16-le" else "UTF-16BE")]
    else:
        _refuse_mixed_encodings(data, utf8_declared=False)
        candidates = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        text = text.lstrip("\ufeff").rstrip("\x1a")  # a stray BOM; the DOS end-of-file mark
        if CONTROL.search(text):
            raise CsvFileError(_not_text())
        return text, name
    raise CsvFileError(
        _(
            "This file is not in an encoding we can read (UTF-8, UTF-16 or Windows-1252). In your spreadsheet, "
            "use “Save as” and choose “CSV UTF-8”."
        )
    )


def size_message(size: int) -> str:
    return _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into several files.") % {
        "size": f"{size / 1024 / 1024:.1f}",
        "limit": MAX_BYTES // 1024 // 1024,
    }


def canonical_column(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).replace("\ufeff", "").strip().strip('"').strip().lower()
    text = re.sub(r"[\s\-.]+", "_", text).strip("_")
    return ALIASES.get(text, text)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def detect_delimiter(header_line: str) -> str:
    """The separator that splits the header into the most cells (comma when none does)."""
    best, best_cells = ",", 1
    for separator in SEPARATORS:
        try:
            cells = next(csv.reader([header_line], delimiter=separator))
        except (csv.Error, StopIteration):
            continue
        if len(cells) > best_cells:
            best, best_cells = separator, len(cells)
    return best


def read_csv(data: bytes) -> Table:
    """Decode and parse; header and row problems are returned in `Table.errors`, line-numbered."""
    text, encoding = decode(data)
    delimiter = detect_delimiter(_first_line(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    table = Table(encoding=encoding, delimiter=delimiter, columns=[], ignored_columns=[])

    header, header_line = None, 1
    indexes: dict[str, int] = {}
    last_line = 0
    try:
        for cells in reader:
            line = last_line + 1  # a record may span several physical lines: report where it starts
            last_line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_line = cells, line
                indexes = _read_header(header, line, table)
                if table.errors:
                    return table  # no usable header: row problems would only repeat it
                continue
            table.total_rows += 1
            if table.total_rows > MAX_ROWS:
                table.errors.append(
                    error(
                        line,
                        "",
                        _("The file has more than %(limit)s rows. Split it into several files.")
                        % {"limit": f"{MAX_ROWS:,}"},
                    )
                )
                table.total_rows = MAX_ROWS
                table.rows = table.rows[:MAX_ROWS]
                return table
            extra = [cell for cell in cells[len(header) :] if cell.strip()]
            if extra:
                table.errors.append(
                    error(
                        line,
                        "",
                        ngettext(
                            "This line has %(count)d value more than the header has columns: check the separators "
                            "and quotes.",
                            "This line has %(count)d values more than the header has columns: check the separators "
                            "and quotes.",
                            len(extra),
                        )
                        % {"count": len(extra)},
                    )
                )
            values = {column: (cells[i].strip() if i < len(cells) else "") for column, i in indexes.items()}
            table.rows.append((line, values))
    except csv.Error as exc:
        table.errors.append(
            error(last_line + 1, "", _("This line cannot be read as CSV (%(reason)s).") % {"reason": exc})
        )
    if header is None:
        table.errors.append(error(header_line, "", _("The file has no header line.")))
    elif not table.errors and table.total_rows == 0:
        raise CsvFileError(
            _("The file has no recipients: under the header line, add one line per recipient (email and name).")
        )
    return table


def _read_header(header: list[str], line: int, table: Table) -> dict[str, int]:
    indexes: dict[str, int] = {}
    for i, cell in enumerate(header):
        column = canonical_column(cell)
        if column in COLUMNS:
            if column in indexes:
                table.errors.append(
                    error(line, column, _("The column “%(column)s” appears twice in the header.") % {"column": column})
                )
                continue
            indexes[column] = i
            table.columns.append(column)
        elif cell.strip():
            table.ignored_columns.append(cell.strip())
    missing = [column for column in REQUIRED if column not in indexes]
    if missing:
        found = ", ".join(f"“{cell.strip()}”" for cell in header if cell.strip()) or "—"
        if any("@" in cell for cell in header):
            hint = _("The first line looks like a recipient, not a header: add a header line such as “email,name”.")
        else:
            hint = _("Found: %(found)s.") % {"found": found}
        for column in missing:
            table.errors.append(
                error(
                    line,
                    column,
                    _("The header has no “%(column)s” column (required: email and name). %(hint)s")
                    % {"column": column, "hint": hint},
                )
            )
    return indexes
