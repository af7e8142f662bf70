"""PostgreSQL COPY in text format from unsaved model instances (seed_scale writes its rows this way)."""

import json
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import JSONField


def _text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "\\\\x" + bytes(value).hex()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def columns(model, *, with_pk: bool) -> list:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


def copy_lines(fields: list, objects) -> str:
    """COPY text rows of unsaved model instances, every concrete column (so fields added later come along with
    their Python defaults)."""
    lines = []
    for obj in objects:
        values = []
        for field in fields:
            value = getattr(obj, field.attname)
            if isinstance(field, JSONField):
                value = json.dumps(value, ensure_ascii=False)
            values.append(_text(value))
        lines.append("\t".join(values))
    return "\n".join(lines) + "\n" if lines else ""


def copy_in(model, fields: list, text: str) -> None:
    if not text:
        return
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as cp:
        cp.write(text)
