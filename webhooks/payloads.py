"""What a delivery carries: {"type", "timestamp", "data"}, the award as `issue_credential --json` prints it
plus its state, achievement and programme (and the change's details), or a bulk job's counts."""

from django.utils import timezone

from credentials.links import award_issue_json
from credentials.models import Award, BulkJob


def envelope(event_type: str, data: dict) -> dict:
    return {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}


def award_data(award: Award, details: dict | None = None) -> dict:
    achievement = award.achievement
    return {
        **award_issue_json(award),
        "state": award.effective_state,
        "achievement": achievement.slug,
        "programme": achievement.programme.slug if achievement.programme_id else None,
        "issued_at": award.issued_at.isoformat(),
        **(details or {}),
    }


def bulk_job_data(job: BulkJob) -> dict:
    achievement = job.achievement
    return {
        "id": job.pk,
        "state": job.state,
        "achievement": achievement.slug,
        "programme": achievement.programme.slug if achievement.programme_id else None,
        "total_rows": job.total_rows,
        "created": job.created_count,
        "skipped": job.skipped_count,
        "errors": len(job.errors or []),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
