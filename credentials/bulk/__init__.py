"""Bulk issuance: a CSV of recipients for one achievement, validated in full (dry run), then issued by workers.

    csvfile.py     bytes → rows (encoding, separator, header), file-level problems
    validation.py  rows → normalised values and every problem with its line number
    services.py    bulk_job_create / bulk_job_start / the worker side (chunks of rows, idempotent)
    selectors.py   progress and report reads
    tasks.py       bulk_job_run (fan-out) and bulk_job_chunk; registered by `credentials.tasks`
    admin.py       the staff console (upload, dry-run report, progress, report CSV); urls.py its routes

Importing this package imports nothing else.
"""
