"""Every write of bulk issuance: jobs are created (dry run), started, issued chunk by chunk, finished.

Exactly-once issuing rests on three things:
- each row's idempotency key, `bulk:<achievement id>:<sha256(email|external id)>`, passed to
  `award_issue_many`: a re-uploaded file, a second file naming the same people, a resumed or redelivered
  chunk never issues a row twice (the award already issued is linked and the row counted as skipped);
- rows are claimed with SELECT … FOR UPDATE SKIP LOCKED in batches of BATCH_SIZE, one transaction per batch
  that issues the awards (one award_issue_many call: a few queries for the whole batch), marks the rows done
  and adds to the job's counters (F expressions): a worker killed mid-batch loses the whole batch (rolled
  back), never half of it, and two workers never hold the same row;
- the job is finished by a conditional UPDATE (running → done), so exactly one worker writes its audit entry.

Permissions: uploading (the dry run) needs `credentials.add_bulkjob`; starting or resuming a job issues
credentials, so it needs `credentials.add_award`. Workers then issue as the system on behalf of whoever
started the job (`award_issue_many(actor=None, on_behalf_of=job.started_by)`): the check was made then.

Each batch is announced once after commit (award_issued with the batch's award ids), so its follow-ups are
one task per kind for the batch: baked images, claim emails, PDFs. Committing a batch and publishing those
tasks are not atomic: a worker killed in between leaves awards whose tasks were never sent. The chunk's
message is then delivered again (acks_late), and that attempt announces the awards of rows done earlier once
more.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record

from ..models import Achievement, Award, BulkJob, BulkRow
from ..services import Recipient, award_issue_many
from . import csvfile
from .validation import DryRun, parse_when, validate_rows

CHUNK_SIZE = 200  # rows per chunk task: the unit of work a worker takes (and that is redelivered)
BATCH_SIZE = 50  # rows per transaction inside a chunk: the unit that commits (and progress granularity)
OUTCOME_ISSUED = "issued"
OUTCOME_SKIPPED = "skipped"  # already issued earlier (same idempotency key)
OUTCOME_FAILED = "failed"
NOT_STARTED = (BulkJob.State.INVALID, BulkJob.State.READY)


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def row_idempotency_key(*, achievement_id: int, email: str, external_id: str = "") -> str:
    digest = hashlib.sha256(f"{email}|{external_id}".encode()).hexdigest()
    return f"bulk:{achievement_id}:{digest}"


def _read_upload(uploaded_file) -> bytes:
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > csvfile.MAX_BYTES:
        raise ValidationError({"file": csvfile.size_message(size)})
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(csvfile.MAX_BYTES + 1)
    if len(data) > csvfile.MAX_BYTES:
        raise ValidationError({"file": csvfile.size_message(size or len(data))})
    return data


def bulk_dry_run(*, achievement: Achievement, data: bytes) -> DryRun:
    """Parse and validate without writing anything. Raises ValidationError({"file": …}) when the file as a
    whole is not a CSV (empty, binary, an image or a workbook, too large, unknown encoding)."""
    try:
        table = csvfile.read_csv(data)
    except csvfile.CsvFileError as exc:
        raise ValidationError({"file": exc.message}) from exc
    return validate_rows(table, achievement=achievement)


def bulk_job_create(
    *,
    achievement: Achievement,
    filename: str,
    uploaded_file=None,
    data: bytes | None = None,
    actor=None,
) -> BulkJob:
    """Dry-run a CSV and store the job: state `ready` with its rows, or `invalid` with every problem.

    Uploading the same content again for the same achievement returns the job already there once it has
    started (a running or finished job shows its progress and report, a failed one can be resumed); a job
    that has not started (invalid or ready) is validated again in place, since what makes a row valid (the
    achievement, today's date) may have changed.
    Raises ValidationError({"file": …}) when the file is not a CSV at all; nothing is stored then, and
    PermissionDenied unless the actor may add bulk jobs.
    """
    access.require(actor, "credentials.add_bulkjob", obj=achievement)
    if (uploaded_file is None) == (data is None):
        raise TypeError("pass exactly one of uploaded_file and data")
    if data is None:
        data = _read_upload(uploaded_file)
    digest = fingerprint(data)
    existing = BulkJob.objects.filter(achievement=achievement, fingerprint=digest).order_by("-created_at").first()
    if existing is not None and existing.state not in NOT_STARTED:
        return existing
    dry_run = bulk_dry_run(achievement=achievement, data=data)  # outside the transaction: CPU only

    with transaction.atomic():
        # One upload at a time per achievement, so the same file sent twice at once makes one job.
        Achievement.objects.select_for_update().filter(pk=achievement.pk).first()
        job = (
            BulkJob.objects.select_for_update()
            .filter(achievement=achievement, fingerprint=digest)
            .order_by("-created_at")
            .first()
        )
        if job is not None and job.state not in NOT_STARTED:
            return job
        created = job is None
        job = job or BulkJob(achievement=achievement, fingerprint=digest)
        job.created_by = actor if getattr(actor, "is_authenticated", False) else job.created_by
        job.filename = (filename or "upload.csv")[:255]
        job.encoding = dry_run.table.encoding
        job.delimiter = dry_run.table.delimiter
        job.total_rows = dry_run.total_rows
        job.valid_rows = dry_run.valid_rows
        job.errors = dry_run.errors
        job.state = BulkJob.State.INVALID if dry_run.errors else BulkJob.State.READY
        job.save()
        BulkRow.objects.filter(job=job).delete()
        if job.state == BulkJob.State.READY:
            BulkRow.objects.bulk_create(
                (
                    BulkRow(
                        job=job,
                        line=row["line"],
                        data={key: value for key, value in row.items() if key != "line"},
                        idempotency_key=row_idempotency_key(
                            achievement_id=achievement.pk, email=row["email"], external_id=row["external_id"]
                        ),
                    )
                    for row in dry_run.rows
                ),
                batch_size=1000,
            )
        audit_record(
            action="bulk_job.create" if created else "bulk_job.revalidate",
            subject=job,
            actor=actor,
            data={
                "achievement": achievement.slug,
                "filename": job.filename,
                "fingerprint": digest,
                "rows": job.total_rows,
                "valid": job.valid_rows,
                "errors": len(job.errors),
            },
        )
    return job


@transaction.atomic
def bulk_job_start(*, job: BulkJob, actor=None, resume: bool = False) -> BulkJob:
    """Issue the job's rows (workers, after commit). Starting a ready or failed job, or resuming a running
    one (`resume=True`: its chunk tasks were lost, say), enqueues only the rows not done yet; starting a job
    that is running or done again does nothing. The actor needs `credentials.add_award`: the job issues."""
    access.require(actor, "credentials.add_award", obj=job.achievement)
    job = BulkJob.objects.select_for_update().select_related("achievement").get(pk=job.pk)
    if job.state == BulkJob.State.INVALID:
        raise ValidationError(
            _("This file has problems: nothing can be issued from it. Fix them and upload the file again.")
        )
    if job.state == BulkJob.State.DONE or (job.state == BulkJob.State.RUNNING and not resume):
        return job
    if not job.achievement.is_active:
        raise ValidationError(_("“%(name)s” can no longer be issued.") % {"name": job.achievement.name})
    action = "bulk_job.start" if job.state == BulkJob.State.READY else "bulk_job.resume"
    job.state = BulkJob.State.RUNNING
    job.started_at = job.started_at or timezone.now()
    job.started_by = actor if getattr(actor, "is_authenticated", False) else None
    job.save(update_fields=["state", "started_at", "started_by"])
    audit_record(action=action, subject=job, actor=actor, data={"rows": job.valid_rows})
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue_run(job_id))
    return job


def _enqueue_run(job_id: int) -> None:
    from .tasks import bulk_job_run

    bulk_job_run.delay(job_id)


# --- Worker side -------------------------------------------------------------------------------------


def bulk_job_plan(*, job_id: int) -> list[tuple[int, int]]:
    """The chunks of a running job still to issue: (first row id, last row id) ranges of CHUNK_SIZE rows
    not done. Empty when the job is not running or has nothing left."""
    if not BulkJob.objects.filter(pk=job_id, state=BulkJob.State.RUNNING).exists():
        return []
    ids = list(BulkRow.objects.filter(job_id=job_id, done=False).order_by("pk").values_list("pk", flat=True))
    return [(ids[i], ids[min(i + CHUNK_SIZE, len(ids)) - 1]) for i in range(0, len(ids), CHUNK_SIZE)]


def _recipient(row: BulkRow) -> Recipient:
    """The recipient of one row, as award_issue_many takes it."""
    data = row.data
    return Recipient(
        email=data["email"],
        name=data["name"],
        kind=data.get("recipient_kind") or Award.RecipientKind.PERSON,
        language=data.get("language", ""),
        issued_at=parse_when(data.get("issue_date", "")),
        expires_at=parse_when(data.get("expiry", "")),
        narrative=data.get("narrative", ""),
        evidence=[{"url": data["evidence_url"]}] if data.get("evidence_url") else [],
        external_id=data.get("external_id", ""),
        idempotency_key=row.idempotency_key,
    )


def _issue_batch(job: BulkJob, first_row_id: int, last_row_id: int) -> dict | None:
    """One transaction: claim up to BATCH_SIZE rows not done, issue them (award_issue_many), mark them done,
    add to the job's counters. Returns the batch's counts, or None when no row is left to claim."""
    with transaction.atomic():
        rows = list(
            BulkRow.objects.select_for_update(skip_locked=True)
            .filter(job_id=job.pk, pk__gte=first_row_id, pk__lte=last_row_id, done=False)
            .order_by("pk")[:BATCH_SIZE]
        )
        if not rows:
            return None
        already = set(
            Award.objects.filter(idempotency_key__in=[row.idempotency_key for row in rows]).values_list(
                "idempotency_key", flat=True
            )
        )
        results = award_issue_many(  # the system, for whoever started the job: checked then
            achievement=job.achievement,
            recipients=[_recipient(row) for row in rows],
            actor=None,
            on_behalf_of=job.started_by,
        )
        batch = {OUTCOME_ISSUED: 0, OUTCOME_SKIPPED: 0, OUTCOME_FAILED: 0}
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, ValidationError):
                outcome = OUTCOME_FAILED
                row.error = " ".join(result.messages)[:2000]
            else:
                # issued under this key before (a re-uploaded file, another job): linked, counted as skipped
                outcome = OUTCOME_SKIPPED if row.idempotency_key in already else OUTCOME_ISSUED
                row.award_id = result.pk
            row.done = True
            row.data = {**row.data, "outcome": outcome}
            batch[outcome] += 1
        BulkRow.objects.bulk_update(rows, ["award", "done", "error", "data"])
        # Last statement before commit: the job row is locked for an instant, not for the batch.
        BulkJob.objects.filter(pk=job.pk).update(
            created_count=F("created_count") + batch[OUTCOME_ISSUED],
            skipped_count=F("skipped_count") + batch[OUTCOME_SKIPPED],
        )
    return batch


def bulk_rows_issue(*, job_id: int, first_row_id: int, last_row_id: int) -> dict:
    """Issue the rows of one chunk that are not done yet, BATCH_SIZE rows per transaction. Rows another
    worker holds are left to it. Idempotent: a redelivered or duplicated chunk only does what is left.
    Finishes the job when no row is left. Returns this call's counts."""
    counts = {OUTCOME_ISSUED: 0, OUTCOME_SKIPPED: 0, OUTCOME_FAILED: 0}
    job = (
        BulkJob.objects.select_related(
            "achievement__issuer", "achievement__category", "achievement__tier", "started_by"
        )
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        return counts
    # Awards this chunk issued in an earlier attempt (a worker died before acknowledging it): their
    # award_issued announcements may have died with it, between the commit and the publish. Announced
    # again whatever the job's state: other chunks may have finished the job in the meantime.
    issued_before = list(
        BulkRow.objects.filter(
            job_id=job_id, pk__gte=first_row_id, pk__lte=last_row_id, done=True, data__outcome=OUTCOME_ISSUED
        )
        .exclude(award=None)
        .values_list("award_id", flat=True)
    )
    conflicts = 0
    while job.state == BulkJob.State.RUNNING:
        try:
            batch = _issue_batch(job, first_row_id, last_row_id)
        except IntegrityError:
            # Another job issued one of these keys concurrently and committed first: the whole batch rolled
            # back; the next attempt finds that award and links it.
            conflicts += 1
            if conflicts > 3:
                raise
            continue
        if batch is None:
            break
        for key, value in batch.items():
            counts[key] += value
    _announce_again(issued_before)
    bulk_job_finish(job_id=job_id)
    return counts


def _announce_again(award_ids: list[int]) -> None:
    """Send award_issued again for awards issued by an interrupted attempt of a chunk, so their artefacts and
    claim email are enqueued even if the first announcement was lost. Receivers are idempotent (stored files
    are kept, the claim email is deduplicated), so an announcement that did get through costs a no-op task."""
    from ..signals import award_issued

    for start in range(0, len(award_ids), BATCH_SIZE):
        award_issued.send(sender=Award, award_ids=award_ids[start : start + BATCH_SIZE])


@transaction.atomic
def bulk_job_finish(*, job_id: int) -> bool:
    """Mark a running job done once every row is done (one caller wins; it writes the audit entry).
    Rows that could not be issued are added to the job's errors. Returns whether this call finished it."""
    if BulkRow.objects.filter(job_id=job_id, done=False).exists():
        return False
    now = timezone.now()
    if not BulkJob.objects.filter(pk=job_id, state=BulkJob.State.RUNNING).update(
        state=BulkJob.State.DONE, finished_at=now
    ):
        return False
    job = BulkJob.objects.get(pk=job_id)
    failed = [
        csvfile.error(line, "", message)
        for line, message in BulkRow.objects.filter(job_id=job_id).exclude(error="").values_list("line", "error")
    ]
    if failed:
        job.errors = [*job.errors, *failed]
        job.save(update_fields=["errors"])
    audit_record(
        action="bulk_job.finish",
        subject=job,
        data={"created": job.created_count, "skipped": job.skipped_count, "failed": len(failed)},
    )
    from ..signals import bulk_job_finished

    transaction.on_commit(lambda: bulk_job_finished.send(sender=BulkJob, job_id=job_id))
    return True


@transaction.atomic
def bulk_job_fail(*, job_id: int, reason: str) -> bool:
    """A chunk gave up (retries exhausted, unexpected error): the job stops as failed and can be resumed;
    rows already issued stay issued. Returns whether the job was running."""
    if not BulkJob.objects.filter(pk=job_id, state=BulkJob.State.RUNNING).update(state=BulkJob.State.FAILED):
        return False
    job = BulkJob.objects.get(pk=job_id)
    audit_record(action="bulk_job.fail", subject=job, data={"reason": reason[:2000]})
    return True
