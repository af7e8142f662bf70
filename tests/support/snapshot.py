"""Build rows once per test session, insert copies of them in each test that asks for them.

`framework_load_defaults()` validates every template and writes its ~50 rows and their audit entries one
by one (about 460 queries, ~0.5 s): too slow to repeat in each of the hundreds of tests that need the
default framework. `RowSnapshot.capture(build)` runs `build` once in a transaction that it rolls back,
keeping the rows that `build` created; `replay()` inserts copies of them with a few bulk inserts (~10 ms).

Copies get new primary keys (the test may already hold rows of the same tables, such as an audit entry of
an issuer created before the framework), and every foreign key between captured rows follows them, as
does an audit entry's subject (`subject_type`, `subject_id`). Date-times move forward so that the latest
reads as the time of the copy: a "published" stamp is just now, as it would be after a real load. Nothing else runs:
no model `save()`, no signal, no `on_commit` callback (publishing a framework schedules the rendering of
its sample badges, which the pages render on first use anyway).

The capture works in both kinds of test: a `db` test rolls the copies back with its transaction, a
`transactional_db` test (live server, workers) flushes them with the rest of the tables.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

# rows that point at another row by (model label, primary key as text) rather than by a foreign key
STRING_REFERENCES = {"audit.auditentry": ("subject_type", "subject_id")}


@dataclass
class RowSnapshot:
    rows: list[tuple[type[models.Model], list[models.Model]]]  # in an order that inserts referenced rows first
    result: models.Model | None
    latest: datetime  # the latest date-time in the captured rows: it reads as the time of each copy

    @classmethod
    def capture(cls, build: Callable[[], models.Model | tuple]) -> RowSnapshot:
        """Run `build` in a transaction that is rolled back; keep the rows it created and what it returned."""
        everything = apps.get_models(include_auto_created=True)
        with transaction.atomic():
            before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in everything}
            result = build()
            result = result[0] if isinstance(result, tuple) else result
            created = {}
            for model in everything:
                new = [row for row in model._base_manager.order_by("pk") if row.pk not in before[model]]
                if new:
                    created[model] = new
            transaction.set_rollback(True)
        stamps = [
            getattr(row, field.attname)
            for rows in created.values()
            for row in rows
            for field in row._meta.concrete_fields
            if isinstance(field, models.DateTimeField) and getattr(row, field.attname) is not None
        ]
        return cls(rows=_insert_order(created), result=result, latest=max(stamps, default=timezone.now()))

    def replay(self) -> models.Model | None:
        """Insert copies of the captured rows; return the copy of what `build` returned, fresh from the db."""
        shift = timezone.now() - self.latest
        new_pk: dict[type[models.Model], dict] = {}
        by_label = {}
        for model, rows in self.rows:
            copies = [_copy(row, new_pk, by_label, shift) for row in rows]
            model._base_manager.bulk_create(copies)
            new_pk[model] = {old.pk: new.pk for old, new in zip(rows, copies, strict=True)}
            by_label[model._meta.label_lower] = new_pk[model]
        if self.result is None:
            return None
        result_model = type(self.result)
        return result_model._base_manager.get(pk=new_pk[result_model][self.result.pk])


def _copy(row, new_pk, by_label, shift):
    clone = copy.deepcopy(row)
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if field.primary_key or value is None:
            continue
        if field.is_relation and field.related_model is type(row):
            raise RuntimeError(f"{row._meta.label}.{field.name}: a row pointing at its own table is not supported")
        if field.is_relation and field.related_model in new_pk:
            setattr(clone, field.attname, new_pk[field.related_model][value])
        elif isinstance(field, models.DateTimeField):
            setattr(clone, field.attname, value + shift)
    reference = STRING_REFERENCES.get(row._meta.label_lower)
    if reference:
        type_field, id_field = reference
        mapping = by_label.get(getattr(row, type_field), {})
        old = next((pk for pk in mapping if str(pk) == getattr(row, id_field)), None)
        if old is not None:
            setattr(clone, id_field, str(mapping[old]))
    clone.pk = None
    clone._state.adding = True
    return clone


def _insert_order(created: dict) -> list:
    """Referenced models before the models that point at them; rows with string references last."""
    ordered, pending = [], [m for m in created if m._meta.label_lower not in STRING_REFERENCES]
    while pending:
        ready = [
            model
            for model in pending
            if not any(
                field.is_relation and field.related_model in pending and field.related_model is not model
                for field in model._meta.concrete_fields
            )
        ]
        if not ready:
            raise RuntimeError(f"circular foreign keys between {pending}: cannot order the snapshot")
        ordered += ready
        pending = [model for model in pending if model not in ready]
    ordered += [m for m in created if m._meta.label_lower in STRING_REFERENCES]
    return [(model, created[model]) for model in ordered]
